"""The public column of bulletins (通报): published ones only, no login."""

from django.urls import path

from reporting import views

urlpatterns = [
    path("", views.public_bulletins, name="list"),
    path("<int:pk>/", views.public_bulletin, name="detail"),
]
