"""/public/outages/: no login. Included by portal.public_urls with namespace `outages_public`."""

from django.urls import path

from outages import feeds, views

urlpatterns = [
    path("", views.public_list, name="list"),
    path("feed/", feeds.OutageRssFeed(), name="rss"),
    path("atom/", feeds.OutageAtomFeed(), name="atom"),
    path("calendar.ics", feeds.ics_view, name="ics"),
]
