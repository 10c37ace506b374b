from django.urls import path

from complaints import connection_views, meter_views, views

app_name = "complaints"
urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("export.xlsx", views.ticket_export, name="export"),
    path("queue/", views.forward_queue, name="queue"),
    path("<int:pk>/", views.ticket_detail, name="detail"),
    path("<int:pk>/attachments/", views.ticket_attach, name="attach"),
    path("<int:pk>/link/", views.ticket_link, name="link"),
    path("<int:pk>/<str:verb>/", views.ticket_action, name="action"),
    # Issue 12: 95598 service work orders.
    path("connections/", connection_views.connection_list, name="connection-list"),
    path("connections/<int:pk>/", connection_views.connection_detail, name="connection-detail"),
    path("connections/<int:pk>/<str:verb>/", connection_views.connection_action, name="connection-action"),
    path("meters/", meter_views.meter_list, name="meter-list"),
    path("meters/<int:pk>/", meter_views.meter_detail, name="meter-detail"),
    path("meters/<int:pk>/<str:verb>/", meter_views.meter_action, name="meter-action"),
]
