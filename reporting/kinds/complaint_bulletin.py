"""通报: the complaint timeliness bulletin of a regulator office over a period, per utility of its
jurisdiction (tickets whose reply fell due in the period)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.selectors import tickets_due_between, tickets_received_between
from portal.models import Organisation
from reporting import charts, work_orders
from reporting import complaint_stats as cs
from reporting.choices import ReportKind
from reporting.kinds.base import ReportKindSpec, regulators
from reporting.params import Resolved, int_param, own_org, period_params, stored_period, visible_organisations
from reporting.selectors import Content, local_range, no_progress, utilities_of


def resolve(raw: dict, user) -> Resolved:
    """`period`, `office` (default: the user's office; it must be a regulator)."""
    params = period_params(raw)
    visible = visible_organisations(user)
    office_pk = int_param(raw, "office", required=False)
    SPEC.require_may_request(user)
    if office_pk is None:
        office = own_org(user, None)
        if office is None:
            raise ValidationError({"office": _("Give the regulator office.")})
    else:
        office = visible.filter(pk=office_pk).first()
        if office is None:
            raise Http404
    if not office.is_regulator:
        raise ValidationError({"office": _("A bulletin is issued by a regulator office.")})
    params["office"] = office.pk
    return Resolved(SPEC.key, params, office)


def title(resolved: Resolved) -> str:
    p = resolved.params
    return _("Complaint timeliness bulletin %(period)s") % {"period": f"{p['start']}—{p['end']}"}


def build(params: dict, organisation, progress=no_progress) -> Content:
    start, end = stored_period(params)
    return build_complaint_bulletin(office=organisation, start=start, end=end, progress=progress)


def build_complaint_bulletin(*, office: Organisation, start: date, end: date, progress=no_progress) -> Content:
    """The monthly (or any period's) complaint timeliness bulletin of a regulator office, per utility."""

    lo, hi = local_range(start, end)
    # The ids as a list: the planner then knows how many utilities there are (a subquery through the
    # jurisdiction was estimated at 6 rows and read every ticket per utility: 3 s instead of 0.3 s).
    ids = list(utilities_of(office).values_list("id", flat=True))
    progress(20, _("Complaints"))
    rows = cs.timeliness_by_utility(tickets_due_between(utility_ids=ids, lo=lo, hi=hi))
    received_tickets = tickets_received_between(utility_ids=ids, lo=lo, hi=hi)
    received = cs.by_channel_and_category(received_tickets)
    outcomes = cs.outcomes_by_utility(received_tickets)
    content = Content(SPEC.template, _("Complaint timeliness bulletin"), office.name)
    table = content.add(cs.bulletin_table(rows))
    content.add(received["channel"])
    content.add(received["category"])
    content.add(cs.outcomes_table(outcomes))
    progress(60, _("Connections, meters and arrears"))
    work_order_sections = work_orders.bulletin_sections(content, ids, lo, hi)  # issue 12
    ranked = sorted((r for r in rows if r["due"]), key=lambda r: (r["on_time_rate"] or 0, r["utility__code"]))
    content.context = {
        "start": start,
        "end": end,
        "rows": rows,
        "totals": cs.totals(rows),
        "received": received,
        "table": table,
        "lowest": ranked[:5],
        "work_orders": work_order_sections,
        "chart": charts.hbar(
            [(r["utility__name"], r["on_time_rate"] or 0.0) for r in ranked[:20]], unit="%", max_value=100
        ),
    }
    return content


SPEC = ReportKindSpec(
    key=ReportKind.COMPLAINT_BULLETIN,
    doc_prefix="通报",
    template="reporting/pdf/complaint_bulletin.html",
    may_request=regulators,
    refusal=gettext_lazy("Only regulators issue bulletins."),
    resolve=resolve,
    title=title,
    build=build,
)
