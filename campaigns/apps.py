from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from campaigns.models import RectificationItem
        from campaigns.services import deliverables_rest_day_refresh, rectification_overdue
        from portal.rejudge import register_calendar_handler
        from portal.services import register_overdue_handler

        # The shared sweep calls this when a rectification item's due date (or re-notice) passes.
        register_overdue_handler(RectificationItem, rectification_overdue)
        # A deliverable's "falls on a rest day" flag follows the calendar.
        register_calendar_handler(deliverables_rest_day_refresh)

        # Issue 12: large customers — a window closed uninspected opens next year's; an overdue hazard notice
        # is owed its re-notice (campaigns.services.large_customers).
        from campaigns.models import HazardNotice, InspectionDue
        from campaigns.services.large_customers import hazard_notice_overdue, inspection_due_overdue

        register_overdue_handler(InspectionDue, inspection_due_overdue)
        register_overdue_handler(HazardNotice, hazard_notice_overdue)

        # 我的待办: what waits on a user in campaigns (issue 20).
        from campaigns import selectors
        from portal.worklist import register_work_kind

        register_work_kind("deliverable", _("Deliverables to file"), selectors.worklist_deliverables, order=10)
        register_work_kind("report_returned", _("Reports returned"), selectors.worklist_reports_returned, order=20)
        register_work_kind("report_review", _("Reports to review"), selectors.worklist_reports_to_review, order=25)
        register_work_kind("rectification", _("Rectification items"), selectors.worklist_rectification, order=40)
        # Issue 12: large customers' hazard notices and filings to the government.
        from campaigns import large_customer_selectors

        notices, filings = large_customer_selectors.worklist_hazard_notices, large_customer_selectors.worklist_filings
        register_work_kind("hazard_notice", _("Hazard notices of large customers"), notices, order=45)
        register_work_kind("large_customer_filing", _("Filings to the government"), filings, order=46)
