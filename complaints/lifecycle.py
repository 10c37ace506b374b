"""The lifecycle of a complaint ticket: its workflow table and the bodies of its steps.

Receipt → (accept | the regulator's forward of a 12398 item) → contact → reply → (visit) → close;
reopen and appeal count the reply deadlines again. The regulator supervises (督办) any open ticket.
Every step goes through `portal.workflow.Workflow.transition`; the `complaint_*` functions below are
the services' names for them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from complaints import forms
from complaints.choices import (
    CONTACT_PREFIX,
    OPEN_STATUSES,
    REPLY_PREFIX,
    SUPERVISION_CODE,
    Action,
    Category,
    Channel,
    Finding,
    Satisfaction,
    Status,
)
from complaints.models import Complaint
from complaints.services import SUMMARY_FIELDS, _event, _refresh_summary, _track_rules
from portal.choices import Party, SourceClass
from portal.models import User
from portal.services import deadline_set, notify
from portal.workflow import ALL, Move, Step, Workflow

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
    due = move.data.get("due")
    if due is None or timezone.is_naive(due):
        raise ValidationError({"due": _("Give the internal deadline with a time zone.")})
    if due <= timezone.now():
        raise ValidationError({"due": _("The internal deadline must lie in the future.")})
    ticket.supervised_at = move.at
    ticket.supervision_note = move.note
    move.details = {"due": due.isoformat()}


def _decline(ticket: Complaint, move: Move) -> None:
    """不予受理: the reason is the note; every running deadline stops (the step cancels them)."""
    _check_instant(ticket, move.at)
    ticket.declined_at = move.at
    ticket.declined_reason = move.note
    move.details = {"reason": move.note}


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


def _reply_before_contact(ticket: Complaint, probe) -> str | None:
    if ticket.status in REPLY_WITH_NOTE_FROM and not probe.note.strip():
        return _("The customer has not been contacted yet: replying before contact needs a note saying why.")
    return None


def _only_12398(ticket: Complaint, probe) -> str | None:
    if ticket.channel != Channel.HOTLINE_12398:
        return _("Only 12398 items are forwarded by the regulator.")
    return None


def _actor_rule(user: User, party: str, ticket: Complaint, step: Step) -> str | None:
    """The regulator handles a 12398 item itself until it forwards it; the rest the utility handles."""
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
    """The internal deadline is tracked and swept like any other (source class: regulator rule)."""
    deadline_set(
        subject=ticket,
        utility=ticket.utility,
        code=SUPERVISION_CODE,
        label=(_("Supervision (督办): %(note)s") % {"note": move.note})[:200],
        due=move.data["due"],
        source_class=SourceClass.REGULATOR_RULE,
        start=move.at,
    )
    notify(
        organisations=[ticket.utility],
        key=f"complaint-supervise:{ticket.pk}:{move.at:%Y%m%dT%H%M%S}",
        subject=_("The regulator supervises ticket %(ticket)s") % {"ticket": ticket},
        body=move.note[:300],
        url=ticket.get_absolute_url(),
        target=ticket,
        level="danger",
    )


def _after(ticket: Complaint, move: Move) -> None:
    """After every step: the deadline summary columns and the timeline row."""
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
            check=_reply_before_contact,
            apply=_reply,
            meets=(CONTACT_PREFIX, REPLY_PREFIX, SUPERVISION_CODE),
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
            cancels=(ALL,),
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
            reopens=(REPLY_PREFIX,),
            event=Action.APPEALED,
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
            apply=_decline,
            cancels=(ALL,),
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
            gettext_lazy("Supervise (督办)"),
            to=None,
            sources=OPEN_STATUSES,
            by=(Party.REGULATOR,),
            form=forms.SuperviseForm,
            note_required=gettext_lazy("Supervision needs a note."),
            refused=gettext_lazy("A closed ticket is not supervised; reopen it first."),
            apply=_supervise,
            then=_supervised,
            event=Action.SUPERVISED,
            danger=True,
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
