from django.urls import path

from campaigns import views

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<str:code>/", views.public_detail, name="detail"),
]
