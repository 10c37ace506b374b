from django.urls import path

from outages import arrears_views, views

app_name = "outages"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("export.xlsx", views.notice_export, name="export"),
    path("new/", views.notice_create, name="create"),
    path("dashboard/", views.compliance_dashboard, name="dashboard"),
    path("violations/", views.violation_list, name="violations"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/edit/", views.notice_edit, name="edit"),
    path("<int:pk>/<str:verb>/", views.notice_action, name="action"),
    # Issue 12: arrears cases.
    *arrears_views.PAGES.urls("arrears/", "arrears"),
]
