"""Writes of the complaints app: intake (idempotent, set-based), the lifecycle as events, deadlines
kept in the shared register, supervision (督办), cross-channel links.

Every step goes through `_step`, which checks the transition table, records who and when (an event
row and the ticket's history in the same transaction), meets or reopens the deadlines the step
concerns and refreshes the ticket's deadline summary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import intake
from complaints.choices import (
    CONTACT_PREFIX,
    CONTACT_RULE,
    REPLY_PREFIX,
    REPLY_RULE,
    RULE_PREFIX,
    STEP_CLOCKS,
    Action,
    Channel,
    CountsFrom,
    Status,
)
from complaints.models import Complaint, ComplaintCase, ComplaintEvent
from portal.bulk import insert_records, insert_rows
from portal.calendar import get_calendar
from portal.choices import STATUTORY_CLASSES, DeadlineStatus, Party
from portal.deadlines import compute_deadline, local_date
from portal.models import Organisation, Rule, TrackedDeadline, User
from portal.querysets import party_of, require_writable
from portal.selectors import batch, rules_in_force
from portal.services import (
    attachment_add,
    deadline_cancel,
    deadline_track,
    deadline_values,
)

# --------------------------------------------------------------------------- who may write

# Channels each side registers: the utility's 95598 is not the regulator's to push, and 12398
# items reach a utility only through the regulator's forward.
REGULATOR_CHANNELS = frozenset(set(Channel) - {Channel.HOTLINE_95598})
UTILITY_CHANNELS = frozenset(set(Channel) - {Channel.HOTLINE_12398})


class WriterScope:
    """What one user may register, decided without a query per item (bulk intake asks per item): the
    utilities of `Organisation.objects.writable_by(user)`, read once, and the channels of its side."""

    def __init__(self, user: User):
        self.user = user
        self.everything = bool(getattr(user, "is_superuser", False)) and user.is_authenticated
        self.side = party_of(user)
        self._utilities: set[int] | None = None

    @property
    def writes_anything(self) -> bool:
        return self.everything or self.side is not None

    def _writable(self) -> set[int]:
        if self._utilities is None:
            self._utilities = set(Organisation.objects.writable_by(self.user).utilities().values_list("id", flat=True))
        return self._utilities

    def refusal(self, utility: Organisation, channel: str) -> str | None:
        """None if allowed, else the reason (answered 403)."""
        if self.everything:
            return None
        if self.side not in INTAKE_BY_SIDE:
            return _("Your role does not register tickets.")
        outside, channels, not_yours = INTAKE_BY_SIDE[self.side]
        if utility.pk not in self._writable():
            return str(outside)
        if channel not in channels:
            return str(not_yours)
        return None


# Each side registers tickets of the utilities it may write, on its own channels: (outside its scope, its
# channels, a channel that is not its to register).
INTAKE_BY_SIDE = {
    Party.UTILITY: (
        gettext_lazy("You may only write tickets of your own organisation."),
        UTILITY_CHANNELS,
        gettext_lazy("12398 items reach a utility through the regulator's forward, not by intake."),
    ),
    Party.REGULATOR: (
        gettext_lazy("This utility is outside your office's jurisdiction."),
        REGULATOR_CHANNELS,
        gettext_lazy("95598 tickets are registered by the utility's own system."),
    ),
}


# --------------------------------------------------------------------------- rules and deadlines


class RuleCache:
    """The rules in force for (day, province, channel, kind), memoised per call. Inside
    `portal.selectors.batch()` (bulk intake, import chunks) the catalogue itself is read once."""

    def __init__(self):
        self._cache: dict[tuple, list[Rule]] = {}

    def rules(self, *, channel: str, kind: str, on, province_id: int | None) -> list[Rule]:
        key = (on, province_id, channel, kind)
        if key not in self._cache:
            found = rules_in_force(
                prefix=RULE_PREFIX, on=on, context={"channel": channel, "kind": kind}, province_id=province_id
            )
            # Several versions of one code (national and provincial): the provincial one wins. The rules of
            # the levels of 督办 start with their step, not at intake.
            by_code: dict[str, Rule] = {}
            found = [r for r in found if not r.code.startswith(STEP_CLOCKS)]
            for rule in sorted(found, key=lambda r: (r.jurisdiction_id is not None, r.effective_from)):
                by_code[rule.code] = rule
            self._cache[key] = list(by_code.values())
        return self._cache[key]


def counts_from(rule: Rule) -> str:
    """Where the rule's clock starts, as the catalogue says (`params.counts_from`; acceptance by default)."""
    return (rule.params or {}).get("counts_from", CountsFrom.ACCEPTED)


def _start_for(rule: Rule, ticket: Complaint) -> datetime | None:
    """The instant a rule counts from: receipt (e.g. the statutory reply, 自接到投诉之日起), the forward
    (12398 转办事项), or acceptance (or receipt when no acceptance is given)."""
    start = counts_from(rule)
    if start == CountsFrom.RECEIPT:
        return ticket.received_at
    if start == CountsFrom.FORWARD:
        return ticket.forwarded_at
    return ticket.accepted_at or ticket.received_at


def _rules_for(ticket: Complaint, cache: RuleCache) -> list[Rule]:
    return cache.rules(
        channel=ticket.channel,
        kind=ticket.kind,
        on=local_date(ticket.received_at),
        province_id=ticket.utility.province_id,
    )


@dataclass
class _Line:
    """A deadline as the summary needs it (from a computed result or a stored row)."""

    code: str
    due: datetime
    warn_at: datetime | None
    status: str
    source_class: str
    provisional: bool
    met_at: datetime | None = None


def _summarise(ticket: Complaint, lines: Iterable[_Line]) -> None:
    """Write the deadline summary columns of `ticket` (not saved here)."""
    lines = [ln for ln in lines if ln.status != DeadlineStatus.CANCELLED]
    by_code = {ln.code: ln for ln in lines}

    def due_of(exact: str, prefix: str) -> datetime | None:
        if exact in by_code:
            return by_code[exact].due
        dues = [ln.due for ln in lines if ln.code.startswith(prefix)]
        return min(dues) if dues else None

    open_lines = [ln for ln in lines if ln.status == DeadlineStatus.OPEN]
    ticket.contact_due = due_of(CONTACT_RULE, CONTACT_PREFIX)
    ticket.reply_due = due_of(REPLY_RULE, REPLY_PREFIX)
    ticket.next_due = min((ln.due for ln in open_lines), default=None)
    ticket.next_warn_at = min((ln.warn_at for ln in open_lines if ln.warn_at), default=None)
    ticket.next_statutory_due = min((ln.due for ln in open_lines if ln.source_class in STATUTORY_CLASSES), default=None)
    ticket.has_deadlines = bool(lines)
    ticket.overdue = any(ln.status == DeadlineStatus.OVERDUE for ln in lines)
    missed = [ln for ln in lines if ln.status in (DeadlineStatus.OVERDUE, DeadlineStatus.MET_LATE)]
    ticket.late = bool(missed)
    ticket.statutory_breach = any(ln.source_class in STATUTORY_CLASSES for ln in missed)
    ticket.provisional = any(ln.provisional for ln in lines)


def _warn(at_risk: datetime | None, remind: datetime | None) -> datetime | None:
    values = [v for v in (at_risk, remind) if v is not None]
    return min(values) if values else None


SUMMARY_FIELDS = [
    "contact_due",
    "reply_due",
    "next_due",
    "next_warn_at",
    "next_statutory_due",
    "has_deadlines",
    "overdue",
    "late",
    "statutory_breach",
    "provisional",
]


SUMMARY_SOURCE = [
    "object_id",
    "code",
    "due",
    "at_risk_at",
    "remind_at",
    "status",
    "source_class",
    "provisional",
    "met_at",
]


def _line(r: dict) -> _Line:
    return _Line(
        r["code"],
        r["due"],
        _warn(r["at_risk_at"], r["remind_at"]),
        r["status"],
        r["source_class"],
        r["provisional"],
        r["met_at"],
    )


def _refresh_summary(ticket: Complaint) -> None:
    _summarise(ticket, [_line(r) for r in TrackedDeadline.objects.for_object(ticket).values(*SUMMARY_SOURCE)])


def complaint_summaries_refresh(ticket_ids: list[int]) -> int:
    """Rewrite the deadline summary of these tickets from their stored deadlines, in two queries and one
    bulk update (after a calendar change moved their deadlines). Returns the tickets rewritten."""
    lines: dict[int, list[_Line]] = defaultdict(list)
    rows = TrackedDeadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint), object_id__in=ticket_ids
    ).values(*SUMMARY_SOURCE)
    for r in rows:
        lines[r["object_id"]].append(_line(r))
    tickets = list(Complaint.objects.filter(pk__in=ticket_ids).only("pk", *SUMMARY_FIELDS))
    for ticket in tickets:
        _summarise(ticket, lines[ticket.pk])
    Complaint.objects.bulk_update(tickets, SUMMARY_FIELDS, batch_size=500)
    return len(tickets)


def _step_clocks() -> models.Q:
    q = models.Q()
    for prefix in STEP_CLOCKS:
        q |= models.Q(code__startswith=prefix)
    return q


def _track_rules(ticket: Complaint, cache: RuleCache | None = None, *, forward_only: bool = False) -> None:
    """Track every rule in force for the ticket (after a change of its instants, channel or kind);
    cancel the open deadlines of rules that no longer apply. `forward_only`: only the rules counted
    from the forward (the others did not move)."""
    cache = cache or RuleCache()
    rules = _rules_for(ticket, cache)
    if forward_only:
        for rule in rules:
            if counts_from(rule) == CountsFrom.FORWARD:
                deadline_track(subject=ticket, utility=ticket.utility, rule=rule, start=ticket.forwarded_at)
        return
    codes = set()
    for rule in rules:
        start = _start_for(rule, ticket)
        if start is None:
            continue
        codes.add(rule.code)
        deadline_track(subject=ticket, utility=ticket.utility, rule=rule, start=start, label=rule.title)
    stale = (
        set(
            TrackedDeadline.objects.for_object(ticket)
            .filter(code__startswith=RULE_PREFIX, status=DeadlineStatus.OPEN)
            .exclude(_step_clocks())  # 督办, 约谈 and appeal clocks are set by their step
            .values_list("code", flat=True)
        )
        - codes
    )
    if stale:
        deadline_cancel(subject=ticket, codes=stale)


# --------------------------------------------------------------------------- intake


@dataclass
class ItemResult:
    index: int
    external_id: str | None
    result: str  # created / unchanged / updated / error
    status: int
    id: int | None = None
    errors: dict = field(default_factory=dict)
    ticket: Complaint | None = None

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "external_id": self.external_id,
            "result": self.result,
            "status": self.status,
            "id": self.id,
            "errors": self.errors,
        }


def _error(index: int, raw, status: int, errors: dict) -> ItemResult:
    ext = raw.get("external_id") if isinstance(raw, dict) else None
    return ItemResult(index, ext if isinstance(ext, str) else None, "error", status, errors=errors)


def complaints_intake(*, items: list, acting_user: User, update: bool = False) -> list[ItemResult]:
    """Register a batch of pushed tickets, idempotent on (channel, external_id).

    Set-based: one query for the utilities, one for the existing (channel, external_id) pairs, rules
    and calendar read once, tickets and their history rows and deadlines inserted with bulk_create.
    An identical retry is `unchanged`; a different one is a 409 error unless `update` (then the
    ticket is updated through `complaint_update`). A bad item never loses the good ones.
    """
    for attempt in range(3):
        try:
            with batch():  # the rule catalogue and the calendar are read once for the whole call
                return _intake(items=items, acting_user=acting_user, update=update)
        except IntegrityError:
            # A concurrent push inserted one of our keys between our read and our insert: read again.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _intake(*, items: list, acting_user: User, update: bool) -> list[ItemResult]:
    now = timezone.now()
    scope = WriterScope(acting_user)
    utilities = {o.code: o for o in Organisation.objects.filter(code__in=intake.utility_codes(items))}
    results: list[ItemResult | None] = [None] * len(items)
    valid: list[tuple[int, dict, str]] = []
    for index, raw in enumerate(items):
        data, errors = intake.clean_item(raw, utilities=utilities, now=now)
        if errors:
            results[index] = _error(index, raw, 400, errors)
            continue
        refusal = scope.refusal(data["utility"], data["channel"])
        if refusal:
            results[index] = _error(index, raw, 403, {"utility": [refusal]})
            continue
        valid.append((index, data, intake.fingerprint(data)))

    by_channel: dict[str, set[str]] = {}  # one query for every (channel, external_id) of the batch
    for _i, data, _fp in valid:
        by_channel.setdefault(data["channel"], set()).add(data["external_id"])
    existing: dict[tuple[str, str], tuple[int, str]] = {}
    if by_channel:
        q = models.Q()
        for channel, ids in by_channel.items():
            q |= models.Q(channel=channel, external_id__in=ids)
        for pk, channel, ext, fp in Complaint.objects.filter(q).values_list(
            "id", "channel", "external_id", "fingerprint"
        ):
            existing[(channel, ext)] = (pk, fp)
    # (channel, external id) is unique across the country: a key taken by a ticket the caller cannot see is
    # refused without its id, and never updated (the answer must not name records outside the scope).
    hidden = {pk for pk, _fp in existing.values()} - set(
        Complaint.objects.visible_to(acting_user)
        .filter(pk__in=[pk for pk, _fp in existing.values()])
        .values_list("id", flat=True)
    )

    cache = RuleCache()
    cal = get_calendar()
    ct_id = ContentType.objects.get_for_model(Complaint).pk
    new: list[tuple[int, Complaint, list[dict]]] = []
    specs: dict[int, object] = {}

    def spec_of(rule: Rule):
        if rule.pk not in specs:
            specs[rule.pk] = rule.spec()
        return specs[rule.pk]

    first_in_batch: dict[tuple[str, str], tuple[int, str]] = {}
    to_update: list[tuple[int, dict, int]] = []
    for index, data, fp in valid:
        key = (data["channel"], data["external_id"])
        if key in existing:
            pk, old_fp = existing[key]
            if pk in hidden:
                results[index] = ItemResult(
                    index,
                    data["external_id"],
                    "error",
                    409,
                    errors={
                        "external_id": [
                            _("This channel and external id belong to a ticket outside your scope; use another id.")
                        ]
                    },
                )
            elif old_fp == fp:
                results[index] = ItemResult(index, data["external_id"], "unchanged", 200, pk)
            elif update:
                to_update.append((index, data, pk))
            else:
                results[index] = ItemResult(
                    index,
                    data["external_id"],
                    "error",
                    409,
                    pk,
                    {"external_id": [_("A ticket with this channel and external id exists with different content.")]},
                )
            continue
        if key in first_in_batch:
            first_index, first_fp = first_in_batch[key]
            if first_fp == fp:
                results[index] = ItemResult(index, data["external_id"], "unchanged", 200)
                results[index].errors = {"_same_as": first_index}
            else:
                results[index] = ItemResult(
                    index,
                    data["external_id"],
                    "error",
                    409,
                    errors={
                        "external_id": [_("The same external id appears twice in this batch with different content.")]
                    },
                )
            continue
        first_in_batch[key] = (index, fp)
        ticket = Complaint(
            **data,
            status=Status.ACCEPTED if data.get("accepted_at") else Status.RECEIVED,
            fingerprint=fp,
            created_by=acting_user if acting_user.pk else None,
        )
        computed = []
        for rule in _rules_for(ticket, cache):
            start = _start_for(rule, ticket)
            if start is None:
                continue
            result = compute_deadline(spec_of(rule), start, cal, explain=False)
            computed.append(deadline_values(utility_id=ticket.utility_id, rule=rule, start=start, result=result))
        _summarise(
            ticket,
            [
                _Line(
                    d["code"],
                    d["due"],
                    _warn(d["at_risk_at"], d["remind_at"]),
                    DeadlineStatus.OPEN,
                    d["source_class"],
                    d["provisional"],
                )
                for d in computed
            ],
        )
        new.append((index, ticket, computed))

    if new:
        with transaction.atomic():
            insert_records(Complaint, [t for _i, t, _c in new], user=acting_user, reason="intake")
            insert_rows(
                TrackedDeadline,
                [
                    {**values, "content_type_id": ct_id, "object_id": t.pk}
                    for _i, t, computed in new
                    for values in computed
                ],
            )
        for index, ticket, _c in new:
            results[index] = ItemResult(index, ticket.external_id, "created", 201, ticket.pk, ticket=ticket)
    for item in results:
        if item is not None and item.result == "unchanged" and "_same_as" in item.errors:
            item.id = results[item.errors.pop("_same_as")].id
    for index, data, pk in to_update:
        try:
            with transaction.atomic():
                ticket = complaint_update(
                    ticket=Complaint.objects.select_related("utility").get(pk=pk), data=data, acting_user=acting_user
                )
            results[index] = ItemResult(index, data["external_id"], "updated", 200, pk, ticket=ticket)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            results[index] = ItemResult(index, data["external_id"], "error", 400, pk, errors=errors)
    return results  # type: ignore[return-value]


def complaint_create(*, data: dict, acting_user: User, queryset=None) -> tuple[Complaint, str]:
    """One pushed ticket (raw input as the API receives it). Returns (ticket, created|unchanged), the ticket
    read once from `queryset` (the caller's related rows; by default its utility).
    Raises ValidationError (400), PermissionDenied (403) or TicketConflict (409)."""
    result = complaints_intake(items=[data], acting_user=acting_user, update=False)[0]
    if result.status == 400:
        raise ValidationError(result.errors)
    if result.status == 403:
        raise PermissionDenied(result.errors["utility"][0])
    if result.status == 409:
        raise TicketConflict(result.errors["external_id"][0], ticket_id=result.id)
    read = Complaint.objects.select_related("utility") if queryset is None else queryset
    return read.get(pk=result.id), result.result


class TicketConflict(Exception):
    def __init__(self, message: str, *, ticket_id: int | None):
        super().__init__(message)
        self.ticket_id = ticket_id


@transaction.atomic
def complaint_update(*, ticket: Complaint, data: dict, acting_user: User) -> Complaint:
    """The source system corrected a ticket (bulk or import with update). Deadlines follow the new
    instants, channel or kind; the utility cannot change (forwarding is the way)."""
    if data["utility"].pk != ticket.utility_id:
        raise ValidationError({"utility": _("A ticket cannot move to another utility.")})
    changed = []
    for name, value in data.items():
        if name == "utility":
            continue
        if getattr(ticket, name) != value:
            changed.append(name)
            setattr(ticket, name, value)
    ticket.fingerprint = intake.fingerprint(data)
    if not changed:
        return ticket
    ticket._history_user = acting_user
    ticket._change_reason = "updated by the source system"
    ticket.full_clean(exclude=["utility", "forwarded_by", "case", "created_by"])
    ticket.save()
    if set(changed) & {"received_at", "accepted_at", "channel", "kind"}:
        _track_rules(ticket)
        _refresh_summary(ticket)
        ticket.save(update_fields=SUMMARY_FIELDS)
    _event(ticket, Action.UPDATED, acting_user, timezone.now(), data={"fields": changed})
    return ticket


def _event(ticket: Complaint, action: str, user: User | None, at: datetime, *, note="", data=None, old: str = ""):
    """One row of the ticket's timeline: the instant the step happened at the customer, which the
    history row (when it was recorded) cannot hold."""
    return ComplaintEvent.objects.create(
        complaint=ticket,
        action=action,
        at=at,
        actor=user if user is not None and user.pk else None,
        organisation=getattr(user, "organisation", None),
        from_status=old,
        to_status=ticket.status if old else "",
        note=note,
        data=data or {},
    )


# --------------------------------------------------------------------------- cases and files


@transaction.atomic
def complaint_link(*, ticket: Complaint, other: Complaint, acting_user: User, note: str = "") -> ComplaintCase:
    """A person confirms that two tickets are the same grievance: they share one case (cases merge)."""
    require_writable(
        acting_user, ticket, reason=_("Only the regulator or the utility handling the ticket links tickets.")
    )
    if ticket.pk == other.pk:
        raise ValidationError({"other": _("A ticket cannot be linked to itself.")})
    tickets = {t.pk: t for t in Complaint.objects.select_for_update().filter(pk__in=[ticket.pk, other.pk])}
    ticket, other = tickets[ticket.pk], tickets[other.pk]
    if ticket.case_id and ticket.case_id == other.case_id:
        raise ValidationError({"other": _("These tickets are already linked.")})
    case = (
        ComplaintCase.objects.get(pk=ticket.case_id)
        if ticket.case_id
        else (ComplaintCase.objects.get(pk=other.case_id) if other.case_id else None)
    )
    if case is None:
        case = ComplaintCase(created_by=acting_user if acting_user.pk else None)
        case._history_user = acting_user
        case.save()
    # Every ticket of either case joins the one case (a merge when both had one).
    members = list(
        Complaint.objects.filter(
            models.Q(pk__in=[ticket.pk, other.pk])
            | models.Q(case_id__in=[c for c in (ticket.case_id, other.case_id) if c])
        )
    )
    for member in members:
        if member.case_id != case.pk:
            member.case = case
            member._history_user = acting_user
            member._change_reason = f"linked to case: {case.pk}"
            member.save(update_fields=["case", "updated_at"])
            # save(update_fields) still writes the history row (post_save).
    now = timezone.now()
    for a, b in ((ticket, other), (other, ticket)):
        _event(
            a, Action.LINKED, acting_user, now, note=note, data={"case": case.pk, "with": b.pk, "with_ticket": str(b)}
        )
    return case


@transaction.atomic
def complaint_attach(*, ticket: Complaint, file, acting_user: User, description: str = ""):
    """Attach a file (type sniffed from the content, size limited) to a ticket."""
    require_writable(acting_user, ticket, reason=_("Only the regulator or the utility handling the ticket adds files."))
    try:
        return attachment_add(
            owner=ticket, utility=ticket.utility, file=file, acting_user=acting_user, description=description
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
