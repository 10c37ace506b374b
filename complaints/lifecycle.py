"""The lifecycle of a complaint ticket: its workflow table and the bodies of its steps.

Receipt → (accept | the regulator's forward of a 12398 item) → contact → reply → (visit) → close;
reopen and appeal count the reply deadlines again. The regulator supervises (督办) any open ticket.
Every step goes through `portal.workflow.Workflow.transition`; the `complaint_*` functions below are
the services' names for them.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from complaints import forms
from complaints.choices import (
    APPEAL_CODE,
    CONTACT_PREFIX,
    ENDED_STATUSES,
    OPEN_STATUSES,
    REPLY_PREFIX,
    SUPERVISION_CODE,
    SUPERVISION_LEVELS,
    TALK_CODE,
    Action,
    AppealOutcome,
    Category,
    Channel,
    Finding,
    Kind,
    Satisfaction,
    Status,
    SupervisionLevel,
    SupervisionStatus,
    TalkLevel,
    supervision_code,
)
from complaints.models import Appeal, Complaint, Investigation, Supervision, Talk
from complaints.services import SUMMARY_FIELDS, _event, _refresh_summary, _track_rules
from portal.calendar import get_calendar
from portal.choices import REGULATOR_ROLES, DeadlineStatus, Party, Role, SourceClass
from portal.deadlines import compute_deadline, local_date
from portal.models import Organisation, TrackedDeadline, User
from portal.selectors import rule_for_code
from portal.services import deadline_cancel, deadline_set, deadline_track, notify
from portal.workflow import Move, Step, Workflow

BOTH = (Party.UTILITY, Party.REGULATOR)
# Reply before contact: allowed only with a note saying why (e.g. answered on the first call).
REPLY_WITH_NOTE_FROM = frozenset({Status.RECEIVED, Status.ACCEPTED, Status.FORWARDED})
_SKEW = timedelta(minutes=5)


def _check_instant(ticket: Complaint, at: datetime, after: datetime | None = None) -> None:
    if timezone.is_naive(at):
        raise ValidationError({"at": _("The instant must include a time zone.")})
    if at > timezone.now() + _SKEW:
        raise ValidationError({"at": _("This has not happened yet: the instant lies in the future.")})
    floor = max(v for v in (ticket.received_at, after) if v is not None)
    if at < floor:
        raise ValidationError(
            {
                "at": _("This step cannot precede %(when)s.")
                % {"when": timezone.localtime(floor).strftime("%Y-%m-%d %H:%M")}
            }
        )


def _stamp(instant: str, previous):
    """A step body that checks the step's instant against the one before it and records it."""

    def apply(ticket: Complaint, move: Move) -> None:
        _check_instant(ticket, move.at, previous(ticket))
        setattr(ticket, instant, move.at)

    return apply


def _forward(ticket: Complaint, move: Move) -> None:
    _check_instant(ticket, move.at, ticket.accepted_at)
    ticket.forwarded_at = move.at
    ticket.forwarded_by = move.user.organisation
    move.details = {"to": ticket.utility.code}


def _reply(ticket: Complaint, move: Move) -> None:
    opinion = (move.data.get("opinion") or "").strip()
    if not opinion:
        raise ValidationError({"opinion": _("The reply needs the handling opinion.")})
    _check_instant(ticket, move.at, ticket.contacted_at)
    ticket.replied_at = move.at
    ticket.reply_opinion = opinion
    move.details = {"opinion": opinion}


def _visit(ticket: Complaint, move: Move) -> None:
    satisfaction = move.data.get("satisfaction")
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose one of %(v)s.") % {"v": ", ".join(Satisfaction.values)}})
    _check_instant(ticket, move.at, ticket.replied_at)
    ticket.visited_at = move.at
    ticket.satisfaction = satisfaction
    move.details = {"satisfaction": satisfaction}


def _reopen(counter: str):
    def apply(ticket: Complaint, move: Move) -> None:
        _check_instant(ticket, move.at)
        setattr(ticket, counter, getattr(ticket, counter) + 1)
        ticket.closed_at = None

    return apply


def _supervise(ticket: Complaint, move: Move) -> None:
    """督办 at the next level (三级督办): level 1, then 2, then 3, in order."""
    due = move.data.get("due")
    if due is not None:
        if timezone.is_naive(due):
            raise ValidationError({"due": _("Give the internal deadline with a time zone.")})
        if due <= timezone.now():
            raise ValidationError({"due": _("The internal deadline must lie in the future.")})
    ticket.supervision_level += 1
    ticket.supervised_at = move.at
    ticket.supervision_note = move.note
    move.details = {"level": ticket.supervision_level}


def _below_third_level(ticket: Complaint, probe) -> str | None:
    if ticket.supervision_level >= SUPERVISION_LEVELS[-1]:
        return _("The ticket is at the third level of supervision: the next step is a talk (约谈).")
    return None


def _talk_check(ticket: Complaint, probe) -> str | None:
    if ticket.supervision_level < SUPERVISION_LEVELS[-1]:
        return _("A talk (约谈) follows the third level of supervision (this ticket is at level %(n)d).") % {
            "n": ticket.supervision_level
        }
    if ticket.talk_count >= len(TalkLevel):
        return _("Both levels of talks (两级约谈) were held on this ticket.")
    return None


def _talk(ticket: Complaint, move: Move) -> None:
    held_at, follow_up_due = move.data.get("held_at"), move.data.get("follow_up_due")
    for name, value in (("held_at", held_at), ("follow_up_due", follow_up_due)):
        if value is None or timezone.is_naive(value):
            raise ValidationError({name: _("Give the instant with a time zone.")})
    _check_instant(ticket, held_at)
    if follow_up_due <= held_at:
        raise ValidationError({"follow_up_due": _("The follow-up is due after the talk.")})
    for name in ("attendees", "agreement"):
        if not (move.data.get(name) or "").strip():
            raise ValidationError({name: _("This field is required.")})
    ticket.talk_count += 1
    move.at = held_at  # the timeline shows the talk when it was held
    move.details = {"level": ticket.talk_count, "held_at": held_at.isoformat(), "due": follow_up_due.isoformat()}


def _follow_up_check(ticket: Complaint, probe) -> str | None:
    if not ticket.talks.filter(followed_up_at__isnull=True).exists():
        return _("No talk (约谈) awaits a follow-up report.")
    return None


def _follow_up(ticket: Complaint, move: Move) -> None:
    _check_instant(ticket, move.at)
    talk = ticket.talks.filter(followed_up_at__isnull=True).order_by("level").first()
    talk.followed_up_at = move.at
    talk.follow_up_report = move.note
    talk._history_user = move.user
    talk.save()
    move.details = {"level": talk.level}


def _decline(ticket: Complaint, move: Move) -> None:
    """不予受理: the reason is the note; every running deadline stops (the step cancels them)."""
    _check_instant(ticket, move.at)
    ticket.declined_at = move.at
    ticket.declined_reason = move.note
    move.details = {"reason": move.note}


def _not_supervised(ticket: Complaint, probe) -> str | None:
    if ticket.supervision_level:
        return _("The regulator supervises this ticket: it is answered, not declined.")
    return None


# The categories a fault outage can be the subject of (seed 002: 外线故障 → 值长发布公告).
OUTAGE_CATEGORIES = frozenset({Category.REPAIR, Category.OUTAGE})
FAULT = "fault"  # outages.choices.OutageKind.FAULT (the apps do not import each other)


def _finding(ticket: Complaint, move: Move) -> None:
    """核实结论: justified or not, the responsible department, the fault outage the complaint was about."""
    finding = move.data.get("finding")
    if finding not in Finding.values:
        raise ValidationError({"finding": _("Choose one of %(v)s.") % {"v": ", ".join(Finding.values)}})
    department = (move.data.get("responsible_department") or "").strip()
    outage_id = move.data.get("outage")
    outage = None
    if outage_id:
        if ticket.category not in OUTAGE_CATEGORIES:
            raise ValidationError({"outage": _("Only a repair or outage complaint is linked to a fault outage.")})
        notices = Complaint._meta.get_field("outage").related_model.objects
        outage = notices.filter(pk=outage_id, utility__path__startswith=ticket.utility.path).first()
        if outage is None:
            raise ValidationError({"outage": _("No outage notice of this utility has that id.")})
        if outage.kind != FAULT:
            raise ValidationError(
                {"outage": _("Link the fault outage the complaint was about, not a notice of another kind.")}
            )
    ticket.finding = finding
    ticket.responsible_department = department
    ticket.outage = outage
    move.details = {"finding": finding, "department": department, "outage": outage.pk if outage else None}


def _appealed(ticket: Complaint, move: Move) -> None:
    """申诉 on its own clock: the catalogue's `complaint.appeal`, counted from the appeal, tracked as
    `complaint.appeal.N` until the regulator decides it."""
    rule = rule_for_code(APPEAL_CODE, on=local_date(move.at), province_id=ticket.utility.province_id)
    appeal = Appeal(
        complaint=ticket,
        number=ticket.appeal_count,
        lodged_at=move.at,
        grounds=move.note,
        due=compute_deadline(rule.spec(), move.at, get_calendar()).due,
    )
    appeal._history_user = move.user
    appeal.save()
    deadline_track(  # linked to the rule: its trace is shown, a calendar change re-judges it
        subject=ticket,
        utility=ticket.utility,
        rule=rule,
        start=move.at,
        label=(_("Appeal (申诉) %(n)d: %(grounds)s") % {"n": appeal.number, "grounds": move.note})[:200],
        code=appeal.code,
    )


def _open_appeal(ticket: Complaint, probe) -> str | None:
    if not ticket.appeals.filter(outcome="").exists():
        return _("No appeal of this ticket awaits a decision.")
    return None


def _decide_appeal(ticket: Complaint, move: Move) -> None:
    """The regulator decides the appeal: upheld, the utility handles the ticket again (the reply clocks
    the appeal reopened keep running); rejected, the handling stands: those clocks stop and the ticket is
    closed again."""
    outcome, decision = move.data.get("outcome"), (move.data.get("decision") or "").strip()
    if outcome not in AppealOutcome.values:
        raise ValidationError({"outcome": _("Choose one of %(v)s.") % {"v": ", ".join(AppealOutcome.values)}})
    if not decision:
        raise ValidationError({"decision": _("This field is required.")})
    appeal = ticket.appeals.filter(outcome="").order_by("number").first()
    _check_instant(ticket, move.at, appeal.lodged_at)
    appeal.outcome, appeal.decision, appeal.decided_at, appeal.decided_by = outcome, decision, move.at, move.user
    appeal._history_user = move.user
    appeal.save()
    ticket.appeal_outcome = outcome
    if outcome == AppealOutcome.REJECTED and ticket.status == Status.APPEALED:
        ticket.status = Status.CLOSED
        ticket.closed_at = move.at
        move.reason = f"decide_appeal: {outcome}"
    move.details = {"number": appeal.number, "outcome": outcome, "decision": decision}


def _appeal_decided(ticket: Complaint, move: Move) -> None:
    if move.data.get("outcome") == AppealOutcome.REJECTED and ticket.status == Status.CLOSED:
        deadline_cancel(subject=ticket, codes=_open_codes(ticket, (REPLY_PREFIX, CONTACT_PREFIX)))


def _open_codes(ticket: Complaint, prefixes: tuple[str, ...]) -> list[str]:
    q = TrackedDeadline.objects.for_object(ticket).filter(status=DeadlineStatus.OPEN)
    return [c for c in q.values_list("code", flat=True) if c.startswith(prefixes)]


def _reply_before_contact(ticket: Complaint, probe) -> str | None:
    if ticket.status in REPLY_WITH_NOTE_FROM and not probe.note.strip():
        return _("The customer has not been contacted yet: replying before contact needs a note saying why.")
    return None


def _only_12398(ticket: Complaint, probe) -> str | None:
    if ticket.channel != Channel.HOTLINE_12398:
        return _("Only 12398 items are forwarded by the regulator.")
    if ticket.kind == Kind.REPORT:
        return _("A 12398 report (举报) is the regulator's own case: it is investigated, never forwarded.")
    return None


def is_own_report(ticket: Complaint) -> bool:
    """A 12398 举报: the regulator investigates it itself (DOMAIN §3: reports, handled by the regulator)."""
    return ticket.channel == Channel.HOTLINE_12398 and ticket.kind == Kind.REPORT


def _own_report(ticket: Complaint, probe) -> str | None:
    if not is_own_report(ticket):
        return _("Only a 12398 report (举报) is investigated by the regulator itself.")
    return None


def _investigated(ticket: Complaint, probe) -> str | None:
    reason = _own_report(ticket, probe)
    if reason is None and not ticket.investigations.exists():
        return _("Record at least one investigation step before the conclusion.")
    return reason


def _reply_check(ticket: Complaint, probe) -> str | None:
    if is_own_report(ticket):
        return _("A 12398 report (举报) is answered by the conclusion of its investigation.")
    return _reply_before_contact(ticket, probe)


def _assign(ticket: Complaint, move: Move) -> None:
    _check_instant(ticket, move.at)
    name = (move.data.get("officer") or "").strip()
    officer = User.objects.filter(username=name, is_active=True, role__in=list(REGULATOR_ROLES)).first()
    if officer is None or not Complaint.objects.visible_to(officer).filter(pk=ticket.pk).exists():
        raise ValidationError({"officer": _("Name a person of a regulator office that supervises this utility.")})
    ticket.officer = officer
    ticket.assigned_at = move.at
    if ticket.accepted_at is None:
        ticket.accepted_at = move.at
    move.details = {"officer": officer.username}


def _investigate(ticket: Complaint, move: Move) -> None:
    _check_instant(ticket, move.at, ticket.assigned_at)
    for name in ("method", "findings"):
        if not (move.data.get(name) or "").strip():
            raise ValidationError({name: _("This field is required.")})
    move.details = {"method": move.data["method"].strip()}


def _investigation_recorded(ticket: Complaint, move: Move) -> None:
    step = Investigation(
        complaint=ticket,
        at=move.at,
        method=move.data["method"].strip(),
        findings=move.data["findings"].strip(),
        by=move.user,
    )
    step._history_user = move.user
    step.save()


def _conclude(ticket: Complaint, move: Move) -> None:
    finding = move.data.get("finding")
    if finding not in Finding.values:
        raise ValidationError({"finding": _("Choose one of %(v)s.") % {"v": ", ".join(Finding.values)}})
    conclusion = (move.data.get("conclusion") or "").strip()
    if not conclusion:
        raise ValidationError({"conclusion": _("This field is required.")})
    last = ticket.investigations.order_by("-at").values_list("at", flat=True).first()
    _check_instant(ticket, move.at, last)
    ticket.finding = finding
    ticket.conclusion = conclusion
    ticket.concluded_at = ticket.replied_at = move.at
    ticket.reply_opinion = conclusion
    move.details = {"finding": finding, "opinion": conclusion}


def _actor_rule(user: User, party: str, ticket: Complaint, step: Step) -> str | None:
    """The regulator handles a 12398 item itself until it forwards it; the rest the utility handles. A
    report's investigation is its assigned officer's (or an administrator's of the office)."""
    if (
        step.name in ("investigate", "conclude")
        and ticket.officer_id
        and user.pk != ticket.officer_id
        and user.role != Role.REGULATOR_ADMIN
    ):
        return _("Only the officer in charge of this report, or an administrator of the office, takes this step.")
    if party != Party.REGULATOR or Party.UTILITY not in step.by:
        return None
    if ticket.channel != Channel.HOTLINE_12398:
        return _("The utility handles this ticket; the regulator supervises it.")
    if ticket.forwarded_at and step.name in ("contact", "reply", "accept"):
        return _("This 12398 item was forwarded: the utility handles it now.")
    return None


def _track_accepted(ticket: Complaint, move: Move) -> None:
    _track_rules(ticket)


def _forwarded(ticket: Complaint, move: Move) -> None:
    """The 12398 rules count from the forward; the utility is told."""
    _track_rules(ticket, forward_only=True)
    notify(
        organisations=[ticket.utility],
        key=f"complaint-forward:{ticket.pk}",
        subject=_("12398 item forwarded to you: %(ticket)s") % {"ticket": ticket},
        body=ticket.content[:300],
        url=ticket.get_absolute_url(),
        target=ticket,
        level="warning",
    )


def _supervised(ticket: Complaint, move: Move) -> None:
    """The level's deadline: the regulator's internal one, or the catalogue's rule for the level
    (`complaint.supervision`, `.2`, `.3`), tracked on the ticket and swept like any other. The level
    before it is escalated; the utility is told."""
    level = ticket.supervision_level
    code = supervision_code(level)
    label = (_("%(level)s: %(note)s") % {"level": SupervisionLevel(level).label, "note": move.note})[:200]
    if move.data.get("due") is not None:
        row = deadline_set(
            subject=ticket,
            utility=ticket.utility,
            code=code,
            label=label,
            due=move.data["due"],
            source_class=SourceClass.REGULATOR_RULE,
            start=move.at,
        )
    else:
        rule = rule_for_code(code, on=local_date(move.at), province_id=ticket.utility.province_id)
        row = deadline_track(subject=ticket, utility=ticket.utility, rule=rule, start=move.at, label=label)
    for earlier in Supervision.objects.filter(complaint=ticket, status=SupervisionStatus.OPEN):
        earlier.status, earlier.ended_at = SupervisionStatus.ESCALATED, move.at
        earlier._history_user = move.user
        earlier.save()
    record = Supervision(
        complaint=ticket,
        level=level,
        note=move.note,
        started_at=move.at,
        due=row.due,
        code=code,
        automatic=move.user is None,
        by=move.user,
        organisation=getattr(move.user, "organisation", None),
    )
    record._history_user = move.user
    record.save()
    move.details = {"level": level, "due": row.due.isoformat(), "code": code}
    notify(
        organisations=[ticket.utility],
        key=f"complaint-supervise:{ticket.pk}:{level}",
        subject=_("%(level)s of ticket %(ticket)s") % {"level": SupervisionLevel(level).label, "ticket": ticket},
        body=move.note[:300],
        url=ticket.get_absolute_url(),
        target=ticket,
        level="danger",
    )


def _talked(ticket: Complaint, move: Move) -> None:
    """The talk's record and its follow-up deadline (`complaint.talk.N`), tracked and swept."""
    level = ticket.talk_count
    talk = Talk(
        complaint=ticket,
        level=level,
        held_at=move.data["held_at"],
        attendees=move.data["attendees"].strip(),
        agreement=move.data["agreement"].strip(),
        follow_up_due=move.data["follow_up_due"],
        by=move.user,
        organisation=getattr(move.user, "organisation", None),
    )
    talk._history_user = move.user
    talk.save()
    deadline_set(
        subject=ticket,
        utility=ticket.utility,
        code=talk.code,
        label=(_("Follow-up of the talk: %(agreement)s") % {"agreement": talk.agreement})[:200],
        due=talk.follow_up_due,
        source_class=SourceClass.REGULATOR_RULE,
        start=talk.held_at,
    )
    notify(
        organisations=[ticket.utility],
        key=f"complaint-talk:{ticket.pk}:{level}",
        subject=_("%(level)s on ticket %(ticket)s") % {"level": TalkLevel(level).label, "ticket": ticket},
        body=talk.agreement[:300],
        url=ticket.get_absolute_url(),
        target=ticket,
        level="danger",
    )


def _end_supervisions(ticket: Complaint, move: Move) -> None:
    """The reply answers the running levels; closing or not accepting the ticket ends them."""
    status = SupervisionStatus.ANSWERED if move.step.name == "reply" else SupervisionStatus.ENDED
    for sup in Supervision.objects.filter(complaint=ticket, status=SupervisionStatus.OPEN):
        sup.status, sup.ended_at = status, move.at
        sup._history_user = move.user
        sup.save()


def _after(ticket: Complaint, move: Move) -> None:
    """After every step: the deadline summary columns and the timeline row."""
    if move.step.name in ("reply", "close", "decline") and ticket.supervision_level:
        _end_supervisions(ticket, move)
    _refresh_summary(ticket)
    Complaint.objects.filter(pk=ticket.pk).update(**{f: getattr(ticket, f) for f in SUMMARY_FIELDS})
    if move.step.event:  # a step without a timeline entry of its own is in the history only
        old = move.old if move.step.to is not None else ""
        _event(ticket, move.step.event, move.user, move.at, note=move.note, old=old, data=move.details)


S = Status
WORKFLOW = Workflow(
    model=Complaint,
    lock_related=("utility",),
    status_label=lambda s: Status(s).label,
    actor_rule=_actor_rule,
    refusal=gettext_lazy("A ticket that is %(status)s cannot be %(step)s."),
    permission_message=gettext_lazy("You may only handle tickets of your own organisation."),
    after=_after,
    steps=(
        Step(
            "forward",
            gettext_lazy("Forward to the utility (转办)"),
            to=S.FORWARDED,
            sources=frozenset({S.RECEIVED, S.ACCEPTED}),
            by=(Party.REGULATOR,),
            form=forms.StepForm,
            check=_only_12398,
            apply=_forward,
            then=_forwarded,
            event=Action.FORWARDED,
            danger=True,
        ),
        Step(
            "accept",
            gettext_lazy("Accept"),
            to=S.ACCEPTED,
            sources=frozenset({S.RECEIVED}),
            by=BOTH,
            form=forms.StepForm,
            apply=_stamp("accepted_at", lambda t: None),
            then=_track_accepted,
            event=Action.ACCEPTED,
        ),
        Step(
            "contact",
            gettext_lazy("Customer contacted"),
            to=S.CONTACTED,
            sources=frozenset({S.RECEIVED, S.ACCEPTED, S.FORWARDED, S.REOPENED, S.APPEALED}),
            by=BOTH,
            form=forms.StepForm,
            apply=_stamp("contacted_at", lambda t: t.accepted_at or t.forwarded_at),
            meets=(CONTACT_PREFIX,),
            event=Action.CONTACTED,
        ),
        Step(
            "reply",
            gettext_lazy("Reply with the handling opinion"),
            to=S.REPLIED,
            sources=frozenset({S.CONTACTED, S.REOPENED, S.APPEALED}) | REPLY_WITH_NOTE_FROM,
            by=BOTH,
            form=forms.ReplyForm,
            check=_reply_check,
            apply=_reply,
            meets=(CONTACT_PREFIX, REPLY_PREFIX, SUPERVISION_CODE),  # every level of 督办
            event=Action.REPLIED,
        ),
        Step(
            "visit",
            gettext_lazy("Return visit"),
            to=S.VISITED,
            sources=frozenset({S.REPLIED}),
            by=BOTH,
            form=forms.VisitForm,
            apply=_visit,
            refused=gettext_lazy("A return visit follows the reply (the ticket is now: %(status)s)."),
            event=Action.VISITED,
        ),
        Step(
            "close",
            pgettext_lazy("verb", "Close"),
            to=S.CLOSED,
            sources=frozenset({S.REPLIED, S.VISITED}),
            by=BOTH,
            form=forms.StepForm,
            apply=_stamp("closed_at", lambda t: t.visited_at or t.replied_at),
            refused=gettext_lazy(
                "A ticket is closed only after the reply with the handling opinion (it is now: %(status)s)."
            ),
            # Everything but a talk's follow-up (约谈): closing the ticket does not discharge what was agreed.
            cancels=(CONTACT_PREFIX, REPLY_PREFIX, SUPERVISION_CODE),
            event=Action.CLOSED,
        ),
        Step(
            "reopen",
            gettext_lazy("Reopen"),
            to=S.REOPENED,
            sources=frozenset({S.REPLIED, S.VISITED, S.CLOSED}),
            by=BOTH,
            form=forms.NoteForm,
            note_required=gettext_lazy("Say why the ticket is reopened."),
            apply=_reopen("reopen_count"),
            reopens=(REPLY_PREFIX,),
            event=Action.REOPENED,
        ),
        Step(
            "appeal",
            gettext_lazy("Record an appeal"),
            to=S.APPEALED,
            sources=frozenset({S.REPLIED, S.VISITED, S.CLOSED}),
            by=BOTH,
            form=forms.NoteForm,
            note_required=gettext_lazy("Record what the customer appeals against."),
            apply=_reopen("appeal_count"),
            then=_appealed,
            reopens=(REPLY_PREFIX,),
            event=Action.APPEALED,
        ),
        Step(
            "decide_appeal",
            gettext_lazy("Decide the appeal (申诉)"),
            to=None,
            by=(Party.REGULATOR,),
            form=forms.AppealDecisionForm,
            check=_open_appeal,
            apply=_decide_appeal,
            then=_appeal_decided,
            meets=(APPEAL_CODE,),
            event=Action.APPEAL_DECIDED,
            danger=True,
        ),
        Step(
            "assign",
            gettext_lazy("Assign to an officer (举报承办)"),
            to=S.ASSIGNED,
            sources=frozenset({S.RECEIVED, S.ACCEPTED, S.CONTACTED, S.ASSIGNED}),
            by=(Party.REGULATOR,),
            form=forms.AssignForm,
            check=_own_report,
            refused=gettext_lazy("A report is assigned before its conclusion (it is now: %(status)s)."),
            apply=_assign,
            event=Action.ASSIGNED,
        ),
        Step(
            "investigate",
            gettext_lazy("Record an investigation step"),
            to=None,
            sources=frozenset({S.ASSIGNED}),
            by=(Party.REGULATOR,),
            form=forms.InvestigationForm,
            check=_own_report,
            refused=gettext_lazy("A report is investigated once assigned to an officer (it is now: %(status)s)."),
            apply=_investigate,
            then=_investigation_recorded,
            event=Action.INVESTIGATED,
        ),
        Step(
            "conclude",
            gettext_lazy("Conclude the investigation"),
            to=S.REPLIED,
            sources=frozenset({S.ASSIGNED}),
            by=(Party.REGULATOR,),
            form=forms.ConclusionForm,
            check=_investigated,
            refused=gettext_lazy("A report is concluded after its investigation (it is now: %(status)s)."),
            apply=_conclude,
            meets=(CONTACT_PREFIX, REPLY_PREFIX, SUPERVISION_CODE),
            event=Action.CONCLUDED,
            danger=True,
        ),
        Step(
            "decline",
            gettext_lazy("Not accept (不予受理)"),
            to=S.DECLINED,
            # A forwarded 12398 item was accepted by the regulator: the utility answers it.
            sources=frozenset({S.RECEIVED, S.ACCEPTED}),
            by=BOTH,
            form=forms.DeclineForm,
            note_required=gettext_lazy("Give the reason for not accepting the complaint."),
            refused=gettext_lazy("Only a ticket not yet handled can be not accepted (it is now: %(status)s)."),
            check=_not_supervised,
            apply=_decline,
            cancels=(CONTACT_PREFIX, REPLY_PREFIX, SUPERVISION_CODE),
            event=Action.DECLINED,
            danger=True,
        ),
        Step(
            "finding",
            gettext_lazy("Record the finding and responsibility"),
            to=None,
            sources=frozenset(set(Status) - {S.RECEIVED, S.DECLINED}),
            by=BOTH,
            form=forms.FindingForm,
            refused=gettext_lazy("The finding is recorded once the ticket is accepted (it is now: %(status)s)."),
            apply=_finding,
            event=Action.FINDING,
        ),
        Step(
            "supervise",
            gettext_lazy("Supervise (督办) at the next level"),
            to=None,
            sources=OPEN_STATUSES,
            by=(Party.REGULATOR,),
            form=forms.SuperviseForm,
            note_required=gettext_lazy("Supervision needs a note."),
            refused=gettext_lazy("A closed ticket is not supervised; reopen it first."),
            check=_below_third_level,
            apply=_supervise,
            then=_supervised,
            event=Action.SUPERVISED,
            danger=True,
        ),
        Step(
            "escalate",
            gettext_lazy("Escalate an overdue supervision (the sweep)"),
            to=None,
            sources=OPEN_STATUSES,
            by=(Party.SYSTEM,),
            check=_below_third_level,
            apply=_supervise,
            then=_supervised,
            event=Action.ESCALATED,
        ),
        Step(
            "talk",
            gettext_lazy("Record a talk (约谈) with the utility's leadership"),
            to=None,
            sources=OPEN_STATUSES,
            by=(Party.REGULATOR,),
            form=forms.TalkForm,
            refused=gettext_lazy("A talk is held on an open ticket (it is now: %(status)s)."),
            check=_talk_check,
            apply=_talk,
            then=_talked,
            event=Action.TALK,
            danger=True,
        ),
        Step(
            "follow_up",
            gettext_lazy("Report the follow-up of the talk"),
            to=None,
            by=(Party.UTILITY,),
            form=forms.FollowUpForm,
            note_required=gettext_lazy("Say what was done as agreed."),
            check=_follow_up_check,
            apply=_follow_up,
            meets=(TALK_CODE,),
            event=Action.FOLLOW_UP,
        ),
    ),
)


def steps_allowed(user: User, ticket: Complaint) -> list[str]:
    """The steps `user` may take on `ticket` now (offered as forms; the step itself checks again)."""
    return [step.name for step in WORKFLOW.offered(user, ticket)]


# The services' names for the steps (tests, the demo and other apps call them).
complaint_accept = WORKFLOW.service("accept", "ticket")
complaint_forward = WORKFLOW.service("forward", "ticket")
complaint_contact = WORKFLOW.service("contact", "ticket")
complaint_reply = WORKFLOW.service("reply", "ticket")
complaint_visit = WORKFLOW.service("visit", "ticket")
complaint_close = WORKFLOW.service("close", "ticket")
complaint_reopen = WORKFLOW.service("reopen", "ticket")
complaint_appeal = WORKFLOW.service("appeal", "ticket")
complaint_supervise = WORKFLOW.service("supervise", "ticket")
complaint_decline = WORKFLOW.service("decline", "ticket")
complaint_finding = WORKFLOW.service("finding", "ticket")
complaint_talk = WORKFLOW.service("talk", "ticket")
complaint_decide_appeal = WORKFLOW.service("decide_appeal", "ticket")
complaint_assign = WORKFLOW.service("assign", "ticket")
complaint_investigate = WORKFLOW.service("investigate", "ticket")
complaint_conclude = WORKFLOW.service("conclude", "ticket")
complaint_follow_up = WORKFLOW.service("follow_up", "ticket")

log = logging.getLogger(__name__)


def supervisions_escalate(ticket_ids: list[int], now: datetime) -> None:
    """The sweep's overdue handler: a ticket whose current level of supervision went overdue is escalated
    to the next level, in order (三级督办); past the third, its regulators are told a talk (约谈) is due.
    One query finds the supervised tickets among those that crossed; the rest cost nothing."""
    current = dict(
        Complaint.objects.filter(pk__in=ticket_ids, supervision_level__gte=1)
        .exclude(status__in=ENDED_STATUSES)
        .values_list("pk", "supervision_level")
    )
    if not current:
        return
    overdue = set(
        TrackedDeadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Complaint),
            object_id__in=list(current),
            status=DeadlineStatus.OVERDUE,
            code__startswith=SUPERVISION_CODE,
        ).values_list("object_id", "code")
    )
    for pk, level in current.items():
        if (pk, supervision_code(level)) not in overdue:
            continue
        ticket = Complaint.objects.select_related("utility").get(pk=pk)
        if level < SUPERVISION_LEVELS[-1]:
            note = _("%(level)s went overdue without the reply: escalated.") % {"level": SupervisionLevel(level).label}
            try:
                WORKFLOW.transition(ticket, "escalate", None, at=now, note=note)
            except (ValidationError, PermissionDenied) as exc:  # never stop the sweep for one ticket
                log.warning("supervision of ticket %s not escalated: %s", pk, exc)
            continue
        notify(
            organisations=list(Organisation.objects.supervising(ticket.utility)),
            key=f"complaint-talk-due:{pk}",
            subject=_("Third-level supervision of %(ticket)s went overdue: a talk (约谈) is due") % {"ticket": ticket},
            body=ticket.content[:300],
            url=ticket.get_absolute_url(),
            target=ticket,
            level="danger",
        )
