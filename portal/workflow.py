"""One workflow engine for every record that moves through statuses (a complaint ticket, an outage notice,
a self-check report, a rectification item).

A record's workflow is a table of `Step`s: where each may start from, where it leads, which party takes it,
whether it needs a note, its input (a form, from which the API's serializer is derived) and its deadline
effects. `Workflow.transition()` is the one way a step happens: it locks the record, checks the party
(`portal.querysets.require_writable`) and the state, runs the step's body, saves the record once (one
history row: who, when, "step: note"), tells the deadline register, then lets the app record its own
timeline and notify. The HTML action view (`portal.views_workflow`) and the API actions
(`portal.api.workflow`) are generated from the same table, so a new verb is one line here plus its body.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.choices import DeadlineStatus, Party
from portal.models import TrackedDeadline
from portal.querysets import acts_as, require_writable
from portal.services import deadline_cancel, deadline_meet, deadline_reopen

ALL = "*"  # a deadline effect on every code of the record
WORKFLOWS: list[Workflow] = []  # every table declared, for the checks that hold for all of them

# History reasons written outside a step, stored as these keys and read in the reader's language.
REASONS = {
    "intake": gettext_lazy("received from the source system"),
    "updated by the source system": gettext_lazy("updated by the source system"),
    "linked to case": gettext_lazy("linked to case"),
    "prepare": gettext_lazy("draft prepared"),
    "demo handling": gettext_lazy("demo handling"),
}


def reason_label(model: type[models.Model], reason: str) -> str:
    """A history row's reason as its reader says it: a step's name ("reply: note") or a key of REASONS
    becomes its label in the active language; anything else (a note typed by a person) is shown as written."""
    key, sep, rest = reason.partition(": ")
    for workflow in WORKFLOWS:
        if workflow.model is model and key in workflow.by_name:
            step = workflow.by_name[key]
            return f"{getattr(step.event, 'label', step.label)}{sep}{rest}"
    return f"{REASONS[key]}{sep}{rest}" if key in REASONS else reason


class StepRefused(ValidationError):
    """A step the record's state refuses (e.g. closing a ticket not yet replied to). A form shows it on the
    status field like any error; the API answers 409 Conflict, since no body could have made it succeed."""


@dataclass
class Move:
    """One step being taken: what the step's body and the hooks read and write."""

    step: Step
    user: Any  # None: the system (the sweep)
    party: str
    at: datetime
    note: str
    data: dict
    old: str  # the status before
    met_at: datetime | None = None  # when the met deadlines count as met (default: `at`)
    reason: str = ""  # the history row's change reason (default: "step: note")
    details: dict = dataclasses.field(default_factory=dict)  # what the body wants the app's timeline to keep


@dataclass(frozen=True)
class Step:
    """One verb of a workflow. `to=None` records an act that leaves the status as it is."""

    name: str
    label: Any  # the verb as a person reads it (lazy translation)
    to: str | None
    sources: frozenset = frozenset()  # the statuses it starts from (empty: any)
    by: tuple[str, ...] = (Party.UTILITY,)
    form: type[forms.Form] | None = None  # its input: HTML form and (derived) API serializer
    note_required: Any = None  # the message when the note is missing (None: the note is optional)
    apply: Callable[[models.Model, Move], None] | None = None  # its body: instants, fields, validations
    then: Callable[[models.Model, Move], None] | None = None  # after the save: deadlines it sets, notices
    check: Callable[[models.Model, Move], str | None] | None = None  # a refusal of the step's own
    refused: Any = None  # the message when the status does not allow it (%(status)s)
    meets: tuple[str, ...] = ()  # deadline code prefixes met (at `move.met_at or move.at`)
    reopens: tuple[str, ...] = ()  # ... counted again from their original due
    cancels: tuple[str, ...] = ()  # ... no longer running (ALL: every open one)
    done: Any = None  # the message after success
    event: Any = None  # the app's own name for the step in its timeline (a choice with a label)
    danger: bool = False  # shown as a consequential act (red button)

    def starts_from(self, status: str) -> bool:
        return not self.sources or status in self.sources


@dataclass(eq=False)
class Workflow:
    """The table of one record kind, and the one `transition()`."""

    model: type[models.Model]
    steps: tuple[Step, ...]
    status_field: str = "status"
    status_label: Callable[[str], str] = str
    # (user, party, record, step) -> the reason the party may not take this step on this record, or None
    actor_rule: Callable[[Any, str, models.Model, Step], str | None] | None = None
    refusal: Any = None  # the default state refusal, with %(status)s and %(step)s
    permission_message: Any = None  # the 403 reason when the user may not write the record
    lock_related: tuple[str, ...] = ()
    # (record, move) -> None: after the save, inside the transaction (timeline row, summary, notification)
    after: Callable[[models.Model, Move], None] | None = None
    clean: bool = False  # full_clean() before the save
    by_name: dict[str, Step] = dataclasses.field(init=False, repr=False)

    def __post_init__(self):
        self.by_name = {s.name: s for s in self.steps}
        WORKFLOWS.append(self)

    @functools.cached_property
    def _lockable(self) -> tuple[str, ...]:
        """The `lock_related` paths every record has (no nullable relation on the way): those rows are locked
        with the record's."""
        out = []
        for path in self.lock_related:
            model, nullable = self.model, False
            for name in path.split("__"):
                field = model._meta.get_field(name)
                nullable = nullable or field.null
                model = field.related_model
            if not nullable:
                out.append(path)
        return tuple(out)

    def step(self, name: str) -> Step:
        try:
            return self.by_name[name]
        except KeyError:
            raise PermissionDenied(_("There is no such step.")) from None

    # ---------------------------------------------------------------- who and when

    def party_for(self, user, record: models.Model, step: Step, writable: dict | None = None) -> str:
        """The party `user` takes `step` for on `record`, or PermissionDenied with the reason.
        `writable` memoises the write check per party (a page asks for every step at once)."""
        if user is None:
            if Party.SYSTEM in step.by:
                return Party.SYSTEM
            raise PermissionDenied(_("This step is taken by a person."))
        reason = None
        for party in step.by:
            if party == Party.SYSTEM or not acts_as(user, party):
                continue
            if writable is None:
                require_writable(user, record, party, self.permission_message)
            elif party not in writable:
                writable[party] = _writes(user, record, party)
            if writable is not None and not writable[party]:
                raise PermissionDenied(self.permission_message or _("You may not change this record."))
            if user.is_superuser or self.actor_rule is None:
                return party
            reason = self.actor_rule(user, party, record, step)
            if reason is None:
                return party
        raise PermissionDenied(reason or _("Your role does not take this step."))

    def state_refusal(self, record: models.Model, step: Step, note: str) -> str | None:
        status = getattr(record, self.status_field)
        if step.check:
            reason = step.check(record, _Probe(step, note))
            if reason:
                return reason
        if step.starts_from(status):
            return None
        template = step.refused or self.refusal or _("A record that is %(status)s cannot be %(step)s.")
        return template % {"status": self.status_label(status), "step": getattr(step.event, "label", step.label)}

    def hint(self, record: models.Model, step: Step) -> str | None:
        """What the step's own check would ask of this record without a note (shown beside its form)."""
        return step.check(record, _Probe(step, "")) if step.check else None

    def offered(self, user, record: models.Model) -> list[Step]:
        """The steps `user` may take on `record` now (offered as forms; the step itself checks again).
        A step needing a note is offered: its form asks for it."""
        out, writable = [], {}
        for step in self.steps:
            if Party.SYSTEM in step.by and len(step.by) == 1:
                continue
            if self.state_refusal(record, step, note="-") is not None:
                continue
            try:
                self.party_for(user, record, step, writable)
            except PermissionDenied:
                continue
            out.append(step)
        return out

    def service(self, name: str, record: str):
        """The service function of a step, for callers that name the record and the user:
        `complaint_reply = WORKFLOW.service("reply", "ticket")`, called as
        `complaint_reply(ticket=…, acting_user=…, opinion=…)`."""
        self.step(name)  # a typo fails at import, not at the first call

        def call(*, acting_user, **data):
            return self.transition(data.pop(record), name, acting_user, **data)

        call.__name__ = call.__qualname__ = f"{self.model._meta.model_name}_{name}"
        call.__doc__ = f"Take the step {name!r} of {self.model.__name__} (see its table)."
        return call

    # ---------------------------------------------------------------- the one way a step happens

    @transaction.atomic
    def transition(self, record: models.Model, name: str, user, *, at: datetime | None = None, note: str = "", **data):
        step = self.step(name)
        # The row and the related rows it always has are locked; a nullable relation (an item of a programme
        # has no campaign) is an outer join, which PostgreSQL cannot lock, so it is only read.
        qs = self.model._default_manager.select_for_update(of=("self", *self._lockable))
        if self.lock_related:
            qs = qs.select_related(*self.lock_related)
        record = qs.get(pk=record.pk)
        party = self.party_for(user, record, step)
        note = (note or "").strip()
        refusal = self.state_refusal(record, step, note)
        if refusal:
            # Refused whatever the note said: the record's state (409 in the API); else the note itself (400).
            by_state = note or self.state_refusal(record, step, "-")
            raise (StepRefused if by_state else ValidationError)({self.status_field: refusal})
        if step.note_required and not note:
            raise ValidationError({"note": step.note_required})
        move = Move(
            step=step,
            user=user,
            party=party,
            at=at or timezone.now(),
            note=note,
            data=data,
            old=getattr(record, self.status_field),
        )
        if step.apply:
            step.apply(record, move)
        if step.to is not None:
            setattr(record, self.status_field, step.to)
        record._history_user = user
        record._change_reason = (move.reason or (f"{step.name}: {note}" if note else step.name))[:100]
        if self.clean:
            record.full_clean()
        record.save()
        self._deadlines(record, step, move)
        if step.then:
            step.then(record, move)
        if self.after:
            self.after(record, move)
        return record

    def _deadlines(self, record: models.Model, step: Step, move: Move) -> None:
        if not (step.meets or step.reopens or step.cancels):
            return
        codes = _codes(record, step.meets + step.reopens + tuple(c for c in step.cancels if c != ALL))
        if step.meets:
            deadline_meet(subject=record, codes=_matching(codes, step.meets), at=move.met_at or move.at)
        if step.reopens:
            deadline_reopen(subject=record, codes=_matching(codes, step.reopens))
        if ALL in step.cancels:
            deadline_cancel(subject=record)
        elif step.cancels:
            deadline_cancel(subject=record, codes=_matching(codes, step.cancels))


def _writes(user, record: models.Model, party: str) -> bool:
    return type(record)._default_manager.all().writable_by(user, party).filter(pk=record.pk).exists()


@dataclass
class _Probe:
    """What a step's own `check` reads before the move exists (offered(), the state check)."""

    step: Step
    note: str


def _codes(record: models.Model, prefixes: Iterable[str]) -> list[str]:
    prefixes = tuple(prefixes)
    if not prefixes:
        return []
    ct = ContentType.objects.get_for_model(record)
    q = models.Q()
    for prefix in prefixes:
        q |= models.Q(code__startswith=prefix)
    return list(
        TrackedDeadline.objects.filter(content_type=ct, object_id=record.pk)
        .filter(q)
        .exclude(status=DeadlineStatus.CANCELLED)
        .values_list("code", flat=True)
    )


def _matching(codes: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return [c for c in codes if c.startswith(prefixes)]
