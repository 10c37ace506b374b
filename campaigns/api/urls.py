from django.urls import include, path
from rest_framework.routers import DefaultRouter

from campaigns.api import large_customers, views

router = DefaultRouter()
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("campaign-phases", views.PhaseViewSet, basename="campaign-phase")
router.register("campaign-deliverables", views.DeliverableViewSet, basename="campaign-deliverable")
router.register("campaign-leading-groups", views.LeadingGroupViewSet, basename="campaign-leading-group")
router.register("checklists", views.ChecklistTemplateViewSet, basename="checklist")
router.register("self-check-reports", views.SelfCheckReportViewSet, basename="self-check-report")
router.register("campaign-findings", views.FindingViewSet, basename="campaign-finding")
router.register("rectification-items", views.RectificationItemViewSet, basename="rectification-item")
router.register("campaign-inspections", views.InspectionViewSet, basename="campaign-inspection")
router.register("campaign-group-members", views.GroupMemberViewSet, basename="campaign-group-member")
router.register("campaign-office-duties", views.OfficeDutyViewSet, basename="campaign-office-duty")
router.register("campaign-zones", views.DemonstrationZoneViewSet, basename="campaign-zone")
router.register("deliverable-submissions", views.DeliverableSubmissionViewSet, basename="deliverable-submission")
router.register("rectification-programmes", views.RectificationProgrammeViewSet, basename="rectification-programme")
# Issue 12: large customers (seed 002 第五篇).
router.register("large-customers", large_customers.LargeCustomerViewSet, basename="large-customer")
router.register(
    "large-customer-inspections", large_customers.LargeCustomerInspectionViewSet, basename="large-customer-inspection"
)
router.register("hazard-notices", large_customers.HazardNoticeViewSet, basename="hazard-notice")
router.register("large-customer-filings", large_customers.GovernmentFilingViewSet, basename="large-customer-filing")

urlpatterns = [path("", include(router.urls))]
