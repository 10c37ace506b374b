from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from complaints import imports
        from complaints.lifecycle import supervisions_escalate
        from complaints.models import Complaint
        from complaints.services import complaint_summaries_refresh
        from portal.rejudge import register_moved_handler
        from portal.services import register_overdue_handler

        # The shared sweep marks the deadline rows, records the violations and notifies; a ticket's list
        # state follows from its stored dues (`next_due < now`), so crossing tickets are not rewritten.
        # The one overdue handler escalates an overdue level of 督办 (one query over the crossing tickets;
        # only the supervised ones cost a step).
        register_overdue_handler(Complaint, supervisions_escalate)
        imports.register()
        from complaints import connection_imports  # issue 12: connection applications

        connection_imports.register()
        # A calendar change that moves a ticket's deadlines rewrites its summary columns (lists filter on them).
        register_moved_handler(Complaint, complaint_summaries_refresh)

        # 我的待办: tickets whose next step is the user's side's (issue 20).
        from complaints.selectors import worklist_tickets
        from portal.worklist import register_work_kind

        register_work_kind("ticket", _("Ticket steps due"), worklist_tickets, order=30)
