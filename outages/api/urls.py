from django.urls import include, path
from rest_framework.routers import DefaultRouter

from outages.api import views

router = DefaultRouter()
router.register("outage-notices", views.OutageNoticeViewSet, basename="outage-notice")

urlpatterns = [path("", include(router.urls))]
