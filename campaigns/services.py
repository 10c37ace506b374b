"""Writes of the campaigns app. The only place that saves campaign records.

Phase rules (what is refused and what is only flagged), decided here and documented in docs/campaigns.md:

- filing a self-check report (submit) is **refused** before the 企业自查 phase starts; after the
  self-check deliverable's due date (or the phase's end when there is none) it is **accepted and
  marked late** (`is_late`), and the utility's tracked deadline is met late;
- an inspection is **refused** unless its date lies in the 检查督查 phase;
- a rectification item's due date is **refused** after the campaign's end (rectification closes in
  the last phase, 落实整改与总结提高); items still open in the last phase are **flagged** on the
  campaign page, and overdue items are re-notified and re-filed by the sweep;
- a self-check report for a utility outside the campaign's scope is **refused**; a report whose
  declared organisation or period does not match is **flagged** for the reviewer (metadata check).
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.choices import (
    DeliverableKind,
    FindingSource,
    PhaseKind,
    PhaseOverride,
    RectificationStatus,
    ReportStatus,
)
from campaigns.models import (
    Campaign,
    CampaignUtility,
    ChecklistAnswer,
    ChecklistItem,
    ChecklistTemplate,
    Deliverable,
    Finding,
    FocusItem,
    Highlight,
    Inspection,
    Phase,
    RectificationItem,
    SelfCheckReport,
)
from campaigns.selectors import (
    DELIVERABLE_PREFIX,
    current_phase,
    deliverable_occurrences,
    phase_of_kind,
    self_check_due,
)
from portal.calendar import get_calendar
from portal.choices import OrgKind, SourceClass
from portal.deadlines import end_of_day, fixed_date_deadline, local_date
from portal.models import Organisation, TrackedDeadline, User
from portal.selectors import rule_for_code
from portal.services import (
    attachment_add,
    deadline_cancel,
    deadline_meet,
    deadline_set,
    deadline_track,
    notify,
)

# The four phases of seed 000 (with the share of the campaign's span each took there: 37/183/153/61 days).
PHASE_TEMPLATE = [
    (PhaseKind.DEPLOYMENT, "组织部署", "组织部署阶段", 37),
    (PhaseKind.SELF_CHECK, "企业自查", "企业自查阶段", 183),
    (PhaseKind.INSPECTION, "检查督查", "检查督查阶段", 153),
    (PhaseKind.SUMMARY, "总结提高", "落实整改与总结提高阶段", 61),
]

RECTIFICATION_DUE = "campaign.rectification"
RENOTICE_RULE = "campaign.rectification.renotice"


def _save(obj: models.Model, acting_user: User | None, reason: str = "") -> None:
    obj.full_clean()
    obj._history_user = acting_user
    if reason:
        obj._change_reason = reason[:100]
    obj.save()


def _require_regulator_of(campaign: Campaign, user: User) -> None:
    """Only the owner office's regulators (and offices above it) manage a campaign."""
    if user.is_superuser:
        return
    if not (user.is_regulator and Campaign.objects.visible_to(user).filter(pk=campaign.pk).exists()):
        raise PermissionDenied(_("Only the issuing office's regulators manage this campaign."))


# --------------------------------------------------------------------------- campaigns and phases


def template_phase_dates(start: date, end: date) -> list[tuple[date, date]]:
    """Split [start, end] into the four template phases in the proportions of seed 000 (≥ 1 day each)."""
    span = (end - start).days + 1
    if span < len(PHASE_TEMPLATE):
        raise ValidationError({"end_date": _("The campaign is too short for the four-phase template.")})
    total = sum(w for *_rest, w in PHASE_TEMPLATE)
    out, cursor, used = [], start, 0
    for i, (*_rest, weight) in enumerate(PHASE_TEMPLATE):
        if i == len(PHASE_TEMPLATE) - 1:
            days = span - used
        else:
            days = max(1, round(span * weight / total))
            days = min(days, span - used - (len(PHASE_TEMPLATE) - 1 - i))
        out.append((cursor, cursor + timedelta(days=days - 1)))
        cursor += timedelta(days=days)
        used += days
    return out


@transaction.atomic
def campaign_create(
    *,
    owner: Organisation,
    code: str,
    title: str,
    start_date: date,
    end_date: date,
    acting_user: User,
    with_template_phases: bool = True,
    **fields,
) -> Campaign:
    """Create a campaign of `owner` (a regulator office the user acts for or supervises), by default
    with the four phases of seed 000 spread over its dates."""
    if not acting_user.is_superuser and (
        not acting_user.is_regulator or not owner.path.startswith(acting_user.organisation.path)
    ):
        raise PermissionDenied(_("A campaign is created by its issuing office."))
    campaign = Campaign(owner=owner, code=code, title=title, start_date=start_date, end_date=end_date, **fields)
    _save(campaign, acting_user)
    if with_template_phases:
        for order, ((kind, name, full, _w), (s, e)) in enumerate(
            zip(PHASE_TEMPLATE, template_phase_dates(start_date, end_date), strict=True), start=1
        ):
            _save(
                Phase(campaign=campaign, order=order, name=name, full_name=full, kind=kind, start_date=s, end_date=e),
                acting_user,
            )
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, acting_user: User, **fields) -> Campaign:
    _require_regulator_of(campaign, acting_user)
    for k, v in fields.items():
        setattr(campaign, k, v)
    _save(campaign, acting_user)
    return campaign


@transaction.atomic
def campaign_set_scope(
    *,
    campaign: Campaign,
    organisations: Iterable[Organisation] = (),
    subtrees: Iterable[Organisation] = (),
    acting_user: User,
    replace: bool = False,
) -> int:
    """Put utilities in scope: each of `organisations`, and every utility of each subtree in `subtrees`.

    Subtrees are expanded now (an indexed prefix query per root); returns the number in scope.
    Deliverable deadlines follow the scope (tracked for new utilities, cancelled for removed ones).
    """
    _require_regulator_of(campaign, acting_user)
    wanted: dict[int, int | None] = {}
    for org in organisations:
        if org.kind != OrgKind.UTILITY:
            raise ValidationError({"organisations": _("“%(name)s” is not a utility.") % {"name": org.name}})
        wanted.setdefault(org.pk, None)
    for root in subtrees:
        if root.kind != OrgKind.UTILITY:
            raise ValidationError({"subtrees": _("“%(name)s” is not a utility.") % {"name": root.name}})
        for pk in Organisation.objects.subtree(root).utilities().values_list("pk", flat=True):
            wanted.setdefault(pk, root.pk)
    current = dict(CampaignUtility.objects.filter(campaign=campaign).values_list("utility_id", "pk"))
    if replace:
        removed = [pk for pk in current if pk not in wanted]
        if removed:
            if SelfCheckReport.objects.filter(campaign=campaign, utility_id__in=removed).exists():
                raise ValidationError(
                    {"organisations": _("A utility that has filed a self-check report cannot leave the scope.")}
                )
            CampaignUtility.objects.filter(campaign=campaign, utility_id__in=removed).delete()
            for deliverable in campaign.deliverables.filter(per_utility=True):
                gone = _deliverable_codes(deliverable, Organisation.objects.filter(pk__in=removed))
                deadline_cancel(subject=deliverable, codes=[code for code, *_r in gone])
    new = [
        CampaignUtility(campaign=campaign, utility_id=pk, via_id=via) for pk, via in wanted.items() if pk not in current
    ]
    CampaignUtility.objects.bulk_create(new)
    if new:
        new_orgs = list(Organisation.objects.filter(pk__in=[n.utility_id for n in new]))
        for deliverable in campaign.deliverables.filter(per_utility=True):
            _track_deliverable(deliverable, new_orgs)
    _save(campaign, acting_user, reason=_("Scope changed"))
    return CampaignUtility.objects.filter(campaign=campaign).count()


@transaction.atomic
def phase_save(*, campaign: Campaign, acting_user: User, phase: Phase | None = None, **fields) -> Phase:
    """Add or change a phase; refused when outside the campaign's dates or overlapping another."""
    _require_regulator_of(campaign, acting_user)
    phase = phase or Phase(campaign=campaign)
    for k, v in fields.items():
        setattr(phase, k, v)
    if phase.order is None:
        phase.order = (campaign.phases.aggregate(m=Max("order"))["m"] or 0) + 1
    _save(phase, acting_user)
    return phase


@transaction.atomic
def campaign_override_phase(*, campaign: Campaign, action: str, reason: str, acting_user: User) -> Campaign:
    """Hold the current phase past its end, advance to the next one early, or follow the dates again.
    Every override needs a reason; it is kept in the campaign's history."""
    _require_regulator_of(campaign, acting_user)
    if not reason.strip():
        raise ValidationError({"reason": _("Holding or advancing a phase needs a reason.")})
    current = current_phase(campaign)
    if action == PhaseOverride.RELEASE:
        campaign.manual_phase = None
    elif action == PhaseOverride.HOLD:
        if current is None:
            raise ValidationError({"action": _("No phase is current: there is nothing to hold.")})
        campaign.manual_phase = current
    elif action == PhaseOverride.ADVANCE:
        phases = list(campaign.phases.order_by("order"))
        if current is None:
            today = timezone.localdate()
            nxt = next((p for p in phases if p.start_date > today), None)
        else:
            nxt = next((p for p in phases if p.order > current.order), None)
        if nxt is None:
            raise ValidationError({"action": _("The last phase is already current.")})
        campaign.manual_phase = nxt
    else:
        raise ValidationError({"action": _("Unknown action.")})
    campaign.manual_phase_reason = reason.strip()
    _save(campaign, acting_user, reason=f"{PhaseOverride(action).label}: {reason.strip()}")
    return campaign


@transaction.atomic
def focus_item_save(
    *, campaign: Campaign, acting_user: User, focus_item: FocusItem | None = None, **fields
) -> FocusItem:
    _require_regulator_of(campaign, acting_user)
    focus_item = focus_item or FocusItem(campaign=campaign)
    for k, v in fields.items():
        setattr(focus_item, k, v)
    if focus_item.number is None:
        focus_item.number = (campaign.focus_items.aggregate(m=Max("number"))["m"] or 0) + 1
    _save(focus_item, acting_user)
    return focus_item


@transaction.atomic
def checklist_attach(*, focus_item: FocusItem, checklist: ChecklistTemplate | None, acting_user: User) -> FocusItem:
    """Attach one checklist template to a focus item (or detach with None)."""
    _require_regulator_of(focus_item.campaign, acting_user)
    if checklist is not None and not ChecklistTemplate.objects.visible_to(acting_user).filter(pk=checklist.pk).exists():
        raise ValidationError({"checklist": _("Choose a checklist you can see.")})
    focus_item.checklist = checklist
    _save(focus_item, acting_user)
    return focus_item


@transaction.atomic
def highlight_publish(*, campaign: Campaign, title: str, body: str, acting_user: User, published_on=None) -> Highlight:
    _require_regulator_of(campaign, acting_user)
    h = Highlight(campaign=campaign, title=title, body=body, published_on=published_on or timezone.localdate())
    _save(h, acting_user)
    return h


# --------------------------------------------------------------------------- deliverables


def _deliverable_codes(deliverable: Deliverable, utilities: Iterable[Organisation]):
    """(code, utility, due date) of every tracked deadline of the deliverable."""
    dates = deliverable_occurrences(deliverable)
    targets = list(utilities) if deliverable.per_utility else [deliverable.campaign.owner]
    for org in targets:
        for d in dates:
            code = DELIVERABLE_PREFIX
            if deliverable.per_utility:
                code += f".{org.code}"
            if deliverable.is_recurring:
                code += f".{d:%Y%m%d}"
            yield code, org, d


def _track_deliverable(deliverable: Deliverable, utilities: Iterable[Organisation]) -> int:
    cal = get_calendar()
    n = 0
    for code, org, d in _deliverable_codes(deliverable, utilities):
        fixed = fixed_date_deadline(code, d, cal)
        existing = TrackedDeadline.objects.for_object(deliverable).filter(code=code).first()
        if existing and existing.due == fixed.due:
            continue  # unchanged (and possibly already met): leave it as it is
        deadline_set(
            subject=deliverable,
            utility=org,
            code=code,
            label=f"{deliverable.campaign.short_title or deliverable.campaign.title}：{deliverable.title}",
            due=fixed.due,
            source_class=SourceClass.CAMPAIGN,
            start=min(fixed.start, timezone.now()),
        )
        n += 1
    return n


def deliverables_rest_day_refresh(dates: list) -> int:
    """Re-flag the deliverables due on changed calendar dates (a fixed date is never moved, only flagged)."""
    cal = get_calendar()
    changed = []
    for deliverable in Deliverable.objects.filter(due_date__in=dates).only("pk", "due_date", "due_on_rest_day"):
        rest = fixed_date_deadline("x", deliverable.due_date, cal).rest_day
        if rest != deliverable.due_on_rest_day:
            deliverable.due_on_rest_day = rest
            changed.append(deliverable)
    Deliverable.objects.bulk_update(changed, ["due_on_rest_day"])
    return len(changed)


@transaction.atomic
def deliverable_save(
    *, campaign: Campaign, acting_user: User, deliverable: Deliverable | None = None, **fields
) -> Deliverable:
    """Add or change a deliverable and track its due dates (fixed dates: 24:00 of the date, not moved
    off a rest day but flagged)."""
    _require_regulator_of(campaign, acting_user)
    deliverable = deliverable or Deliverable(campaign=campaign)
    for k, v in fields.items():
        setattr(deliverable, k, v)
    if deliverable.due_date:
        deliverable.due_on_rest_day = fixed_date_deadline("x", deliverable.due_date, get_calendar()).rest_day
    else:
        deliverable.due_on_rest_day = False
    _save(deliverable, acting_user)
    old = set(TrackedDeadline.objects.for_object(deliverable).open().values_list("code", flat=True))
    wanted = {c for c, *_r in _deliverable_codes(deliverable, campaign.utilities.all())}
    if old - wanted:
        deadline_cancel(subject=deliverable, codes=old - wanted)
    _track_deliverable(deliverable, campaign.utilities.all())
    return deliverable


@transaction.atomic
def deliverable_mark_done(
    *, deliverable: Deliverable, utility: Organisation, acting_user: User, at: datetime | None = None
) -> int:
    """Record that `utility` (or the office, for a regulator deliverable) handed the deliverable in."""
    at = at or timezone.now()
    codes = [code for code, org, _d in _deliverable_codes(deliverable, [utility]) if org.pk == utility.pk]
    return deadline_meet(subject=deliverable, codes=codes, at=at)


# --------------------------------------------------------------------------- self-check reports

REPORT_FIELDS = {
    "title",
    "summary",
    "declared_organisation",
    "period_start",
    "period_end",
    "indicator_year",
    "prepared_department",
    "prepared_person",
    "customers",
    "residential_customers",
    "staff",
    "service_area_km2",
    "annual_consumption",
    "reliability_urban",
    "reliability_rural",
    "voltage_overall",
    "voltage_a",
    "voltage_b",
    "voltage_c",
    "voltage_d",
    "complaints",
    "complaints_12398",
    "complaints_replied_in_time",
    "satisfaction",
}

# (from, to) → who may move it: "utility" (the report's utility) or "regulator" (the campaign's office).
REPORT_TRANSITIONS: dict[tuple[str, str], str] = {
    (ReportStatus.DRAFT, ReportStatus.SUBMITTED): "utility",
    (ReportStatus.SUBMITTED, ReportStatus.RETURNED): "regulator",
    (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED): "regulator",
    (ReportStatus.RETURNED, ReportStatus.RESUBMITTED): "utility",
    (ReportStatus.RESUBMITTED, ReportStatus.RETURNED): "regulator",
    (ReportStatus.RESUBMITTED, ReportStatus.ACCEPTED): "regulator",
}


def _require_utility_of(utility: Organisation, user: User) -> None:
    if user.is_superuser:
        return
    org = user.organisation
    if not (user.is_utility or user.is_system) or org is None or not utility.path.startswith(org.path):
        raise PermissionDenied(_("Only the utility itself (or its parent company) files this."))


class ReportExists(ValidationError):
    """The utility's report for the campaign exists (raised only after the permission check, so the
    answer never tells a stranger that another utility has filed)."""


@transaction.atomic
def report_create(*, campaign: Campaign, utility: Organisation, acting_user: User, **fields) -> SelfCheckReport:
    """Start a draft self-check report of `utility` for `campaign` (refused for a utility not in scope).
    Permission first, then scope, then uniqueness: each answer tells only what the caller may know."""
    _require_utility_of(utility, acting_user)
    if not CampaignUtility.objects.filter(campaign=campaign, utility=utility).exists():
        raise ValidationError(
            {"utility": _("%(utility)s is not in the scope of this campaign.") % {"utility": utility.name}}
        )
    if SelfCheckReport.objects.filter(campaign=campaign, utility=utility).exists():
        raise ReportExists({"utility": _("This utility already has a self-check report for the campaign.")})
    unknown = set(fields) - REPORT_FIELDS
    if unknown:
        raise ValidationError({k: _("Unknown field.") for k in unknown})
    fields.setdefault("title", f"{utility.name}{campaign.title}自查报告")
    report = SelfCheckReport(campaign=campaign, utility=utility, **fields)
    _save(report, acting_user)
    return report


def _require_editable(report: SelfCheckReport) -> None:
    if not report.editable:
        raise ValidationError(
            {
                "status": _(
                    "The report is %(status)s: only a draft or a returned report can be edited. Nothing was changed."
                )
                % {"status": report.get_status_display()}
            }
        )


@transaction.atomic
def report_update(*, report: SelfCheckReport, acting_user: User, **fields) -> SelfCheckReport:
    """Change a draft (or a returned report under revision); a submitted report is refused."""
    _require_utility_of(report.utility, acting_user)
    report = SelfCheckReport.objects.select_for_update().get(pk=report.pk)
    _require_editable(report)
    unknown = set(fields) - REPORT_FIELDS
    if unknown:
        raise ValidationError({k: _("Unknown field.") for k in unknown})
    for k, v in fields.items():
        setattr(report, k, v)
    _save(report, acting_user)
    return report


def _check_complete(report: SelfCheckReport) -> None:
    errors = {}
    for field in ("declared_organisation", "period_start", "period_end"):
        if not getattr(report, field):
            errors[field] = _("Required before the report is filed.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_transition(
    *, report: SelfCheckReport, to: str, acting_user: User, comment: str = "", at: datetime | None = None
) -> SelfCheckReport:
    """Move a report along REPORT_TRANSITIONS; refuses illegal moves and the wrong party, records the step."""
    at = at or timezone.now()
    report = SelfCheckReport.objects.select_for_update().select_related("campaign", "utility").get(pk=report.pk)
    frm = report.status
    who = REPORT_TRANSITIONS.get((frm, to))
    if who is None:
        raise ValidationError(
            {
                "status": _("A %(from)s report cannot become %(to)s.")
                % {"from": ReportStatus(frm).label, "to": ReportStatus(to).label}
            }
        )
    if who == "utility":
        _require_utility_of(report.utility, acting_user)
    else:
        _require_regulator_of(report.campaign, acting_user)
    campaign = report.campaign
    if to == ReportStatus.SUBMITTED:
        phase = phase_of_kind(campaign, PhaseKind.SELF_CHECK)
        if phase is not None and local_date(at) < phase.start_date:
            raise ValidationError(
                {
                    "status": _("Self-check reports are filed from the self-check phase on (%(start)s).")
                    % {"start": phase.start_date}
                }
            )
        _check_complete(report)
        due = self_check_due(campaign)
        report.first_submitted_at = at
        report.is_late = bool(due and at > end_of_day(due))
        report.submitted_at = at
        for d in campaign.deliverables.filter(kind=DeliverableKind.SELF_CHECK_REPORT):
            deliverable_mark_done(deliverable=d, utility=report.utility, acting_user=acting_user, at=at)
    elif to == ReportStatus.RESUBMITTED:
        _check_complete(report)
        report.submitted_at = at
    elif to == ReportStatus.RETURNED:
        if not comment.strip():
            raise ValidationError({"comment": _("Say what must be revised when returning a report.")})
        report.returned_at = at
        report.review_comments = comment.strip()
    elif to == ReportStatus.ACCEPTED:
        report.accepted_at = at
        if comment.strip():
            report.review_comments = comment.strip()
    report.status = to
    reason = f"{ReportStatus(frm).label} → {ReportStatus(to).label}"
    if comment.strip():
        reason += f": {comment.strip()}"
    _save(report, acting_user, reason=reason)
    if to in (ReportStatus.RETURNED, ReportStatus.ACCEPTED):
        notify(
            organisations=[report.utility],
            key=f"campaigns.report:{report.pk}:{to}:{at.timestamp():.0f}",
            subject=_("Self-check report %(status)s: %(title)s")
            % {"status": ReportStatus(to).label, "title": report.title},
            body=comment,
            url=f"/campaigns/reports/{report.pk}/",
            target=report,
            level="warning" if to == ReportStatus.RETURNED else "success",
        )
    else:
        notify(
            organisations=[campaign.owner],
            key=f"campaigns.report:{report.pk}:{to}:{at.timestamp():.0f}",
            subject=_("Self-check report to review: %(title)s") % {"title": report.title},
            url=f"/campaigns/reports/{report.pk}/",
            target=report,
        )
    return report


def report_submit(*, report, acting_user, at=None):
    return report_transition(report=report, to=ReportStatus.SUBMITTED, acting_user=acting_user, at=at)


def report_return(*, report, comment, acting_user, at=None):
    return report_transition(report=report, to=ReportStatus.RETURNED, comment=comment, acting_user=acting_user, at=at)


def report_resubmit(*, report, acting_user, at=None):
    return report_transition(report=report, to=ReportStatus.RESUBMITTED, acting_user=acting_user, at=at)


def report_accept(*, report, acting_user, comment="", at=None):
    return report_transition(report=report, to=ReportStatus.ACCEPTED, comment=comment, acting_user=acting_user, at=at)


@transaction.atomic
def answer_save(
    *,
    report: SelfCheckReport,
    item: ChecklistItem,
    answer: str,
    acting_user: User,
    note: str = "",
    focus_item: FocusItem | None = None,
) -> ChecklistAnswer:
    """Answer one checklist item of a campaign's attached checklists (only while the report is editable)."""
    _require_utility_of(report.utility, acting_user)
    _require_editable(report)
    attached = FocusItem.objects.filter(campaign=report.campaign, checklist_id=item.template_id)
    if not attached.exists():
        raise ValidationError({"item": _("This checklist is not attached to the campaign.")})
    if focus_item is None:
        focus_item = attached.first()
    obj = ChecklistAnswer.objects.filter(report=report, item=item).first() or ChecklistAnswer(report=report, item=item)
    obj.answer, obj.note, obj.focus_item = answer, note, focus_item
    _save(obj, acting_user)
    return obj


# --------------------------------------------------------------------------- findings and rectification


def _next_number(qs) -> int:
    return (qs.aggregate(m=Max("number"))["m"] or 0) + 1


@transaction.atomic
def finding_add(
    *,
    text: str,
    acting_user: User,
    report: SelfCheckReport | None = None,
    inspection: Inspection | None = None,
    focus_item: FocusItem | None = None,
    checklist_item: ChecklistItem | None = None,
    number: int | None = None,
) -> Finding:
    """A problem found by a self-check (utility, while the report is editable) or an inspection (regulator)."""
    if (report is None) == (inspection is None):
        raise ValidationError(_("A finding comes from one self-check report or one inspection."))
    if report is not None:
        _require_utility_of(report.utility, acting_user)
        _require_editable(report)
        campaign, utility, source = report.campaign, report.utility, FindingSource.SELF_CHECK
    else:
        _require_regulator_of(inspection.campaign, acting_user)
        campaign, utility, source = inspection.campaign, inspection.utility, FindingSource.INSPECTION
    if focus_item is not None and focus_item.campaign_id != campaign.pk:
        raise ValidationError({"focus_item": _("The focus item belongs to another campaign.")})
    if number is None:
        number = _next_number(Finding.objects.filter(campaign=campaign, utility=utility, source=source))
    finding = Finding(
        campaign=campaign,
        utility=utility,
        source=source,
        report=report,
        inspection=inspection,
        focus_item=focus_item,
        checklist_item=checklist_item,
        number=number,
        text=text,
    )
    _save(finding, acting_user)
    return finding


def _defect_number(campaign: Campaign, utility: Organisation) -> str:
    prefix = f"{campaign.code}-{utility.code}-"
    n = RectificationItem.objects.filter(defect_number__startswith=prefix).count() + 1
    while RectificationItem.objects.filter(defect_number=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


@transaction.atomic
def rectification_add(
    *,
    finding: Finding,
    measure: str,
    department: str,
    person: str,
    due_date: date | None,
    acting_user: User,
    status: str = RectificationStatus.OPEN,
    completed_on: date | None = None,
) -> RectificationItem:
    """A rectification item with a unique defect number (002 第十八条) and a tracked due date.

    Refused when due after the campaign's end: rectification closes in the last phase."""
    campaign = finding.campaign
    if finding.source == FindingSource.SELF_CHECK:
        _require_utility_of(finding.utility, acting_user)
        if finding.report is not None:
            _require_editable(finding.report)
    else:
        _require_regulator_of(campaign, acting_user)
    if due_date and due_date > campaign.end_date:
        raise ValidationError(
            {
                "due_date": _("Rectification closes within the campaign: the due date must be on or before %(end)s.")
                % {"end": campaign.end_date}
            }
        )
    item = RectificationItem(
        finding=finding,
        campaign=campaign,
        utility=finding.utility,
        defect_number=_defect_number(campaign, finding.utility),
        measure=measure,
        department=department,
        person=person,
        due_date=due_date,
        status=status,
        completed_on=completed_on,
    )
    _save(item, acting_user)
    _track_item(item)
    if status in (RectificationStatus.DONE_PENDING_VERIFICATION, RectificationStatus.VERIFIED) and completed_on:
        deadline_meet(subject=item, codes=[RECTIFICATION_DUE], at=end_of_day(completed_on) - timedelta(hours=1))
    return item


def _track_item(item: RectificationItem) -> None:
    """The item's due date as a tracked deadline (24:00 of the date), so the shared sweep flags it."""
    if item.due_date is None:
        return  # nothing to track until a due date is given (the reviewer is warned meanwhile)
    deadline_set(
        subject=item,
        utility=item.utility,
        code=RECTIFICATION_DUE,
        label=f"{item.defect_number} 整改期限",
        due=end_of_day(item.due_date),
        source_class=SourceClass.CAMPAIGN,
        start=min(timezone.now(), end_of_day(item.due_date)),
    )


# (from, to) → who: "utility" or "regulator"
RECTIFICATION_TRANSITIONS: dict[tuple[str, str], str] = {
    (RectificationStatus.OPEN, RectificationStatus.IN_PROGRESS): "utility",
    (RectificationStatus.OVERDUE, RectificationStatus.IN_PROGRESS): "utility",
    (RectificationStatus.OPEN, RectificationStatus.DONE_PENDING_VERIFICATION): "utility",
    (RectificationStatus.IN_PROGRESS, RectificationStatus.DONE_PENDING_VERIFICATION): "utility",
    (RectificationStatus.OVERDUE, RectificationStatus.DONE_PENDING_VERIFICATION): "utility",
    (RectificationStatus.DONE_PENDING_VERIFICATION, RectificationStatus.VERIFIED): "regulator",
    # The regulator does not accept the completion: back to work, with a note.
    (RectificationStatus.DONE_PENDING_VERIFICATION, RectificationStatus.IN_PROGRESS): "regulator",
    # The sweep (no user) marks an item overdue.
    (RectificationStatus.OPEN, RectificationStatus.OVERDUE): "system",
    (RectificationStatus.IN_PROGRESS, RectificationStatus.OVERDUE): "system",
}


@transaction.atomic
def rectification_transition(
    *,
    item: RectificationItem,
    to: str,
    acting_user: User | None,
    note: str = "",
    completed_on: date | None = None,
    at: datetime | None = None,
) -> RectificationItem:
    """Move a rectification item along RECTIFICATION_TRANSITIONS; refuses illegal moves, records the step."""
    at = at or timezone.now()
    item = RectificationItem.objects.select_for_update().select_related("campaign", "utility").get(pk=item.pk)
    who = RECTIFICATION_TRANSITIONS.get((item.status, to))
    if who is None or (who == "system") != (acting_user is None):
        raise ValidationError(
            {
                "status": _("A rectification item that is %(from)s cannot become %(to)s.")
                % {"from": RectificationStatus(item.status).label, "to": RectificationStatus(to).label}
            }
        )
    if who == "utility":
        _require_utility_of(item.utility, acting_user)
    elif who == "regulator":
        _require_regulator_of(item.campaign, acting_user)
    frm = item.status
    if to == RectificationStatus.DONE_PENDING_VERIFICATION:
        if not note.strip():
            raise ValidationError({"note": _("Describe what was done (the completion evidence).")})
        item.completed_on = completed_on or local_date(at)
        if item.completed_on > local_date(at):
            raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
        item.completion_note = note.strip()
        deadline_meet(subject=item, codes=[RECTIFICATION_DUE], at=min(at, end_of_day(item.completed_on)))
        deadline_cancel(subject=item, codes=[RENOTICE_RULE])
    elif to == RectificationStatus.VERIFIED:
        item.verified_at, item.verified_by = at, acting_user
        item.verification_note = note.strip()
    elif to == RectificationStatus.IN_PROGRESS and frm == RectificationStatus.DONE_PENDING_VERIFICATION:
        if not note.strip():
            raise ValidationError({"note": _("Say why the completion is not accepted.")})
        item.verification_note = note.strip()
    item.status = to
    reason = f"{RectificationStatus(frm).label} → {RectificationStatus(to).label}"
    _save(item, acting_user, reason=(reason + (f": {note.strip()}" if note.strip() else "")))
    return item


def rectification_overdue(ids: list[int], now: datetime) -> None:
    """Overdue handler (called by the shared sweep): mark overdue, re-notify and re-file (再通知, 再备案).

    Counted in `renotice_count`; the next re-notice is tracked under the rule RENOTICE_RULE, so an
    item that stays unresolved is re-notified every period until it is done.
    """
    items = list(
        RectificationItem.objects.filter(
            pk__in=ids,
            status__in=[RectificationStatus.OPEN, RectificationStatus.IN_PROGRESS, RectificationStatus.OVERDUE],
        ).select_related("utility", "campaign__owner")
    )
    if not items:
        return
    rule = None
    for item in items:
        if item.status != RectificationStatus.OVERDUE:
            item.status = RectificationStatus.OVERDUE
        item.renotice_count += 1
        item.last_renotified_at = now
        item._history_user = None
        item._change_reason = _("Overdue: re-notified and re-filed (%(n)d)") % {"n": item.renotice_count}
        item.save(update_fields=["status", "renotice_count", "last_renotified_at"])
        rule = rule or rule_for_code(RENOTICE_RULE, on=local_date(now), province_id=item.utility.province_id)
        deadline_track(subject=item, utility=item.utility, rule=rule, start=now, label=f"{item.defect_number} 再通知")
        notify(
            organisations=[item.utility, item.campaign.owner],
            key=f"campaigns.renotice:{item.pk}:{item.renotice_count}",
            subject=_("Rectification overdue (re-notice %(n)d): %(number)s")
            % {"n": item.renotice_count, "number": item.defect_number},
            body=f"{item.measure}\n{item.department} {item.person} — {item.due_date}",
            url=f"/campaigns/rectification/{item.pk}/",
            target=item,
            level="danger",
        )


# --------------------------------------------------------------------------- inspections


@transaction.atomic
def inspection_create(
    *,
    campaign: Campaign,
    utility: Organisation,
    inspected_on: date,
    acting_user: User,
    inspectors: str = "",
    summary: str = "",
) -> Inspection:
    """A regulator's visit; refused unless the date lies in the 检查督查 phase and the utility is in scope."""
    _require_regulator_of(campaign, acting_user)
    if not CampaignUtility.objects.filter(campaign=campaign, utility=utility).exists():
        raise ValidationError(
            {"utility": _("%(utility)s is not in the scope of this campaign.") % {"utility": utility.name}}
        )
    phase = phase_of_kind(campaign, PhaseKind.INSPECTION)
    if phase is None or not phase.contains(inspected_on):
        raise ValidationError(
            {
                "inspected_on": _("Inspections are recorded within the inspection phase (%(start)s to %(end)s).")
                % {"start": phase.start_date if phase else "—", "end": phase.end_date if phase else "—"}
            }
        )
    obj = Inspection(
        campaign=campaign, utility=utility, inspected_on=inspected_on, inspectors=inspectors, summary=summary
    )
    _save(obj, acting_user)
    return obj


# --------------------------------------------------------------------------- files


@transaction.atomic
def evidence_add(*, target: models.Model, file, acting_user: User, description: str = ""):
    """Attach an evidence file to a checklist answer (while its report is editable) or to a
    rectification item's completion (until verified). The type is sniffed from the content and the
    size checked against settings.UPLOAD_MAX_BYTES; the error says which limit was broken."""
    if isinstance(target, ChecklistAnswer):
        report = target.report
        _require_utility_of(report.utility, acting_user)
        _require_editable(report)
        utility = report.utility
    elif isinstance(target, RectificationItem):
        _require_utility_of(target.utility, acting_user)
        if target.status == RectificationStatus.VERIFIED:
            raise ValidationError({"file": _("The item is verified: its evidence is closed.")})
        utility = target.utility
    else:
        raise ValidationError({"file": _("Evidence is attached to an answer or a rectification item.")})
    try:
        return attachment_add(
            owner=target, utility=utility, file=file, acting_user=acting_user, description=description
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None


@transaction.atomic
def document_add(*, campaign: Campaign, file, acting_user: User, description: str = ""):
    """Attach a document (plan, notice) to a campaign; kept under the issuing office."""
    _require_regulator_of(campaign, acting_user)
    try:
        return attachment_add(
            owner=campaign, utility=campaign.owner, file=file, acting_user=acting_user, description=description
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None


# --------------------------------------------------------------------------- checklists


@transaction.atomic
def checklist_create(
    *, code: str, title: str, items: list[dict], acting_user: User, source: str = ""
) -> ChecklistTemplate:
    """A regulator office builds its own checklist: items with kind, group, number, text and 要点."""
    if not (acting_user.is_regulator and acting_user.organisation is not None) and not acting_user.is_superuser:
        raise PermissionDenied(_("Checklists are built by regulator offices."))
    if not items:
        raise ValidationError({"items": _("A checklist needs at least one item.")})
    template = ChecklistTemplate(code=code, title=title, source=source, owner=acting_user.organisation)
    _save(template, acting_user)
    for row in items:
        _save(
            ChecklistItem(
                template=template,
                kind=row.get("kind") or "check",
                group=row["group"],
                number=row["number"],
                text=row["text"],
                guidance=row.get("guidance", ""),
            ),
            acting_user,
        )
    return template


def parse_checklist_lines(text: str) -> list[dict]:
    """Lines "分组|序号|检查内容|要点" (full-width ｜ accepted) → items; errors name the line."""
    items, errors = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) < 3 or not parts[1].isdigit() or not parts[2]:
            errors.append(_("Line %(n)d: write group|number|text|key points.") % {"n": n})
            continue
        items.append({"group": parts[0], "number": int(parts[1]), "text": parts[2], "guidance": "|".join(parts[3:])})
    if errors:
        raise ValidationError({"items": errors})
    return items
