"""Reads of the reporting app that several report kinds share: `Content` (what a template renders),
the utilities a report covers, the outage figures and the complaint figures of a campaign. Each kind's
own content is built in `reporting/kinds/<kind>.py`.

Every figure is a set-based query (one GROUP BY per measure, never a loop of queries per utility);
the records are read through `campaigns.selectors`, `outages.selectors` and `complaints.selectors`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.selectors import tickets_due_between, tickets_received_between
from outages.choices import ComplianceState
from outages.selectors import compliance_by_kind, notice_violations
from portal.choices import STATUTORY_CLASSES, OrgKind, OrgLevel, SourceClass
from portal.deadlines import SHANGHAI
from portal.models import Organisation
from portal.worklist import WorkItem, WorkSource
from reporting import charts
from reporting import complaint_stats as cs
from reporting.choices import JobStatus
from reporting.models import ReportJob
from reporting.tables import Table, rate

Progress = Callable[[int, str], None]


def no_progress(percent: int, stage: str) -> None:
    return None


@dataclass
class Content:
    """What a report template renders: its title, issuing office, sections and tables."""

    template: str
    title: str
    office_name: str
    context: dict = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    # Sections the regulator writes that are still empty (issue 20): while any is, the document is a draft
    # (草稿 on every page); a final version is only printed complete.
    unwritten: list[str] = field(default_factory=list)

    def add(self, table: Table) -> Table:
        self.tables[table.key] = table
        return table


def utilities_of(org: Organisation | None):
    """The utilities whose data a report for `org` covers: an office's jurisdiction (all for the
    national office), a utility's subtree. The same rule as `Organisation.objects.visible_to`."""
    qs = Organisation.objects.filter(kind=OrgKind.UTILITY)
    if org is None:
        return qs
    if org.kind == OrgKind.REGULATOR:
        if org.level == OrgLevel.NATIONAL:
            return qs
        return qs.filter(province__in=org.jurisdiction.all())
    return qs.filter(path__startswith=org.path)


def local_range(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in Asia/Shanghai."""
    return (
        datetime.combine(start, time.min, tzinfo=SHANGHAI),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=SHANGHAI),
    )


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace("\r", "").split("\n") if p.strip()]


# --------------------------------------------------------------------------- outages


STATE_ORDER = [
    ComplianceState.COMPLIANT,
    ComplianceState.BORDERLINE,
    ComplianceState.VIOLATION,
    ComplianceState.PENDING,
]


def outage_figures(notices) -> dict:
    """Compliance by kind (with an SVG chart), per utility and per rule, of the `notices` queryset."""
    by_kind = compliance_by_kind(notices)
    kind_table = Table(
        "outage_by_kind",
        _("Outage-notice compliance by kind"),
        [
            (_("Kind"), "text"),
            (_("Notices"), "int"),
            (_("Compliant"), "int"),
            (_("Borderline"), "int"),
            (_("Violation"), "int"),
            (_("Pending"), "int"),
            (_("Compliance rate"), "percent"),
            (_("Kind changed after publication"), "int"),
        ],
    )
    for r in by_kind:
        judged = r["compliant"] + r["borderline"] + r["violation"]
        kind_table.rows.append(
            [
                r["label"],
                r["total"],
                r["compliant"],
                r["borderline"],
                r["violation"],
                r["pending"],
                rate(r["compliant"], judged),
                r["relabelled"],
            ]
        )
    chart = charts.stacked_hbar(
        [(str(r["label"]), [r[s.value] for s in STATE_ORDER]) for r in by_kind],
        series=[str(s.label) for s in STATE_ORDER],
        colors=[charts.STATE_COLORS[s.value] for s in STATE_ORDER],
    )
    per_utility = (
        notices.order_by()
        .values("utility_id", "utility__name", "utility__code")
        .annotate(
            total=Count("id"),
            **{s.value: Count("id", filter=Q(compliance_state=s)) for s in ComplianceState},
        )
        .order_by("utility__path")
    )
    violations = notice_violations(notices)
    breaches = {
        r["utility_id"]: r
        for r in violations.order_by()
        .values("utility_id")
        .annotate(
            statutory=Count("id", filter=Q(source_class__in=list(STATUTORY_CLASSES))),
            commitment=Count("id", filter=~Q(source_class__in=list(STATUTORY_CLASSES))),
        )
    }
    util_table = Table(
        "outage_by_utility",
        _("Outage-notice compliance by utility"),
        [
            (_("Utility"), "text"),
            (_("Notices"), "int"),
            (_("Compliant"), "int"),
            (_("Borderline"), "int"),
            (_("Violation"), "int"),
            (_("Compliance rate"), "percent"),
            (_("Statutory breaches"), "int"),
            (_("Commitment breaches"), "int"),
        ],
    )
    for r in per_utility:
        b = breaches.get(r["utility_id"], {})
        judged = r["compliant"] + r["borderline"] + r["violation"]
        util_table.rows.append(
            [
                r["utility__name"],
                r["total"],
                r["compliant"],
                r["borderline"],
                r["violation"],
                rate(r["compliant"], judged),
                b.get("statutory", 0),
                b.get("commitment", 0),
            ]
        )
    rule_table = Table(
        "outage_by_rule",
        _("Breaches by rule"),
        [(_("Rule id"), "text"), (_("Rule"), "text"), (_("Source class"), "text"), (_("Breaches"), "int")],
        widths=[32, 38, 18, 12],
    )

    for r in (
        violations.order_by()
        .values("code", "rule__title", "source_class")
        .annotate(n=Count("id"))
        .order_by("-n", "code")
    ):
        rule_table.rows.append([r["code"], r["rule__title"] or "", SourceClass(r["source_class"]).label, r["n"]])
    totals = {
        "notices": sum(r["total"] for r in by_kind),
        "violation": sum(r["violation"] for r in by_kind),
        "borderline": sum(r["borderline"] for r in by_kind),
        "compliant": sum(r["compliant"] for r in by_kind),
        "statutory": sum(b["statutory"] for b in breaches.values()),
        "commitment": sum(b["commitment"] for b in breaches.values()),
    }
    judged = totals["compliant"] + totals["borderline"] + totals["violation"]
    totals["rate"] = rate(totals["compliant"], judged)
    return {"kind": kind_table, "utility": util_table, "rule": rule_table, "chart": chart, "totals": totals}


LIST_LIMIT = 500


# --------------------------------------------------------------------------- complaints


def campaign_complaints(content: Content, utility_ids: list[int], start: date, end: date) -> dict:
    """Complaint statistics and timeliness of the utilities in scope over the campaign's dates."""

    lo, hi = local_range(start, end)
    received = cs.by_channel_and_category(tickets_received_between(utility_ids=utility_ids, lo=lo, hi=hi))
    rows = cs.timeliness_by_utility(tickets_due_between(utility_ids=utility_ids, lo=lo, hi=hi))
    content.add(received["channel"])
    content.add(received["category"])
    content.add(cs.bulletin_table(rows))
    return {"received": received, "totals": cs.totals(rows), "rows": rows}


def reports_ahead(job) -> int:
    """How many requested reports the reports queue serves before `job` (0 once it runs): a person waiting
    sees where it stands. Counted over every organisation's jobs: the queue is shared, only the number shows."""
    if job.status != JobStatus.QUEUED:
        return 0
    return ReportJob.objects.filter(status=JobStatus.QUEUED, created_at__lt=job.created_at).count()


def status_line(job) -> str:
    """The status as a person reads it: queued with its place, running with its stage."""
    if job.status == JobStatus.QUEUED:
        ahead = reports_ahead(job)
        if ahead:
            return _("Queued: %(n)d report(s) ahead of this one.") % {"n": ahead}
    return f"{job.get_status_display()} · {job.stage}" if job.stage else job.get_status_display()


# --------------------------------------------------------------------------- 我的待办 (portal.worklist)

READY_FOR_DAYS = 7


def worklist_reports_ready(user) -> WorkSource | None:
    """Reports the user requested that finished in the last week: ready to download (or failed)."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return None
    since = timezone.now() - timedelta(days=READY_FOR_DAYS)
    qs = ReportJob.objects.visible_to(user).filter(
        created_by=user, status__in=[JobStatus.DONE, JobStatus.FAILED], finished_at__gte=since
    )

    def item(job) -> WorkItem:
        return WorkItem(
            kind="report_ready",
            record=str(job),
            utility=str(job.organisation),
            due=None,
            state=job.get_status_display(),
            action=_("Download") if job.status == JobStatus.DONE else _("Open the report"),
            url=reverse("reporting:download" if job.status == JobStatus.DONE else "reporting:detail", args=[job.pk]),
        )

    return WorkSource(queryset=qs.select_related("organisation"), due_field="finished_at", item=item, dated=False)
