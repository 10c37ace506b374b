from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal import accounts, views, views_calendar, views_files, views_saved
from portal.api import views as api_views

api_v1 = [
    path("", include("portal.api.urls")),
    path("", include("campaigns.api.urls")),
    path("", include("complaints.api.urls")),
    path("", include("outages.api.urls")),
    path("", include("reporting.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's initialiser as a script file, so the CSP needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    re_path(r"", api_views.UnknownPath.as_view()),  # last: whatever names no operation answers JSON 404
]

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/tokens/", accounts.token_list, name="tokens"),
    path("accounts/tokens/<int:pk>/<str:action>/", accounts.token_action, name="token-action"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("calendar/", views_calendar.calendar_page, name="calendar"),
    path("calendar/<int:year>/edit/", views_calendar.calendar_year_edit, name="calendar-edit"),
    path("deadlines/", views.deadline_list, name="deadlines"),
    path("violations/", views.violation_list, name="violations"),
    path("violations/<int:pk>/dispose/", views.violation_dispose_view, name="violation-dispose"),
    path("violations/bulk/", views.violation_bulk_view, name="violation-bulk"),  # issue 20
    path("notifications/", views.notification_list, name="notifications"),
    path("worklist/", views.worklist_page, name="worklist"),  # issue 20: 我的待办
    path("views/", views_saved.saved_view_create, name="saved-view-create"),  # issue 20: saved views
    path("views/<int:pk>/", views_saved.saved_view_open, name="saved-view"),
    path("views/<int:pk>/delete/", views_saved.saved_view_remove, name="saved-view-delete"),
    path("history/<str:app_label>/<str:model>/<int:pk>/", views.history_view, name="history"),
    path("imports/new/<str:kind>/", views_files.import_new, name="import-new"),
    path("imports/template/<str:kind>.xlsx", views_files.import_template, name="import-template"),
    path("imports/<int:pk>/", views_files.import_detail, name="import-detail"),
    path("imports/<int:pk>/errors.xlsx", views_files.import_errors, name="import-errors"),
    path("imports/<int:pk>/retry/", views_files.import_retry, name="import-retry"),
    path("attachments/<int:pk>/", views_files.attachment_download, name="attachment-download"),
    path("campaigns/", include("campaigns.urls")),
    path("complaints/", include("complaints.urls")),
    path("outages/", include("outages.urls")),
    path("reports/", include("reporting.urls")),
    path("public/", include("portal.public_urls")),
    path("healthz", views.healthz, name="healthz"),
]
