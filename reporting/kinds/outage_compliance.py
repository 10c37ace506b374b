"""停电信息公告合规情况报告: outage-notice compliance of the notices starting in a period, for an
office's jurisdiction or a utility's subtree (optionally narrowed to one utility's subtree)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from outages.choices import OutageKind
from outages.selectors import notice_refs, notice_violations, notices_starting_between
from portal.choices import STATUTORY_CLASSES
from portal.models import Organisation
from reporting.choices import ReportKind
from reporting.kinds.base import ReportKindSpec, anyone
from reporting.params import Resolved, int_param, own_org, period_params, stored_period, visible_organisations
from reporting.selectors import LIST_LIMIT, Content, local_range, no_progress, outage_figures, utilities_of
from reporting.tables import Table


def resolve(raw: dict, user) -> Resolved:
    """`period`, optional `utility` (code: narrows to its subtree) and `office` (the report is for)."""
    params = period_params(raw)
    visible = visible_organisations(user)
    office_pk = int_param(raw, "office", required=False)
    code = str(raw.get("utility") or "").strip()[:40]
    if office_pk is not None:
        org = visible.filter(pk=office_pk).first()
        if org is None:
            raise Http404
    else:
        org = own_org(user, None)
    if code:
        utility = visible.filter(code=code).first()
        if utility is None or not utility.is_utility:
            raise Http404
        params["utility"] = utility.code
        org = org or utility
    if org is None:
        org = Organisation.objects.filter(kind="regulator", level="national").first()
        if org is None:
            raise ValidationError({"office": _("Give the office the report is for.")})
    params["office"] = org.pk
    return Resolved(SPEC.key, params, org)


def title(resolved: Resolved) -> str:
    p = resolved.params
    return _("Outage-notice compliance report %(period)s") % {"period": f"{p['start']}—{p['end']}"}


def build(params: dict, organisation, progress=no_progress) -> Content:
    start, end = stored_period(params)
    return build_outage_compliance(
        org=organisation, start=start, end=end, utility_code=params.get("utility", ""), progress=progress
    )


def build_outage_compliance(*, org: Organisation, start: date, end: date, utility_code: str = "", progress=no_progress):
    utilities = utilities_of(org)
    if utility_code:
        root = Organisation.objects.filter(code=utility_code).first()
        utilities = utilities.filter(path__startswith=root.path) if root else utilities.none()
    lo, hi = local_range(start, end)
    ids = list(utilities.values_list("id", flat=True))  # a list: see build_complaint_bulletin
    notices = notices_starting_between(utility_ids=ids, lo=lo, hi=hi)
    progress(20, _("Counting notices"))
    figures = outage_figures(notices)
    progress(40, _("Listing violations"))
    title = _("Outage-notice compliance report")
    content = Content(SPEC.template, title, org.name)
    for t in (figures["kind"], figures["utility"], figures["rule"]):
        content.add(t)
    rows = list(notice_violations(notices).select_related("utility").order_by("occurred_at", "pk")[:LIST_LIMIT])
    refs = notice_refs(ids=[v.object_id for v in rows])  # (external id, kind) per notice
    vt = content.add(
        Table(
            "outage_violations",
            _("Violations (in order of occurrence)"),
            [
                (_("Utility"), "text"),
                (_("Notice"), "text"),
                (_("Kind"), "text"),
                (_("Rule id"), "text"),
                (_("Statutory"), "text"),
                (_("Occurred at"), "datetime"),
                (_("Shortfall (h)"), "decimal"),
            ],
            widths=[18, 14, 10, 28, 7, 13, 10],
            group_first=True,
        )
    )
    for v in rows:
        vt.rows.append(
            [
                v.utility.name,
                refs[v.object_id][0] if v.object_id in refs else "",
                OutageKind(refs[v.object_id][1]).label if v.object_id in refs else "",
                v.code,
                _("Yes") if v.source_class in STATUTORY_CLASSES else _("No"),
                v.occurred_at,
                round(v.shortfall_seconds / 3600, 2),
            ]
        )
    if len(rows) == LIST_LIMIT:
        vt.note = _("The first %(n)d violations are listed; the Excel export of the lists has them all.") % {
            "n": LIST_LIMIT
        }
    content.context = {
        "start": start,
        "end": end,
        "utility_code": utility_code,
        "figures": figures,
        "utilities": len(ids),
    }
    return content


SPEC = ReportKindSpec(
    key=ReportKind.OUTAGE_COMPLIANCE,
    doc_prefix="停电",
    template="reporting/pdf/outage_compliance.html",
    may_request=anyone,  # for what they may see: the office and utility must be visible (else 404)
    refusal="",
    resolve=resolve,
    title=title,
    build=build,
)
