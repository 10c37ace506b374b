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
    *connection_views.PAGES.urls("connections/", "connection"),
    *meter_views.PAGES.urls("meters/", "meter"),
]
