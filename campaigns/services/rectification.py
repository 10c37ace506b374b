"""Writes of findings (存在问题) and their rectification items (整改措施), in a campaign or (issue 11) in a
standalone rectification programme, followed to the regulator's verification through the workflow table
`RECTIFICATION_WORKFLOW`:

    proposed ─approve→ open                            (a measure the utility proposed, approved by the regulator)
    proposed ─return→ returned ─resubmit→ proposed     (returned with the reason, revised)
    open, overdue ─start→ in progress
    open, in progress, overdue ─complete→ done, pending verification ─verify→ verified   (evidence files first)
                                          done, pending verification ─reject→ in progress
    open, in progress, overdue ─overdue→ overdue      (the sweep, no user: re-notified and re-filed)
    overdue … ─escalate→ (约谈, then 稽查)              (the sweep, after the catalogue's number of re-notices)
    escalated ─talk→, ─audit→                          (the regulator records the talk / the audit held)

The utility (or its parent company) rectifies and proposes its measures for a finding addressed to it; the
issuing office's regulators add measures themselves, approve or return the proposed ones, and verify. Due dates
are the plan's: a campaign's end does not cap them. Every move goes through `RECTIFICATION_WORKFLOW.transition`
(portal.workflow), the sweep's too.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns import forms
from campaigns.choices import REVIEW_SOURCES, Escalation, FindingSource, RectificationStatus
from campaigns.models import (
    Campaign,
    CampaignUtility,
    ChecklistItem,
    Finding,
    FocusItem,
    Inspection,
    RectificationItem,
    RectificationProgramme,
    SelfCheckReport,
)
from campaigns.services.common import FILED_BY_UTILITY, MANAGED_BY_OFFICE, save, step_to
from campaigns.services.programmes import MANAGED_BY_PROGRAMME_OFFICE, require_open_programme
from campaigns.services.reports import require_editable
from portal.choices import Party, SourceClass
from portal.deadlines import end_of_day, local_date
from portal.models import Attachment, Organisation, Rule, User
from portal.querysets import acts_as, require_writable
from portal.selectors import rule_for_code
from portal.services import deadline_cancel, deadline_meet, deadline_set, deadline_track, notify
from portal.workflow import Move, Step, Workflow

RECTIFICATION_DUE = "campaign.rectification"
RENOTICE_RULE = "campaign.rectification.renotice"
# Issue 11: after how many re-notices an item escalates, to which levels in order, and the period between them.
ESCALATION_RULE = "campaign.rectification.escalation"


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
    programme: RectificationProgramme | None = None,
) -> Finding:
    """A problem found by a self-check (utility, while the report is editable), an inspection (regulator), or —
    issue 11 — by the regulator's consumer review, unannounced check or complaints analysis (`campaign`,
    `utility` in its scope and `source`, no report or inspection); or, outside any campaign, a finding of a
    standalone rectification programme (`programme`, any source, a utility the office supervises)."""
    if programme is not None:
        if campaign is not None or report is not None or inspection is not None:
            raise ValidationError(_("A finding belongs to one campaign or one rectification programme."))
        require_writable(acting_user, programme, Party.REGULATOR, MANAGED_BY_PROGRAMME_OFFICE)
        require_open_programme(programme)
        if source not in FindingSource.values:
            raise ValidationError({"source": _("Choose what found the problem.")})
        supervised = Organisation.objects.visible_to_organisation(programme.owner).utilities()
        if utility is None or not supervised.filter(pk=utility.pk).exists():
            raise ValidationError({"utility": _("Choose a utility the issuing office supervises.")})
        number = number or _next_number(Finding.objects.filter(programme=programme, utility=utility, source=source))
        finding = Finding(programme=programme, utility=utility, source=source, number=number, text=text)
        save(finding, acting_user)
        return finding
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


def _defect_number(parent: Campaign | RectificationProgramme, utility: Organisation) -> str:
    prefix = f"{parent.code}-{utility.code}-"
    n = RectificationItem.objects.filter(defect_number__startswith=prefix).count() + 1
    while RectificationItem.objects.filter(defect_number=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


def check_due_date(parent, due_date) -> None:
    """The plan's due date, never capped by a campaign's end (seed 004's plans run for years), is not before
    the campaign or the programme starts."""
    if due_date and due_date < parent.start_date:
        raise ValidationError(
            {"due_date": _("The due date cannot be before the start (%(start)s).") % {"start": parent.start_date}}
        )


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

    Who adds it: the utility for a finding of its own self-check report (with the status it reports); for a
    finding addressed to the utility (inspection, consumer review, …) the issuing office's regulators add a
    measure themselves (open at once), or the utility proposes one (`proposed`: approved or returned by the
    regulator, tracked from its approval). The due date is the plan's — never capped by a campaign's end —
    and not before the campaign or the programme starts."""
    parent = finding.parent
    if finding.report_id is not None:
        require_writable(acting_user, finding, Party.UTILITY, FILED_BY_UTILITY)
        require_editable(finding.report)
    elif acts_as(acting_user, Party.REGULATOR):
        reason = MANAGED_BY_PROGRAMME_OFFICE if finding.programme_id else MANAGED_BY_OFFICE
        require_writable(acting_user, finding, Party.REGULATOR, reason)
    else:
        require_writable(acting_user, finding, Party.UTILITY, FILED_BY_UTILITY)
        status, completed_on = RectificationStatus.PROPOSED, None
    require_open_programme(finding.programme)
    check_due_date(parent, due_date)
    item = RectificationItem(
        finding=finding,
        campaign=finding.campaign,
        programme=finding.programme,
        utility=finding.utility,
        defect_number=_defect_number(parent, finding.utility),
        measure=measure,
        department=department,
        person=person,
        due_date=due_date,
        status=status,
        completed_on=completed_on,
    )
    save(item, acting_user)
    if status == RectificationStatus.PROPOSED:
        _notify_proposed(item)
        return item
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
    item = (
        RectificationItem.objects.select_for_update(of=("self",))
        .select_related("finding__report", "campaign")
        .get(pk=item.pk)
    )
    report = item.finding.report
    if report is None:
        raise ValidationError({"item": _("Only a self-check report's rectification items are completed here.")})
    require_editable(report)
    person = (person or "").strip()
    if not person and not due_date:
        raise ValidationError({"person": _("Give a responsible person or a due date.")})
    check_due_date(item.parent, due_date)
    if person:
        item.person = person
    if due_date:
        item.due_date = due_date
    save(item, acting_user)
    _track_item(item)
    return item


def _notify_proposed(item: RectificationItem) -> None:
    notify(
        organisations=[item.owner_office],
        key=f"campaigns.rectification-proposed:{item.pk}:{item.history.count()}",
        subject=_("Rectification measure proposed: %(number)s (%(utility)s)")
        % {"number": item.defect_number, "utility": item.utility.name},
        body=f"{item.measure}\n{item.department} {item.person} — {item.due_date or ''}",
        url=item.get_absolute_url(),
        target=item,
    )


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
    deadline_cancel(subject=item, codes=[RENOTICE_RULE, ESCALATION_RULE])


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


def _no_evidence(item: RectificationItem, probe) -> str | None:
    """Completion is reported with its evidence: at least one file attached to the item first."""
    if Attachment.objects.for_object(item).exists():
        return None
    return _("Attach the completion evidence (a file) before reporting completion.")


def _no_due_date(item: RectificationItem, probe) -> str | None:
    if item.due_date is None:
        return _("A measure without a due date cannot be approved: return it with the reason.")
    return None


def _approve(item: RectificationItem, move: Move) -> None:
    item.approved_at = move.at
    item.review_note = move.note


def _approved(item: RectificationItem, move: Move) -> None:
    _track_item(item)


def _return(item: RectificationItem, move: Move) -> None:
    item.review_note = move.note


def _resubmit(item: RectificationItem, move: Move) -> None:
    """The revised proposal: every field sent replaces the one proposed."""
    for field in ("measure", "department", "person", "due_date"):
        value = move.data.get(field)
        if value not in (None, ""):
            setattr(item, field, value)
    check_due_date(item.parent, item.due_date)


def _notify_review(item: RectificationItem, move: Move) -> None:
    """The utility hears of its proposal approved or returned; the office of a revised proposal."""
    if move.step.name == "resubmit":
        _notify_proposed(item)
        return
    approved = move.step.name == "approve"
    subject = (
        _("Rectification measure approved: %(number)s") if approved else _("Rectification measure returned: %(number)s")
    )
    notify(
        organisations=[item.utility],
        key=f"campaigns.rectification-{move.step.name}:{item.pk}:{move.at.timestamp():.0f}",
        subject=subject % {"number": item.defect_number},
        body=move.note,
        url=item.get_absolute_url(),
        target=item,
        level="success" if approved else "warning",
    )


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
        organisations=[item.utility, item.owner_office],
        key=f"campaigns.renotice:{item.pk}:{item.renotice_count}",
        subject=_("Rectification overdue (re-notice %(n)d): %(number)s")
        % {"n": item.renotice_count, "number": item.defect_number},
        body=f"{item.measure}\n{item.department} {item.person} — {item.due_date}",
        url=f"/campaigns/rectification/{item.pk}/",
        target=item,
        level="danger",
    )


def escalation_ladder(item: RectificationItem, on) -> tuple[int | None, list[str]]:
    """The catalogue's escalation for `item` (rule ESCALATION_RULE): after how many re-notices, and the levels in
    order (`params.after_renotices`, `params.levels`: ["talk", "audit"]) — data, never a constant here."""
    try:
        rule = rule_for_code(ESCALATION_RULE, on=on, province_id=item.utility.province_id)
    except Rule.DoesNotExist:
        return None, []
    params = rule.params or {}
    ladder = [level for level in params.get("levels", []) if level in Escalation.values and level != Escalation.NONE]
    return params.get("after_renotices"), ladder


def _next_level(item: RectificationItem, on) -> str | None:
    after, ladder = escalation_ladder(item, on)
    if after is None or item.renotice_count < after:
        return None
    reached = ladder.index(item.escalation) + 1 if item.escalation in ladder else 0
    return ladder[reached] if reached < len(ladder) else None


def _escalate(item: RectificationItem, move: Move) -> None:
    level = move.data.get("level") or _next_level(item, local_date(move.at))
    if level is None:
        raise ValidationError({"escalation": _("Nothing to escalate to.")})
    item.escalation, item.escalated_at = level, move.at
    move.reason = _("Escalated after %(n)d re-notices: %(level)s") % {
        "n": item.renotice_count,
        "level": Escalation(level).label,
    }


def _escalated(item: RectificationItem, move: Move) -> None:
    """The next period is tracked under the escalation rule, so the sweep comes back if the item stays
    unresolved; the office and the utility are told what is due."""
    rule = rule_for_code(ESCALATION_RULE, on=local_date(move.at), province_id=item.utility.province_id)
    label = f"{item.defect_number} {Escalation(item.escalation).label}"[:200]
    deadline_track(subject=item, utility=item.utility, rule=rule, start=move.at, label=label)
    notify(
        organisations=[item.owner_office, item.utility],
        key=f"campaigns.rectification-escalated:{item.pk}:{item.escalation}",
        subject=_("Rectification overdue after %(n)d re-notices, escalated — %(level)s: %(number)s")
        % {"n": item.renotice_count, "level": Escalation(item.escalation).label, "number": item.defect_number},
        body=f"{item.measure}\n{item.department} {item.person} — {item.due_date}",
        url=item.get_absolute_url(),
        target=item,
        level="danger",
    )


def _talk_check(item: RectificationItem, probe) -> str | None:
    if item.escalation == Escalation.NONE:
        return _("A talk (约谈) is held on an item escalated after its re-notices.")
    if item.talk_held_on is not None:
        return _("The talk (约谈) on this item is recorded already.")
    return None


def _audit_check(item: RectificationItem, probe) -> str | None:
    if item.escalation != Escalation.AUDIT:
        return _("An audit (稽查) is held on an item escalated to it.")
    if item.audit_held_on is not None:
        return _("The audit (稽查) of this item is recorded already.")
    return None


def _held(kind: str):
    def apply(item: RectificationItem, move: Move) -> None:
        held_on = move.data.get("held_on") or local_date(move.at)
        if held_on > local_date(move.at):
            raise ValidationError({"held_on": _("The date cannot be in the future.")})
        setattr(item, f"{kind}_held_on", held_on)
        setattr(item, f"{kind}_note", move.note)
        label = Escalation(kind).label
        move.reason = f"{label} {held_on:%Y-%m-%d}" + (f": {move.note}" if move.note else "")

    return apply


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
    after=lambda item, move: _notify_review(item, move) if move.step.name in REVIEW_STEPS else None,
    steps=(
        Step(
            "approve",
            gettext_lazy("Approve the proposed measure"),
            to=S.OPEN,
            sources=frozenset({S.PROPOSED}),
            by=(Party.REGULATOR,),
            form=forms.ApproveForm,
            check=_no_due_date,
            apply=_moved(_approve),
            then=_approved,
            event=S.OPEN,
        ),
        Step(
            "return",
            gettext_lazy("Return the proposed measure for revision"),
            to=S.RETURNED,
            sources=frozenset({S.PROPOSED}),
            by=(Party.REGULATOR,),
            form=forms.RejectForm,
            note_required=gettext_lazy("Say why the measure is returned."),
            apply=_moved(_return),
            event=S.RETURNED,
            danger=True,
        ),
        Step(
            "resubmit",
            gettext_lazy("Propose the revised measure"),
            to=S.PROPOSED,
            sources=frozenset({S.RETURNED}),
            by=(Party.UTILITY,),
            form=forms.ProposalForm,
            apply=_moved(_resubmit),
            event=S.PROPOSED,
        ),
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
            check=_no_evidence,
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
        # After the catalogue's number of re-notices the sweep escalates an item still unresolved, one level a
        # period (约谈, then 稽查); the regulator records each held, with its date and what happened.
        Step(
            "escalate",
            gettext_lazy("Escalate (after the re-notices)"),
            to=None,
            sources=UNRESOLVED,
            by=(Party.SYSTEM,),
            apply=_escalate,
            then=_escalated,
        ),
        Step(
            "talk",
            gettext_lazy("Record the talk (约谈) held"),
            to=None,
            sources=UNRESOLVED,
            by=(Party.REGULATOR,),
            form=forms.HeldForm,
            note_required=gettext_lazy("Say who attended and what was agreed."),
            check=_talk_check,
            apply=_held("talk"),
            danger=True,
        ),
        Step(
            "audit",
            gettext_lazy("Record the audit (稽查) held"),
            to=None,
            sources=UNRESOLVED,
            by=(Party.REGULATOR,),
            form=forms.HeldForm,
            note_required=gettext_lazy("Say what the audit found."),
            check=_audit_check,
            apply=_held("audit"),
            danger=True,
        ),
    ),
)
REVIEW_STEPS = frozenset({"approve", "return", "resubmit"})


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
    system step `overdue` — marked overdue, re-notified and re-filed (再通知, 再备案) — or, once it has had the
    number of re-notices the catalogue's rule ESCALATION_RULE sets, `escalate` to its next level (约谈, then
    稽查), one level a period of that rule; past the last level it is re-notified again."""
    step = RECTIFICATION_WORKFLOW.step("overdue")
    items = RectificationItem.objects.filter(pk__in=ids, status__in=step.sources).select_related("utility")
    for item in items.order_by("pk"):
        level = _next_level(item, local_date(now))
        try:
            if level is not None:
                RECTIFICATION_WORKFLOW.transition(item, "escalate", None, at=now, level=level)
            else:
                RECTIFICATION_WORKFLOW.transition(item, step.name, None, at=now)
        except ValidationError:
            continue  # resolved meanwhile (completed under the lock): nothing is overdue any more
