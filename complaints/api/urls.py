from django.urls import include, path
from rest_framework.routers import DefaultRouter

from complaints.api import views

router = DefaultRouter()
router.register("complaints", views.ComplaintViewSet, basename="complaint")

urlpatterns = [path("", include(router.urls))]
