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
