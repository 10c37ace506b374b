"""Everything meant for the public lives under /public/ and needs no login."""

from django.urls import include, path

from portal import views

urlpatterns = [
    path("", views.public_home, name="public-home"),
    path("campaigns/", include(("campaigns.public_urls", "campaigns_public"))),
    path("outages/", include(("outages.public_urls", "outages_public"))),
    path("bulletins/", include(("reporting.public_urls", "reporting_public"))),
]
