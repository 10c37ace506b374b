"""Writes of findings (存在问题) and their rectification items (整改措施), followed to the regulator's
verification through the workflow table `RECTIFICATION_WORKFLOW`:

    open, overdue ─start→ in progress
    open, in progress, overdue ─complete→ done, pending verification ─verify→ verified
                                          done, pending verification ─reject→ in progress
    open, in progress, overdue ─overdue→ overdue      (the sweep, no user: re-notified and re-filed)

The utility (or its parent company) rectifies; the issuing office's regulators verify. Every move goes
through `RECTIFICATION_WORKFLOW.transition` (portal.workflow), the sweep's too.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns import forms
from campaigns.choices import REVIEW_SOURCES, FindingSource, RectificationStatus
from campaigns.models import (
    Campaign,
    CampaignUtility,
    ChecklistItem,
    Finding,
    FocusItem,
    Inspection,
    RectificationItem,
    SelfCheckReport,
)
from campaigns.services.common import FILED_BY_UTILITY, MANAGED_BY_OFFICE, save, step_to
from campaigns.services.reports import require_editable
from portal.choices import Party, SourceClass
from portal.deadlines import end_of_day, local_date
from portal.models import Organisation, User
from portal.querysets import require_writable
from portal.selectors import rule_for_code
from portal.services import deadline_cancel, deadline_meet, deadline_set, deadline_track, notify
from portal.workflow import Move, Step, Workflow

RECTIFICATION_DUE = "campaign.rectification"
RENOTICE_RULE = "campaign.rectification.renotice"


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
    campaign: Campaign | None = None,
    utility: Organisation | None = None,
    source: str | None = None,
) -> Finding:
    """A problem found by a self-check (utility, while the report is editable), an inspection (regulator), or —
    issue 11 — by the regulator's consumer review, unannounced check or complaints analysis (`campaign`,
    `utility` in its scope and `source`, no report or inspection)."""
    if report is None and inspection is None and campaign is not None:
        require_writable(acting_user, campaign, Party.REGULATOR, MANAGED_BY_OFFICE)
        if source not in REVIEW_SOURCES:
            raise ValidationError({"source": _("Choose consumer review, an unannounced check or complaints analysis.")})
        if utility is None or not CampaignUtility.objects.filter(campaign=campaign, utility=utility).exists():
            raise ValidationError({"utility": _("Choose a utility in the campaign's scope.")})
    elif (report is None) == (inspection is None):
        raise ValidationError(_("A finding comes from one self-check report or one inspection."))
    if report is not None:
        require_writable(acting_user, report, Party.UTILITY, FILED_BY_UTILITY)
        require_editable(report)
        campaign, utility, source = report.campaign, report.utility, FindingSource.SELF_CHECK
    elif inspection is not None:
        require_writable(acting_user, inspection, Party.REGULATOR, MANAGED_BY_OFFICE)
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
    save(finding, acting_user)
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
    acting_user: User,
    person: str = "",
    due_date: date | None = None,
    status: str = RectificationStatus.OPEN,
    completed_on: date | None = None,
) -> RectificationItem:
    """A rectification item with a unique defect number (002 第十八条) and a tracked due date.

    Refused when due after the campaign's end: rectification closes in the last phase."""
    campaign = finding.campaign
    if finding.source == FindingSource.SELF_CHECK:
        require_writable(acting_user, finding, Party.UTILITY, FILED_BY_UTILITY)
        if finding.report is not None:
            require_editable(finding.report)
    else:
        require_writable(acting_user, finding, Party.REGULATOR, MANAGED_BY_OFFICE)
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
    save(item, acting_user)
    _track_item(item)
    if status in (RectificationStatus.DONE_PENDING_VERIFICATION, RectificationStatus.VERIFIED) and completed_on:
        deadline_meet(subject=item, codes=[RECTIFICATION_DUE], at=end_of_day(completed_on) - timedelta(hours=1))
    return item


@transaction.atomic
def rectification_fill(
    *, item: RectificationItem, acting_user: User, person: str = "", due_date: date | None = None
) -> RectificationItem:
    """Give a self-check rectification item its responsible person and due date while its report is a draft
    or returned for revision (the point a report is most often returned for; issue 20). What is given
    replaces what was there; what is left empty keeps its value. The due date is then tracked."""
    require_writable(acting_user, item, Party.UTILITY, FILED_BY_UTILITY)
    item = RectificationItem.objects.select_for_update().select_related("finding__report", "campaign").get(pk=item.pk)
    report = item.finding.report
    if report is None:
        raise ValidationError({"item": _("Only a self-check report's rectification items are completed here.")})
    require_editable(report)
    person = (person or "").strip()
    if not person and not due_date:
        raise ValidationError({"person": _("Give a responsible person or a due date.")})
    if due_date and due_date > item.campaign.end_date:
        raise ValidationError(
            {
                "due_date": _("Rectification closes within the campaign: the due date must be on or before %(end)s.")
                % {"end": item.campaign.end_date}
            }
        )
    if person:
        item.person = person
    if due_date:
        item.due_date = due_date
    save(item, acting_user)
    _track_item(item)
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


# --------------------------------------------------------------------------- the workflow


def _moved(body=None):
    """A step's body, followed by the history reason every item move records: "from → to: note"."""

    def apply(item: RectificationItem, move: Move) -> None:
        if body is not None:
            body(item, move)
        if not move.reason:
            reason = f"{RectificationStatus(move.old).label} → {RectificationStatus(move.step.to).label}"
            move.reason = reason + (f": {move.note}" if move.note else "")

    return apply


def _complete(item: RectificationItem, move: Move) -> None:
    """The completion date (default: the day of the step; never in the future) and what was done. The
    deadline effects are exact codes, not the table's prefixes: RECTIFICATION_DUE is also the prefix of the
    re-notice, which completion cancels rather than meets."""
    item.completed_on = move.data.get("completed_on") or local_date(move.at)
    if item.completed_on > local_date(move.at):
        raise ValidationError({"completed_on": _("The completion date cannot be in the future.")})
    item.completion_note = move.note
    deadline_meet(subject=item, codes=[RECTIFICATION_DUE], at=min(move.at, end_of_day(item.completed_on)))
    deadline_cancel(subject=item, codes=[RENOTICE_RULE])


def _verify(item: RectificationItem, move: Move) -> None:
    if move.data.get("accept") is False:
        raise ValidationError(
            {
                "accept": _("A completion that is not accepted goes back to work with the step “%(step)s”.")
                % {"step": RECTIFICATION_WORKFLOW.step("reject").label}
            }
        )
    item.verified_at, item.verified_by = move.at, move.user
    item.verification_note = move.note


def _reject(item: RectificationItem, move: Move) -> None:
    item.verification_note = move.note


def _overdue(item: RectificationItem, move: Move) -> None:
    """Counted in `renotice_count`; the history says which re-notice this is."""
    item.renotice_count += 1
    item.last_renotified_at = move.at
    move.reason = _("Overdue: re-notified and re-filed (%(n)d)") % {"n": item.renotice_count}


def _renotice(item: RectificationItem, move: Move) -> None:
    """An overdue item is re-notified and re-filed (再通知, 再备案): the next re-notice is tracked under the
    rule RENOTICE_RULE, so an item that stays unresolved is re-notified every period until it is done."""
    rule = rule_for_code(RENOTICE_RULE, on=local_date(move.at), province_id=item.utility.province_id)
    deadline_track(subject=item, utility=item.utility, rule=rule, start=move.at, label=f"{item.defect_number} 再通知")
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


S = RectificationStatus
UNRESOLVED = frozenset({S.OPEN, S.IN_PROGRESS, S.OVERDUE})
RECTIFICATION_WORKFLOW = Workflow(
    model=RectificationItem,
    lock_related=("campaign", "utility"),
    status_label=lambda s: RectificationStatus(s).label,
    refusal=gettext_lazy("A rectification item that is %(status)s cannot become %(step)s."),
    permission_message=gettext_lazy(
        "Only the utility itself (or its parent company) rectifies, "
        "and only the issuing office's regulators verify the rectification."
    ),
    clean=True,
    steps=(
        Step(
            "start",
            gettext_lazy("Start rectification"),
            to=S.IN_PROGRESS,
            sources=frozenset({S.OPEN, S.OVERDUE}),
            by=(Party.UTILITY,),
            apply=_moved(),
            event=S.IN_PROGRESS,
        ),
        Step(
            "complete",
            gettext_lazy("Report completion"),
            to=S.DONE_PENDING_VERIFICATION,
            sources=UNRESOLVED,
            by=(Party.UTILITY,),
            form=forms.CompleteForm,
            note_required=gettext_lazy("Describe what was done (the completion evidence)."),
            apply=_moved(_complete),
            event=S.DONE_PENDING_VERIFICATION,
        ),
        Step(
            "verify",
            gettext_lazy("Verified: the rectification is done"),
            to=S.VERIFIED,
            sources=frozenset({S.DONE_PENDING_VERIFICATION}),
            by=(Party.REGULATOR,),
            form=forms.VerifyForm,
            apply=_moved(_verify),
            event=S.VERIFIED,
        ),
        Step(
            "reject",
            gettext_lazy("Not accepted: back to work"),
            to=S.IN_PROGRESS,
            sources=frozenset({S.DONE_PENDING_VERIFICATION}),
            by=(Party.REGULATOR,),
            form=forms.RejectForm,
            note_required=gettext_lazy("Say why the completion is not accepted."),
            apply=_moved(_reject),
            event=S.IN_PROGRESS,
            danger=True,
        ),
        # The sweep (no user) marks an unresolved item past its due date overdue; one already overdue is
        # re-notified again when its re-notice falls due.
        Step(
            "overdue",
            gettext_lazy("Overdue"),
            to=S.OVERDUE,
            sources=UNRESOLVED,
            by=(Party.SYSTEM,),
            apply=_moved(_overdue),
            then=_renotice,
            event=S.OVERDUE,
        ),
    ),
)


def rectification_transition(
    *,
    item: RectificationItem,
    to: str,
    acting_user: User | None,
    note: str = "",
    completed_on: date | None = None,
    at: datetime | None = None,
) -> RectificationItem:
    """Move a rectification item to status `to` by the step of RECTIFICATION_WORKFLOW that leads there from
    its current status (to in progress: `start`, or `reject` of a completion)."""
    status = RectificationItem.objects.values_list("status", flat=True).get(pk=item.pk)
    name = step_to(RECTIFICATION_WORKFLOW, status, to)
    data = {"completed_on": completed_on} if completed_on is not None else {}
    return RECTIFICATION_WORKFLOW.transition(item, name, acting_user, at=at, note=note, **data)


def rectification_overdue(ids: list[int], now: datetime) -> None:
    """Overdue handler (called by the shared sweep): each unresolved item of `ids` takes the table's
    system step `overdue` — marked overdue, re-notified and re-filed (再通知, 再备案)."""
    step = RECTIFICATION_WORKFLOW.step("overdue")
    items = RectificationItem.objects.filter(pk__in=ids, status__in=step.sources).order_by("pk")
    for item in items:
        try:
            RECTIFICATION_WORKFLOW.transition(item, step.name, None, at=now)
        except ValidationError:
            continue  # resolved meanwhile (completed under the lock): nothing is overdue any more
