from django.urls import include, path
from rest_framework.routers import DefaultRouter

from outages.api import arrears as arrears_api
from outages.api import views

router = DefaultRouter()
router.register("outage-notices", views.OutageNoticeViewSet, basename="outage-notice")
# Issue 12: arrears cases.
router.register("arrears-cases", arrears_api.ArrearsViewSet, basename="arrears-case")

urlpatterns = [path("", include(router.urls))]
