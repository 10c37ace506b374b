from django.urls import path

from campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/scope/", views.campaign_scope, name="scope"),
    path("<int:pk>/phases/", views.phase_save, name="phase-add"),
    path("<int:pk>/phases/<int:phase_pk>/", views.phase_save, name="phase-edit"),
    path("<int:pk>/phase-override/", views.phase_override, name="phase-override"),
    path("<int:pk>/focus-items/", views.focus_item_add, name="focus-add"),
    path("<int:pk>/focus-items/<int:focus_pk>/checklist/", views.focus_item_checklist, name="focus-checklist"),
    path("<int:pk>/deliverables/", views.deliverable_add, name="deliverable-add"),
    path("<int:pk>/highlights/", views.highlight_add, name="highlight-add"),
    path("<int:pk>/documents/", views.document_add, name="document-add"),
    path("<int:pk>/inspections/", views.inspection_add, name="inspection-add"),
    path("<int:pk>/report/", views.report_start, name="report-start"),
    path("checklists/", views.checklist_list, name="checklists"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/answers/", views.report_answers, name="report-answers"),
    path("reports/<int:pk>/answers/<int:answer_pk>/evidence/", views.answer_evidence, name="answer-evidence"),
    path("reports/<int:pk>/findings/", views.report_finding_add, name="report-finding"),
    path("reports/<int:pk>/<str:verb>/", views.report_action, name="report-action"),
    path("findings/<int:finding_pk>/items/", views.finding_item_add, name="finding-item"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("rectification/", views.rectification_list, name="rectification-list"),
    path("rectification/<int:pk>/", views.rectification_detail, name="rectification"),
    path("rectification/<int:pk>/evidence/", views.rectification_evidence, name="rectification-evidence"),
    path("rectification/<int:pk>/<str:verb>/", views.rectification_action, name="rectification-action"),
    # deliverables and their submissions (issue 11)
    path("deliverables/<int:pk>/", views.deliverable_detail, name="deliverable"),
    path("deliverables/<int:pk>/file/", views.deliverable_file, name="deliverable-file"),
    path("deliverables/<int:pk>/export.xlsx", views.deliverable_export, name="deliverable-export"),
    path("submissions/", views.submission_list, name="submissions"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/documents/", views.submission_evidence, name="submission-evidence"),
    path("submissions/<int:pk>/<str:verb>/", views.submission_action, name="submission-action"),
]
