"""专项报告: the regulator's special report of a campaign (its phases, deliverables, self-check status
and findings, rectification, complaints and outage notices of the utilities in scope over the
campaign's dates, demonstration zones, the regulator's experience and proposals)."""

from __future__ import annotations

from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from campaigns.choices import FindingSource, RectificationStatus, ReportStatus
from campaigns.models import Campaign
from campaigns.selectors import (
    campaign_for_report,
    campaign_inspections,
    campaign_progress,
    campaign_utility_ids,
    deliverable_rows,
    finding_counts_by_utility,
    judged_reports,
    rectification_rows,
    rectification_status_counts,
    reported_indicators,
    reported_voltage_classes,
)
from complaints.selectors import tickets_received_between
from outages.selectors import notices_starting_between
from portal.models import Organisation
from reporting import charts, work_orders
from reporting.choices import ReportKind
from reporting.kinds.base import ReportKindSpec, regulators
from reporting.params import Resolved, int_param, own_org
from reporting.selectors import Content, campaign_complaints, local_range, no_progress, outage_figures, paragraphs
from reporting.tables import Table, rate


def resolve(raw: dict, user) -> Resolved:
    """`campaign`: a campaign the user may see (else 404); the report is for the user's office."""
    SPEC.require_may_request(user)
    pk = int_param(raw, "campaign")
    qs = Campaign.objects.all() if user is None else Campaign.objects.visible_to(user)
    campaign = qs.select_related("owner").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return Resolved(SPEC.key, {"campaign": campaign.pk}, own_org(user, campaign.owner), campaign)


def title(resolved: Resolved) -> str:
    return _("Special report on %(title)s") % {"title": resolved.campaign.title}


def build(params: dict, organisation, progress=no_progress) -> Content:
    return build_campaign_special(campaign=campaign_for_report(pk=params["campaign"]), progress=progress)


def build_campaign_special(*, campaign: Campaign, progress=no_progress) -> Content:
    """The campaign special report (专项报告) of the regulator office that owns the campaign."""
    campaign = campaign_for_report(pk=campaign.pk)
    content = Content(
        SPEC.template,
        _("Special report on %(title)s") % {"title": campaign.title},
        campaign.owner.name,
    )
    progress(12, _("Reading the campaign"))
    phases = list(campaign.phases.all())
    groups = list(campaign.leading_groups.prefetch_related("members", "duties"))
    zones = list(campaign.zones.select_related("utility"))
    deliverables = deliverable_rows(campaign)
    by_phase: dict[int | None, list] = defaultdict(list)
    for row in deliverables:
        by_phase[row.deliverable.phase_id].append(row)
    inspections_by_phase: dict[int, int] = defaultdict(int)
    inspections = campaign_inspections(campaign=campaign)
    for ins in inspections:
        phase = next((p for p in phases if p.start_date <= ins.inspected_on <= p.end_date), None)
        if phase:
            inspections_by_phase[phase.pk] += 1
    phase_rows = [
        {
            "phase": p,
            "deliverables": by_phase.get(p.pk, []),
            "inspections": inspections_by_phase.get(p.pk, 0),
        }
        for p in phases
    ]

    progress(20, _("Self-check status"))
    rates = campaign_progress(campaign)
    finding_counts = finding_counts_by_utility(campaign=campaign)
    sc = content.add(
        Table(
            "self_check",
            _("Self-check reports and rectification by utility"),
            [
                (_("Utility"), "text"),
                (_("Report status"), "text"),
                (_("Filed on time"), "text"),
                (_("Problems (self-check)"), "int"),
                (_("Problems (inspection)"), "int"),
                (_("Rectification items"), "int"),
                (_("Verified"), "int"),
                (_("Overdue"), "int"),
                (_("Completion rate"), "percent"),
            ],
        )
    )
    for row in rates.rows:
        fc = finding_counts.get(row.utility_id, {})
        status = row.status_label or str(_("Not started"))
        timely = _("Yes") if row.on_time else (_("Late") if row.late else "—")
        sc.rows.append(
            [
                row.name,
                status,
                timely,
                fc.get("self_check", 0),
                fc.get("inspection", 0),
                row.items,
                row.closed,
                row.overdue,
                row.completion_rate,
            ]
        )
    status_counts = defaultdict(int)
    for row in rates.rows:
        status_counts[row.status or "none"] += 1
    status_chart = charts.hbar(
        [(str(ReportStatus(s).label), status_counts.get(s, 0)) for s in ReportStatus]
        + [(str(_("Not started")), status_counts.get("none", 0))],
        unit=str(_(" utilities")),
    )
    progress(30, _("Rectification"))
    rect_counts = rectification_status_counts(campaign=campaign)
    rect_chart = charts.hbar(
        [(str(s.label), rect_counts.get(s.value, 0)) for s in RectificationStatus],
        unit=str(_(" items")),
        color="#70ad47",
    )
    worst = sorted((r for r in rates.rows if r.items), key=lambda r: (r.completion_rate or 0, r.code))[:15]
    worst_chart = charts.hbar(
        [(r.name, r.completion_rate or 0.0) for r in worst], unit="%", max_value=100, color="#c00000"
    )
    items_table = content.add(
        Table(
            "rectification",
            _("Problems and rectification items"),
            [
                (_("Utility"), "text"),
                (_("Found by"), "text"),
                (_("Problem"), "text"),
                (_("Defect number"), "text"),
                (_("Measure"), "text"),
                (_("Due date"), "date"),
                (_("Status"), "text"),
            ],
            widths=[13, 6, 28, 13, 17, 12, 11],  # a date and 已完成核实 on one line
            group_first=True,
            shorten={2: 40, 4: 24},
        )
    )
    progress(38, _("Problems and measures"))
    for name, source, text, number, measure, due, status in rectification_rows(campaign=campaign):
        items_table.rows.append(
            [
                name,
                FindingSource(source).label,
                text,
                number,
                measure,
                due,
                RectificationStatus(status).label,
            ]
        )
    # Indicators the utilities reported in their self-check reports (000 第四篇).
    ind = content.add(
        Table(
            "indicators",
            _("Indicators reported in the self-check reports"),
            [
                (_("Utility"), "text"),
                (_("Reliability RS-3 urban"), "percent"),
                (_("Reliability RS-3 rural"), "percent"),
                (_("Voltage qualification"), "percent"),
                (_("Complaints"), "int"),
                (_("Replied in time"), "int"),
                (_("Reply rate"), "percent"),
                (pgettext("rate", "Satisfaction"), "percent"),
            ],
        )
    )
    for r in reported_indicators(campaign=campaign):
        ind.rows.append(
            [
                r["utility__name"],
                r["reliability_urban"],
                r["reliability_rural"],
                r["voltage_overall"],
                r["complaints"],
                r["complaints_replied_in_time"],
                rate(r["complaints_replied_in_time"] or 0, r["complaints"] or 0),
                r["satisfaction"],
            ]
        )

    # Issue 11: voltage qualification by class A–D, and every indicator judged against the targets in force.
    classes = content.add(
        Table(
            "voltage_classes",
            _("Voltage qualification by class (A–D)"),
            [
                (_("Utility"), "text"),
                (_("Overall (%)"), "decimal"),
                (_("Class A (%)"), "decimal"),
                (_("Class B (%)"), "decimal"),
                (_("Class C (%)"), "decimal"),
                (_("Class D (%)"), "decimal"),
            ],
        )
    )
    for row in reported_voltage_classes(campaign=campaign):
        classes.rows.append(list(row))
    judged = content.add(
        Table(
            "targets",
            _("Indicators against the targets in force"),
            [
                (_("Utility"), "text"),
                (_("Target"), "text"),
                (_("Reported (%)"), "decimal"),
                (_("Target value (%)"), "decimal"),
                (_("Judgement"), "text"),
                (_("Margin (points)"), "decimal"),
            ],
            widths=[18, 34, 12, 12, 10, 14],
        )
    )
    missed = 0
    for report, judgements in judged_reports(campaign):
        for j in judgements:
            missed += not j.met
            judged.rows.append(
                [
                    report.utility.name,
                    j.target.title,
                    j.value,
                    j.target.value,
                    _("met") if j.met else _("missed"),
                    j.margin,
                ]
            )

    # Issue 11: the complaint counts each utility stated, set against the tickets the portal holds for the same
    # period (its whole subtree, received within the report's period): one grouped count per distinct period
    # (the reports of a campaign share one or a few), summed per report over its subtree.
    stated = content.add(
        Table(
            "complaint_check",
            _("Complaints stated in the self-check reports against the portal's tickets"),
            [
                (_("Utility"), "text"),
                (_("Period"), "text"),
                (_("Stated"), "int"),
                (_("Portal tickets"), "int"),
                (_("Difference"), "int"),
                (_("Stated via 12398"), "int"),
                (_("Portal tickets via 12398"), "int"),
            ],
        )
    )
    checked = [
        report
        for report, _judgements in judged_reports(campaign)
        if report.complaints is not None and report.period_start and report.period_end
    ]
    for report, held in _tickets_held(checked):
        stated.rows.append(
            [
                report.utility.name,
                f"{report.period_start:%Y-%m-%d}—{report.period_end:%Y-%m-%d}",
                report.complaints,
                held["n"],
                report.complaints - held["n"],
                report.complaints_12398,
                held["n12398"],
            ]
        )

    progress(45, _("Outage notices"))
    scope_ids = campaign_utility_ids(campaign=campaign)
    lo, hi = local_range(campaign.start_date, campaign.end_date)
    notices = notices_starting_between(utility_ids=scope_ids, lo=lo, hi=hi)
    outages = outage_figures(notices)
    for t in (outages["kind"], outages["utility"]):
        content.add(t)

    zone_table = content.add(
        Table(
            "zones",
            _("Demonstration zones"),
            [
                (_("Name"), "text"),
                (_("Kind"), "text"),
                (_("Level"), "text"),
                (_("Utility"), "text"),
                (_("Designated on"), "date"),
            ],
        )
    )
    for z in zones:
        zone_table.rows.append([z.name, z.kind, z.level, z.utility.name if z.utility else "", z.designated_on])

    progress(50, _("Complaints"))
    complaints = campaign_complaints(content, scope_ids, campaign.start_date, campaign.end_date)
    progress(55, _("Connections, meters and arrears"))
    service_sections = work_orders.bulletin_sections(content, scope_ids, lo, hi)  # issue 12: beside the tickets

    content.context = {
        "complaints": complaints,
        "work_orders": service_sections,
        "campaign": campaign,
        "phases": phase_rows,
        "groups": groups,
        "zones": zones,
        "rates": rates,
        "status_chart": status_chart,
        "rect_counts": rect_counts,
        "rect_total": sum(rect_counts.values()),
        "rect_chart": rect_chart,
        "worst_chart": worst_chart,
        "inspections": len(inspections),
        "inspected_utilities": len({i.utility_id for i in inspections}),
        "findings_total": sum(sum(v.values()) for v in finding_counts.values()),
        "outages": outages,
        "targets_missed": missed,
        "background": paragraphs(campaign.background),
        "goals": paragraphs(campaign.goals),
        "experience": paragraphs(campaign.experience),
        "proposals": paragraphs(campaign.proposals),
    }
    if not content.context["experience"]:
        content.unwritten.append(str(_("Experience to spread")))
    if not content.context["proposals"]:
        content.unwritten.append(str(_("Proposals for a standing supervision mechanism")))
    return content


SPEC = ReportKindSpec(
    key=ReportKind.CAMPAIGN_SPECIAL,
    doc_prefix="专报",
    template="reporting/pdf/campaign_special.html",
    may_request=regulators,
    refusal=gettext_lazy("Only regulators request special reports."),
    resolve=resolve,
    title=title,
    build=build,
)


def _tickets_held(reports) -> list[tuple]:
    """(report, {"n", "n12398"}) per report: the complaints the portal holds for the report's utility and its
    subtree, received within the report's period. One query for the subtrees' members and one grouped count
    per distinct period, whatever the number of reports."""
    if not reports:
        return []
    roots = {r.utility.path for r in reports}
    members = list(
        Organisation.objects.filter(reduce(or_, (Q(path__startswith=root) for root in roots))).values_list("pk", "path")
    )
    subtree = {root: [pk for pk, path in members if path.startswith(root)] for root in roots}
    by_period: dict[tuple, list] = defaultdict(list)
    for report in reports:
        by_period[(report.period_start, report.period_end)].append(report)
    out = {}
    for (start, end), group in by_period.items():
        lo, hi = local_range(start, end)
        ids = {pk for r in group for pk in subtree[r.utility.path]}
        counts = {
            row["utility_id"]: row
            for row in tickets_received_between(utility_ids=ids, lo=lo, hi=hi)
            .order_by()
            .values("utility_id")
            .annotate(
                n=Count("id", filter=Q(kind="complaint")),
                n12398=Count("id", filter=Q(kind="complaint", channel="12398")),
            )
        }
        for r in group:
            rows = [counts[pk] for pk in subtree[r.utility.path] if pk in counts]
            out[r.pk] = {"n": sum(x["n"] for x in rows), "n12398": sum(x["n12398"] for x in rows)}
    return [(r, out[r.pk]) for r in reports]
