"""Reads of the campaigns app: current phase, progress and rates (set-based), deliverable rows, metadata check."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.choices import (
    DeliverableKind,
    FilingState,
    Indicator,
    PhaseKind,
    RectificationStatus,
    ReportStatus,
    SubmissionStatus,
)
from campaigns.models import (
    Campaign,
    CampaignUtility,
    Deliverable,
    DeliverableSubmission,
    Finding,
    Inspection,
    Phase,
    RectificationItem,
    SelfCheckReport,
    Target,
)
from portal.calendar import get_calendar
from portal.choices import DeadlineStatus, Party
from portal.deadlines import fixed_date_deadline, local_date
from portal.models import TrackedDeadline
from portal.querysets import acts_as, party_of
from portal.worklist import WorkItem, WorkSource, end_of_day


def current_phase(campaign: Campaign, today: date | None = None, phases: list[Phase] | None = None) -> Phase | None:
    """The phase set by hand (held or advanced) if any, else the phase whose dates contain today
    (both boundary dates inclusive)."""
    if campaign.manual_phase_id:
        return campaign.manual_phase
    today = today or timezone.localdate()
    phases = phases if phases is not None else list(campaign.phases.all())
    return next((p for p in phases if p.start_date <= today <= p.end_date), None)


# The code of a deliverable's tracked deadlines (".<utility code>" and ".<YYYYMMDD>" are appended).
DELIVERABLE_PREFIX = "campaign.deliverable"


def phase_of_kind(campaign: Campaign, kind: str) -> Phase | None:
    """The campaign's (first) phase of this kind, if it has one."""
    return next((p for p in campaign.phases.all() if p.kind == kind), None)


def deliverable_occurrences(deliverable: Deliverable) -> list[date]:
    """The due dates of a deliverable: its fixed date, or each year's month/day within the campaign."""
    if not deliverable.is_recurring:
        return [deliverable.due_date] if deliverable.due_date else []
    c = deliverable.campaign
    out = []
    for year in range(c.start_date.year, c.end_date.year + 1):
        try:
            d = date(year, deliverable.due_month, deliverable.due_day)
        except ValueError:  # 29 February in a common year: the last day of February
            d = date(year, 3, 1) - timedelta(days=1)
        if c.start_date <= d <= c.end_date:
            out.append(d)
    return out


def self_check_due(campaign: Campaign) -> date | None:
    """The self-check report's due date: its deliverable's, else the self-check phase's end."""
    d = (
        campaign.deliverables.filter(kind=DeliverableKind.SELF_CHECK_REPORT, due_date__isnull=False)
        .order_by("due_date")
        .first()
    )
    if d is not None:
        return d.due_date
    phase = phase_of_kind(campaign, PhaseKind.SELF_CHECK)
    return phase.end_date if phase else None


def _rate(n: int, d: int) -> float | None:
    return round(100.0 * n / d, 1) if d else None


@dataclass
class UtilityProgress:
    utility_id: int
    code: str
    name: str
    report_id: int | None = None
    status: str | None = None
    status_label: str = ""
    submitted: bool = False
    on_time: bool = False
    late: bool = False
    accepted: bool = False
    items: int = 0
    closed: int = 0
    overdue: int = 0
    renotices: int = 0

    @property
    def completion_rate(self) -> float | None:
        return _rate(self.closed, self.items)


@dataclass
class CampaignRates:
    utilities: int = 0
    submitted: int = 0
    on_time: int = 0
    accepted: int = 0
    items: int = 0
    closed: int = 0
    overdue: int = 0
    renotices: int = 0
    rows: list[UtilityProgress] = field(default_factory=list)

    @property
    def submission_rate(self) -> float | None:
        return _rate(self.submitted, self.utilities)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.on_time, self.utilities)

    @property
    def closed_rate(self) -> float | None:
        return _rate(self.closed, self.items)

    @property
    def overdue_rate(self) -> float | None:
        return _rate(self.overdue, self.items)


def campaign_progress(campaign: Campaign, *, utilities=None) -> CampaignRates:
    """Per utility in scope: report status, submitted on time, rectification items closed/overdue.

    Three queries whatever the number of utilities (scope, reports, grouped item counts).
    `utilities` narrows the rows (e.g. to what a utility user may see)."""
    scope = CampaignUtility.objects.filter(campaign=campaign).select_related("utility").order_by("utility__path")
    if utilities is not None:
        scope = scope.filter(utility__in=utilities)
    rows = {
        cu.utility_id: UtilityProgress(cu.utility_id, cu.utility.code, cu.utility.short_name or cu.utility.name)
        for cu in scope
    }
    submitted_states = {ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.RESUBMITTED, ReportStatus.ACCEPTED}
    for r in SelfCheckReport.objects.filter(campaign=campaign, utility_id__in=rows).values(
        "id", "utility_id", "status", "is_late", "first_submitted_at"
    ):
        row = rows[r["utility_id"]]
        row.report_id, row.status = r["id"], r["status"]
        row.status_label = ReportStatus(r["status"]).label
        row.submitted = r["status"] in submitted_states
        row.late = row.submitted and r["is_late"]
        row.on_time = row.submitted and not r["is_late"]
        row.accepted = r["status"] == ReportStatus.ACCEPTED
    # A report never filed after the due date is late too (胶北县: a draft past 2012-05-20).
    due = self_check_due(campaign)
    if due and timezone.localdate() > due:
        for row in rows.values():
            if not row.submitted:
                row.late = True
    counts = (
        RectificationItem.objects.filter(campaign=campaign, utility_id__in=rows)
        .values("utility_id")
        .annotate(
            n=Count("id"),
            closed=Count("id", filter=Q(status=RectificationStatus.VERIFIED)),
            overdue=Count("id", filter=Q(status=RectificationStatus.OVERDUE)),
            renotices=Count("id", filter=Q(renotice_count__gt=0)),
        )
    )
    for c in counts:
        row = rows[c["utility_id"]]
        row.items, row.closed, row.overdue, row.renotices = c["n"], c["closed"], c["overdue"], c["renotices"]
    out = CampaignRates(rows=list(rows.values()))
    for row in out.rows:
        out.utilities += 1
        out.submitted += row.submitted
        out.on_time += row.on_time
        out.accepted += row.accepted
        out.items += row.items
        out.closed += row.closed
        out.overdue += row.overdue
        out.renotices += row.renotices
    return out


@dataclass
class DeliverableRow:
    deliverable: Deliverable
    due: date
    rest_day: bool
    provisional: bool
    past: bool
    met: int = 0
    late: int = 0
    overdue: int = 0
    expected: int = 0
    internal: date | None = None


def deliverable_rows(campaign: Campaign, *, today: date | None = None, utility=None) -> list[DeliverableRow]:
    """Every due date of every deliverable, flagged when it falls on a rest day (a fixed date is not
    moved), with how many of the responsible organisations met it, late or not yet (one query)."""
    today = today or timezone.localdate()
    cal = get_calendar()
    deliverables = list(campaign.deliverables.select_related("phase", "campaign"))
    states: dict[tuple[int, str], list[str]] = {}
    tracked = TrackedDeadline.objects.filter(
        content_type__app_label="campaigns",
        content_type__model="deliverable",
        object_id__in=[d.pk for d in deliverables],
    )
    if utility is not None:
        tracked = tracked.filter(utility=utility)
    for object_id, status, due in tracked.values_list("object_id", "status", "due"):
        key = (object_id, timezone.localtime(due).date().isoformat())
        states.setdefault(key, []).append(status)
    rows = []
    for d in deliverables:
        for on in deliverable_occurrences(d):
            fixed = fixed_date_deadline(DELIVERABLE_PREFIX, on, cal)
            st = states.get((d.pk, on.isoformat()), [])
            rows.append(
                DeliverableRow(
                    deliverable=d,
                    due=on,
                    rest_day=fixed.rest_day,
                    provisional=fixed.provisional,
                    past=on < today,
                    met=sum(s == "met" for s in st),
                    late=sum(s == "met_late" for s in st),
                    overdue=sum(s == "overdue" or (s == "open" and on < today) for s in st),
                    expected=len(st),
                    internal=internal_date_of(d, on) if d.per_utility else None,
                )
            )
    rows.sort(key=lambda r: (r.due, r.deliverable.pk))
    return rows


def report_metadata_warnings(report: SelfCheckReport) -> list[str]:
    """What a reviewer must look at before accepting: the report names another organisation, covers a
    period that does not fit the campaign, or gives indicators of a year outside its period (seed 000's
    county report is such a copy-paste composite). Warnings, not refusals: the reviewer decides."""
    warnings = []
    utility, campaign = report.utility, report.campaign
    declared = (report.declared_organisation or "").strip()
    names = {utility.name, utility.short_name, utility.name.removeprefix("国网")} - {""}
    if not declared:
        warnings.append(_("The report does not name the organisation it is about."))
    elif not any(n in declared or declared in n for n in names):
        warnings.append(
            _("The report names “%(declared)s”, but it was filed by %(utility)s.")
            % {"declared": declared, "utility": utility.name}
        )
    if report.period_start and report.period_end:
        earliest = campaign.start_date - timedelta(days=366)
        if report.period_end < earliest or report.period_start > campaign.end_date:
            warnings.append(
                _("The report's period (%(start)s to %(end)s) does not fit the campaign (%(cs)s to %(ce)s).")
                % {
                    "start": report.period_start,
                    "end": report.period_end,
                    "cs": campaign.start_date,
                    "ce": campaign.end_date,
                }
            )
        if report.indicator_year and not (report.period_start.year <= report.indicator_year <= report.period_end.year):
            warnings.append(
                _("The indicators are for %(year)s, outside the report's period.") % {"year": report.indicator_year}
            )
        if report.submitted_at and report.period_end > timezone.localtime(report.submitted_at).date():
            warnings.append(_("The report's period ends after it was filed."))
    elif report.status != ReportStatus.DRAFT:
        warnings.append(_("The report does not state the period it covers."))
    incomplete = RectificationItem.objects.filter(finding__report=report).filter(
        Q(person="") | Q(due_date__isnull=True)
    )
    n = incomplete.count()
    if n:
        warnings.append(_("%(n)d rectification item(s) lack a responsible person or a due date.") % {"n": n})
    if report.customers == 0 and report.staff:
        warnings.append(_("The report gives staff but no customers."))
    return warnings


def phases_with_state(campaign: Campaign, today: date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    phases = list(campaign.phases.all())
    cur = current_phase(campaign, today, phases)
    return [
        {
            "phase": p,
            "current": cur is not None and p.pk == cur.pk,
            "past": p.end_date < today,
            "held": campaign.manual_phase_id == p.pk,
        }
        for p in phases
    ]


def open_items_in_last_phase(campaign: Campaign, today: date | None = None) -> int:
    """Flag: rectification items not yet verified while the last (summary) phase runs."""
    today = today or timezone.localdate()
    cur = current_phase(campaign, today)
    if cur is None or cur.kind != PhaseKind.SUMMARY:
        return 0
    return campaign.rectification_items.exclude(status=RectificationStatus.VERIFIED).count()


# --------------------------------------------------------------------------- report reads
# What the campaign special report and the self-check report read of a campaign (reporting/kinds/),
# each one query whatever the number of utilities.


def campaign_for_report(*, pk: int) -> Campaign:
    return Campaign.objects.select_related("owner").get(pk=pk)


def campaign_utility_ids(*, campaign: Campaign) -> list[int]:
    """The ids of the utilities in the campaign's scope (a list: the planner then knows how many)."""
    return list(CampaignUtility.objects.filter(campaign=campaign).values_list("utility_id", flat=True))


def campaign_inspections(*, campaign: Campaign) -> list:
    """The campaign's inspections with their utility, in the order they took place."""
    return list(Inspection.objects.filter(campaign=campaign).select_related("utility").order_by("inspected_on", "pk"))


def finding_counts_by_utility(*, campaign: Campaign) -> dict[int, dict[str, int]]:
    """Per utility id: problems found by source (`self_check`, `inspection`). One grouped query."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"self_check": 0, "inspection": 0})
    for r in (
        Finding.objects.filter(campaign=campaign).order_by().values("utility_id", "source").annotate(n=Count("id"))
    ):
        counts[r["utility_id"]][r["source"]] = r["n"]
    return counts


def rectification_status_counts(*, campaign: Campaign) -> dict[str, int]:
    """Rectification items per status (one grouped query)."""
    return {
        r["status"]: r["n"]
        for r in RectificationItem.objects.filter(campaign=campaign).order_by().values("status").annotate(n=Count("id"))
    }


def rectification_rows(*, campaign: Campaign):
    """Every rectification item as (utility name, finding source, problem, defect number, measure, due
    date, status), by utility, source and finding number; an iterator (1,000s of rows)."""
    return (
        RectificationItem.objects.filter(campaign=campaign)
        .order_by("utility__path", "finding__source", "finding__number", "pk")
        .values_list(
            "utility__name", "finding__source", "finding__text", "defect_number", "measure", "due_date", "status"
        )
        .iterator(chunk_size=2000)
    )


def reported_indicators(*, campaign: Campaign):
    """The indicators each utility gave in its self-check report (filed ones: drafts left out)."""
    return (
        SelfCheckReport.objects.filter(campaign=campaign)
        .exclude(status=ReportStatus.DRAFT)
        .order_by("utility__path")
        .values(
            "utility__name",
            "reliability_urban",
            "reliability_rural",
            "voltage_overall",
            "complaints",
            "complaints_replied_in_time",
            "satisfaction",
        )
    )


def self_check_report_as_filed(*, pk: int) -> SelfCheckReport:
    return SelfCheckReport.objects.select_related("campaign", "utility", "campaign__owner").get(pk=pk)


def self_check_answers(*, report: SelfCheckReport):
    """The checklist answers of a report with their item, questions before checks, by number."""
    return report.answers.select_related("item").order_by("item__kind", "item__number")


def self_check_findings(*, report: SelfCheckReport):
    """The problems of a report, by number, with their rectification items prefetched."""
    return report.findings.prefetch_related("items").order_by("number")


def _records_of(model, user, campaign: Campaign | None):
    qs = model.objects.visible_to(user)
    return (qs.filter(campaign=campaign) if campaign else qs).order_by()


def report_counts_by_status(user, *, campaign: Campaign | None = None) -> dict[str, int]:
    """Self-check reports `user` may see per status (one grouped query)."""
    rows = _records_of(SelfCheckReport, user, campaign).values("status").annotate(n=Count("id"))
    return {r["status"]: r["n"] for r in rows}


def rectification_counts_by_status(user, *, campaign: Campaign | None = None) -> dict[str, int]:
    """Rectification items `user` may see per status (one grouped query)."""
    rows = _records_of(RectificationItem, user, campaign).values("status").annotate(n=Count("id"))
    return {r["status"]: r["n"] for r in rows}


def rectification_completion_by_utility(user, *, campaign: Campaign | None = None) -> list[dict]:
    """Per utility: its items (n), the verified ones (done) and the rate in %, by utility code."""
    rows = list(
        _records_of(RectificationItem, user, campaign)
        .values("utility__code", "utility__name")
        .annotate(n=Count("id"), done=Count("id", filter=Q(status=RectificationStatus.VERIFIED)))
        .order_by("utility__code")
    )
    for r in rows:
        r["rate"] = round(100.0 * r["done"] / r["n"], 1) if r["n"] else 0.0
    return rows


# --------------------------------------------------------------------------- 我的待办 (portal.worklist)

RECTIFICATION_TO_DO = [RectificationStatus.OPEN, RectificationStatus.IN_PROGRESS, RectificationStatus.OVERDUE]


def _own_subtree(user):
    """The organisations whose obligations are `user`'s to meet: its own organisation and those below it."""
    org = getattr(user, "organisation", None)
    return None if org is None else Q(utility__path__startswith=org.path)


def worklist_deliverables(user) -> WorkSource | None:
    """Deliverables (报送事项) the user's organisation still has to hand in, open or overdue."""
    own = _own_subtree(user)
    party = party_of(user)
    if own is None or party is None:
        return None
    qs = (
        TrackedDeadline.objects.writable_by(user, party)
        .filter(own, content_type__app_label="campaigns", content_type__model="deliverable")
        .filter(status__in=[DeadlineStatus.OPEN, DeadlineStatus.OVERDUE])
        .select_related("utility")
        .prefetch_related("subject")
    )

    def item(d) -> WorkItem:
        deliverable = d.subject
        if deliverable is None:
            url = ""
        elif deliverable.kind == DeliverableKind.SELF_CHECK_REPORT:  # filed as the self-check report itself
            url = reverse("campaigns:detail", args=[deliverable.campaign_id]) + "#deliverables"
        else:  # straight to the filing form, the occurrence chosen (the deadline ends at 24:00 of its due date)
            page = reverse("campaigns:deliverable", args=[deliverable.pk])
            url = f"{page}?occurrence={local_date(d.due):%Y-%m-%d}#file"
        overdue = d.status == DeadlineStatus.OVERDUE or d.due < timezone.now()
        return WorkItem(
            kind="deliverable",
            record=d.label or d.code,
            utility=str(d.utility),
            due=d.due,
            state=_("Overdue, not filed") if overdue else _("To file"),
            action=_("File it"),
            url=url,
        )

    return WorkSource(queryset=qs, due_field="due", item=item)


def worklist_reports_returned(user) -> WorkSource | None:
    """Self-check reports returned for revision (or still in draft), to correct and resubmit."""
    if not acts_as(user, Party.UTILITY) or user.is_superuser or _own_subtree(user) is None:
        return None
    qs = (
        SelfCheckReport.objects.writable_by(user, Party.UTILITY)
        .filter(_own_subtree(user), status=ReportStatus.RETURNED)
        .select_related("utility", "campaign")
    )

    def item(r) -> WorkItem:
        return WorkItem(
            kind="report_returned",
            record=r.title,
            utility=str(r.utility),
            due=None,
            state=_("Returned for revision"),
            action=_("Revise"),
            url=reverse("campaigns:report", args=[r.pk]),
        )

    return WorkSource(queryset=qs, due_field="returned_at", item=item, dated=False)


def worklist_reports_to_review(user) -> WorkSource | None:
    """Self-check reports submitted to the user's office, to accept or return."""
    if not acts_as(user, Party.REGULATOR) or user.is_superuser:
        return None
    qs = (
        SelfCheckReport.objects.writable_by(user, Party.REGULATOR)
        .filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED])
        .select_related("utility", "campaign")
    )

    def item(r) -> WorkItem:
        return WorkItem(
            kind="report_review",
            record=r.title,
            utility=str(r.utility),
            due=None,
            state=r.get_status_display(),
            action=_("Review"),
            url=reverse("campaigns:report", args=[r.pk]),
        )

    return WorkSource(queryset=qs, due_field="submitted_at", item=item, dated=False)


def worklist_rectification(user) -> WorkSource | None:
    """Rectification items: the utility's to complete by their due date (and, issue 11, its proposed measures
    returned for revision), the regulator's to verify (and the measures proposed to approve or return)."""
    if user.is_superuser or _own_subtree(user) is None:
        return None
    if acts_as(user, Party.UTILITY):
        qs = RectificationItem.objects.writable_by(user, Party.UTILITY).filter(
            _own_subtree(user), status__in=[*RECTIFICATION_TO_DO, RectificationStatus.RETURNED]
        )
        actions = {RectificationStatus.RETURNED: _("Revise")}
        action, dated, due_field = _("Report completion"), True, "due_date"
    elif acts_as(user, Party.REGULATOR):
        qs = RectificationItem.objects.writable_by(user, Party.REGULATOR).filter(
            status__in=[RectificationStatus.DONE_PENDING_VERIFICATION, RectificationStatus.PROPOSED]
        )
        actions = {RectificationStatus.PROPOSED: _("Approve or return")}
        action, dated, due_field = _("Verify"), False, "completed_on"
    else:
        return None

    def item(r) -> WorkItem:
        return WorkItem(
            kind="rectification",
            record=f"{r.defect_number} {r.measure[:40]}",
            utility=str(r.utility),
            due=end_of_day(r.due_date) if dated and r.due_date else None,
            state=r.get_status_display(),
            action=actions.get(r.status, action),
            url=reverse("campaigns:rectification", args=[r.pk]),
        )

    return WorkSource(queryset=qs.select_related("utility"), due_field=due_field, item=item, dated=dated)


# --------------------------------------------------------------------------- deliverable filings


def internal_date_of(deliverable: Deliverable, due: date) -> date | None:
    """The utility's own internal date for the occurrence due on `due` (003: two days earlier, five for the
    connection data): a reminder, never a deadline. A recurring one falls in the year of the due date, or the
    year before when its month/day would come after it."""
    if deliverable.internal_month is not None and deliverable.internal_day is not None:
        for year in (due.year, due.year - 1):
            try:
                d = date(year, deliverable.internal_month, deliverable.internal_day)
            except ValueError:
                d = date(year, 3, 1) - timedelta(days=1)
            if d <= due:
                return d
        return None
    if deliverable.internal_date and not deliverable.is_recurring:
        return deliverable.internal_date
    return None


@dataclass
class FilingRow:
    """Where one utility stands with one occurrence of a deliverable."""

    deliverable: Deliverable
    occurrence: date
    internal: date | None
    utility_id: int
    utility_code: str
    utility_name: str
    state: str
    submission: object = None

    @property
    def state_label(self) -> str:
        return FilingState(self.state).label


def filing_rows(
    deliverable: Deliverable,
    *,
    occurrence: date | None = None,
    utilities=None,
    state: str | None = None,
    today: date | None = None,
) -> list[FilingRow]:
    """Every (occurrence, utility in scope) of a per-utility deliverable with its filing state: filed on time,
    filed late, not filed and overdue (the occurrence's date has passed), not yet filed. `occurrence` narrows
    to one due date ("who has not filed the 10-10 report"), `utilities` to what a reader may see, `state` to
    one state. Two queries whatever the number of utilities."""
    today = today or timezone.localdate()
    dates = deliverable_occurrences(deliverable)
    if occurrence is not None:
        dates = [d for d in dates if d == occurrence]
    scope = CampaignUtility.objects.filter(campaign_id=deliverable.campaign_id).order_by("utility__path")
    if utilities is not None:
        scope = scope.filter(utility__in=utilities)
    orgs = list(scope.values_list("utility_id", "utility__code", "utility__short_name", "utility__name"))
    subs = {
        (s.utility_id, s.occurrence): s
        for s in DeliverableSubmission.objects.filter(deliverable=deliverable, occurrence__in=dates).exclude(
            status=SubmissionStatus.DRAFT
        )
    }
    rows = []
    for d in dates:
        internal = internal_date_of(deliverable, d)
        for uid, code, short, name in orgs:
            sub = subs.get((uid, d))
            if sub is not None:
                st = FilingState.LATE if sub.is_late else FilingState.ON_TIME
            else:
                st = FilingState.MISSING if d < today else FilingState.PENDING
            if state and st != state:
                continue
            rows.append(FilingRow(deliverable, d, internal, uid, code, short or name, st, sub))
    return rows


# --------------------------------------------------------------------------- targets


def targets_in_force(*, on: date, province_id: int | None) -> dict[str, "Target"]:
    """The target of each indicator in force on `on` for a utility of `province_id`: the province's own where it
    set one, else the nationwide one (the latest valid)."""
    qs = Target.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    qs = qs.filter(Q(province__isnull=True) | Q(province_id=province_id)).order_by("-valid_from", "pk")
    out: dict[str, Target] = {}
    for t in qs:
        current = out.get(t.indicator)
        if current is None or (current.province_id is None and t.province_id is not None):
            out[t.indicator] = t
    return out


@dataclass
class Judgement:
    """One indicator of a report against its target: met or missed, and by how much (percentage points)."""

    indicator: str
    label: str
    value: object
    target: "Target"

    @property
    def met(self) -> bool:
        return self.target.met_by(self.value)

    @property
    def margin(self):
        """Reported minus target (positive: above it)."""
        return self.value - self.target.value


def _judged_on(report: SelfCheckReport) -> date:
    if report.indicator_year:
        return date(report.indicator_year, 12, 31)
    return report.period_end or timezone.localdate()


def judge_report(report: SelfCheckReport, *, targets: dict | None = None) -> list[Judgement]:
    """Each indicator the report gives that a target in force judges (indicators without a figure are left out)."""
    targets = (
        targets
        if targets is not None
        else targets_in_force(on=_judged_on(report), province_id=report.utility.province_id)
    )
    out = []
    for indicator, label in Indicator.choices:
        value = getattr(report, indicator, None)
        target = targets.get(indicator)
        if value is not None and target is not None:
            out.append(Judgement(indicator, label, value, target))
    return out


def judged_reports(campaign: Campaign):
    """(report, judgements) of every filed report of the campaign (drafts left out), by utility."""
    reports = (
        SelfCheckReport.objects.filter(campaign=campaign)
        .exclude(status=ReportStatus.DRAFT)
        .select_related("utility")
        .order_by("utility__path")
    )
    cache: dict[tuple, dict] = {}
    for report in reports:
        key = (_judged_on(report), report.utility.province_id)
        if key not in cache:
            cache[key] = targets_in_force(on=key[0], province_id=key[1])
        yield report, judge_report(report, targets=cache[key])


def campaign_target_summary(campaign: Campaign) -> list[dict]:
    """Per target judged in the campaign's filed reports: how many reports met it and which missed (with the
    shortfall)."""
    rows: dict[int, dict] = {}
    for report, judgements in judged_reports(campaign):
        for j in judgements:
            row = rows.setdefault(j.target.pk, {"target": j.target, "met": 0, "missed": []})
            if j.met:
                row["met"] += 1
            else:
                row["missed"].append(
                    {"utility": report.utility, "report": report, "value": j.value, "margin": j.margin}
                )
    return sorted(rows.values(), key=lambda r: (r["target"].indicator, r["target"].code))


def reported_voltage_classes(*, campaign: Campaign):
    """Voltage qualification overall and by class A–D as each utility filed it (drafts left out)."""
    return (
        SelfCheckReport.objects.filter(campaign=campaign)
        .exclude(status=ReportStatus.DRAFT)
        .order_by("utility__path")
        .values_list("utility__name", "voltage_overall", "voltage_a", "voltage_b", "voltage_c", "voltage_d")
    )


# --------------------------------------------------------------------------- what a report still lacks (issue 20)


def report_checklist_items(report: SelfCheckReport):
    """The checklist items the report must answer: every item of the checklists attached to the campaign's
    focus items (the rows of the report page)."""
    from campaigns.models import ChecklistItem

    templates = report.campaign.focus_items.filter(checklist__isnull=False).values("checklist_id")
    return ChecklistItem.objects.filter(template_id__in=templates).order_by("template_id", "kind", "number")


def report_progress(report: SelfCheckReport) -> tuple[int, int]:
    """(answered, total) of the report's checklist items: "已填 57/99"."""
    items = report_checklist_items(report)
    total = items.count()
    answered = report.answers.filter(item__in=items).count() if total else 0
    return answered, total


def _item_label(item) -> str:
    return f"{'问' if item.kind == 'question' else '查'}{item.number}"


GAPS_LISTED = 20


def report_gaps(report: SelfCheckReport) -> list[str]:
    """What keeps the report from being filed, each gap in a sentence: the report's name of the organisation
    and its period, the checklist items not answered, the rectification items without a responsible person
    or a due date (the point a report is most often returned for). Empty when the report is complete; the
    submit and resubmit steps refuse while it is not."""
    gaps = []
    if not (report.declared_organisation or "").strip():
        gaps.append(_("The report does not name the organisation it is about."))
    if not (report.period_start and report.period_end):
        gaps.append(_("The report does not state the period it covers."))
    items = list(report_checklist_items(report))
    answered = set(report.answers.values_list("item_id", flat=True))
    missing = [i for i in items if i.pk not in answered]
    if missing:
        listed = "、".join(_item_label(i) for i in missing[:GAPS_LISTED])
        if len(missing) > GAPS_LISTED:
            listed += "…"
        gaps.append(
            _("%(n)d of %(total)d checklist items are unanswered: %(items)s")
            % {"n": len(missing), "total": len(items), "items": listed}
        )
    for ri in (
        RectificationItem.objects.filter(finding__report=report)
        .filter(Q(person="") | Q(due_date__isnull=True))
        .select_related("finding")
        .order_by("finding__number", "pk")
    ):
        if not ri.person and not ri.due_date:
            text = _("Rectification item “%(measure)s” (problem %(n)s) lacks a responsible person and a due date.")
        elif not ri.person:
            text = _("Rectification item “%(measure)s” (problem %(n)s) lacks a responsible person.")
        else:
            text = _("Rectification item “%(measure)s” (problem %(n)s) lacks a due date.")
        gaps.append(text % {"measure": ri.measure[:40], "n": ri.finding.number})
    return gaps
