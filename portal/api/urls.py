from django.urls import include, path
from rest_framework.routers import DefaultRouter

from portal.api import views

router = DefaultRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("rules", views.RuleViewSet, basename="rule")
router.register("calendar", views.CalendarViewSet, basename="calendar")
router.register("deadlines", views.TrackedDeadlineViewSet, basename="deadline")
router.register("violations", views.ViolationViewSet, basename="violation")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("", include(router.urls)),
]
