from django.urls import include, path
from rest_framework.routers import DefaultRouter

from complaints.api import connections as connection_api
from complaints.api import meters as meter_api
from complaints.api import views

router = DefaultRouter()
router.register("complaints", views.ComplaintViewSet, basename="complaint")
# Issue 12: 95598 service work orders.
router.register("connections", connection_api.ConnectionViewSet, basename="connection")
router.register("meter-requests", meter_api.MeterRequestViewSet, basename="meter-request")

urlpatterns = [path("", include(router.urls))]
