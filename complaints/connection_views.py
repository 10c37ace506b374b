"""Pages of connection applications (业扩报装) — the shared work-order pages (`portal.views_work_orders`) with
the 获得电力 averages per utility on the list and the instants of the steps on the application page."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import connection_selectors as selectors
from complaints import connections
from complaints.connection_choices import ConnectionStatus, CustomerClass
from complaints.models import ConnectionApplication
from portal.views_work_orders import WorkOrderPages


def _instants(app: ConnectionApplication) -> dict:
    four = app.step_count == 4
    return {
        "instants": [
            (_("Applied"), app.applied_at),
            (_("Supply scheme replied"), app.scheme_replied_at if four else None),
            (_("Accepted (inspection passed)"), app.accepted_at if four else None),
            (_("Powered on"), app.powered_at),
            (_("Withdrawn"), app.withdrawn_at),
        ]
    }


PAGES = WorkOrderPages(
    model=ConnectionApplication,
    workflow=connections.WORKFLOW,
    templates="complaints/connections",
    name="app",
    order_field="applied_at",
    done=gettext_lazy("Recorded. The application is now: %(status)s."),
    choices=(("status", ConnectionStatus), ("customer_class", CustomerClass)),
    flags=("affordable_housing",),
    list_extra=lambda qs: {"averages": selectors.getting_electricity_by_utility(qs)},
    detail_extra=_instants,
)
