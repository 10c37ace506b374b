"""Pages of meter test and abnormal-reading requests — the shared work-order pages
(`portal.views_work_orders`), filtered by kind and status."""

from django.utils.translation import gettext_lazy

from complaints import meters
from complaints.meter_choices import MeterRequestKind, MeterRequestStatus
from complaints.models import MeterRequest
from portal.views_work_orders import WorkOrderPages

PAGES = WorkOrderPages(
    model=MeterRequest,
    workflow=meters.WORKFLOW,
    templates="complaints/meters",
    name="req",
    order_field="requested_at",
    done=gettext_lazy("Recorded. The request is now: %(status)s."),
    choices=(("status", MeterRequestStatus), ("kind", MeterRequestKind)),
)
