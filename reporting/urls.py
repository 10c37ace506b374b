from django.urls import path

from reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("export.xlsx", views.report_export, name="export"),
    path("new/", views.report_new, name="new"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/status/", views.report_status, name="status"),
    path("<int:pk>/pdf/", views.report_download, name="download"),
    path("<int:pk>/retry/", views.report_retry, name="retry"),
    path("<int:pk>/regenerate/", views.report_regenerate, name="regenerate"),
    path("<int:pk>/tables/<slug:key>.xlsx", views.report_table_export, name="table-export"),
    # 通报 to the public column (issue 13)
    path("bulletins/", views.publication_list, name="publications"),
    path("bulletins/<int:pk>/", views.publication_detail, name="publication"),
    path("bulletins/<int:pk>/<str:verb>/", views.publication_action, name="publication-action"),
]
