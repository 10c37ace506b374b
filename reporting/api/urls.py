from django.urls import include, path
from rest_framework.routers import DefaultRouter

from reporting.api import views

router = DefaultRouter()
router.register("reports", views.ReportJobViewSet, basename="report")
router.register("bulletin-publications", views.BulletinPublicationViewSet, basename="bulletin-publication")

urlpatterns = [path("", include(router.urls))]
