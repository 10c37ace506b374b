"""Pages of arrears cases — the shared work-order pages (`portal.views_work_orders`), with the case's cut-off
and reminder instants on its page."""

from django.utils.translation import gettext_lazy

from outages import arrears
from outages.arrears_choices import ArrearsStatus
from outages.models import ArrearsCase
from portal.views_work_orders import WorkOrderPages

PAGES = WorkOrderPages(
    model=ArrearsCase,
    workflow=arrears.WORKFLOW,
    templates="outages/arrears",
    name="case",
    order_field="overdue_since",
    done=gettext_lazy("Recorded. The case is now: %(status)s."),
    choices=(("status", ArrearsStatus),),
    detail_extra=lambda case: {"cutoff": arrears.cutoff(case), "reminders": case.reminders_at()},
)
