"""Writes of the outages app. Every change to a notice goes through here and re-evaluates its
compliance (`outages.selectors.notice_compliance`), records or withdraws its violations and keeps
its tracked deadlines (publish-by, restoration, repair arrival, reconnection) in step.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outages.choices import NOTICE_KINDS, UPCOMING_STATUSES, Channel, ComplianceState, NoticeStatus, OutageKind
from outages.fields import NOTICE_FIELDS
from outages.models import OutageNotice
from outages.selectors import Judged, notice_compliance, repeated_on_line
from portal.choices import DeadlineStatus, Disposition, RuleUnit
from portal.deadlines import fraction_instant
from portal.models import Organisation, TrackedDeadline, User, Violation
from portal.selectors import batch
from portal.services import (
    deadline_cancel,
    deadline_meet,
    deadline_track,
    violation_record,
    violation_withdraw,
)

# The status workflow: one table, one function (`_set_status`) that refuses any other move.
TRANSITIONS: dict[str, frozenset[str]] = {
    NoticeStatus.SCHEDULED: frozenset(
        {NoticeStatus.IN_PROGRESS, NoticeStatus.RESTORED, NoticeStatus.CANCELLED, NoticeStatus.RESCHEDULED}
    ),
    NoticeStatus.RESCHEDULED: frozenset(
        {NoticeStatus.IN_PROGRESS, NoticeStatus.RESTORED, NoticeStatus.CANCELLED, NoticeStatus.RESCHEDULED}
    ),
    NoticeStatus.IN_PROGRESS: frozenset({NoticeStatus.RESTORED}),
    NoticeStatus.RESTORED: frozenset(),
    NoticeStatus.CANCELLED: frozenset(),
}

# Fields a utility (person or system) may set on a notice: the spec's intake fields but the utility,
# which owns the notice and is given on its own; the rest are derived.
WRITABLE_FIELDS = tuple(name for name in NOTICE_FIELDS.intake_names if name != "utility")
# Instants of things that happened: none may lie in the future.
HAPPENED_FIELDS = NOTICE_FIELDS.names(happened=True)
# Publication a few minutes ahead of the server clock is clock skew, not a future publication.
_CLOCK_SKEW = timedelta(minutes=5)


def writable_utilities(user: User):
    """The utilities `user` may register notices for: its own organisation's subtree (people and
    system accounts of a utility); nobody else (regulators read only)."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.utilities()
    if not (user.is_utility or user.is_system) or user.organisation is None or not user.organisation.is_utility:
        return Organisation.objects.none()
    return Organisation.objects.utilities().filter(path__startswith=user.organisation.path)


def may_write(user: User, utility: Organisation) -> bool:
    """The same rule as `writable_utilities`, decided without a query (bulk intake calls it per item)."""
    if not getattr(user, "is_authenticated", False) or not utility.is_utility:
        return False
    if user.is_superuser:
        return True
    org = user.organisation
    return (
        (user.is_utility or user.is_system) and org is not None and org.is_utility and utility.path.startswith(org.path)
    )


def _check_writer(user: User, utility: Organisation) -> None:
    if not may_write(user, utility):
        raise PermissionDenied(_("You may only write notices of your own organisation."))


def _normalise_channels(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v for v in value.replace("，", ",").split(",") if v.strip()]
    allowed = {c.value for c in Channel}
    out: list[str] = []
    for item in value:
        item = str(item).strip()
        if item not in allowed:
            raise ValidationError(
                {
                    "channels": _("Unknown channel '%(value)s'; use %(allowed)s.")
                    % {"value": item, "allowed": ", ".join(sorted(allowed))}
                }
            )
        if item not in out:
            out.append(item)
    return sorted(out, key=[c.value for c in Channel].index)


def _validate(notice: OutageNotice, *, now: datetime) -> None:
    """Input errors (400): things that cannot be true. A late notice is *not* one of them: it is a
    violation to record."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if notice.end_at and notice.start_at and notice.end_at <= notice.start_at:
        add("end_at", _("The end must be after the start."))
    if notice.actual_start_at and notice.actual_end_at and notice.actual_end_at <= notice.actual_start_at:
        add("actual_end_at", _("Supply cannot be restored before the outage began."))
    if notice.published_at and notice.published_at > now + _CLOCK_SKEW:
        add("published_at", _("A notice cannot be published in the future; register it unpublished instead."))
    for field in HAPPENED_FIELDS:
        value = getattr(notice, field)
        if value and value > now + _CLOCK_SKEW:
            add(field, _("This has not happened yet: the instant lies in the future."))
    if notice.kind == OutageKind.FAULT and not notice.area_class:
        add("area_class", _("A fault outage needs the area class (urban, rural or remote) for the repair time."))
    if notice.kind in (OutageKind.PLANNED, OutageKind.TEMPORARY, OutageKind.RESTRICTION) and not notice.end_at:
        add("end_at", _("An announced outage needs its scheduled end."))
    if notice.status in (NoticeStatus.IN_PROGRESS, NoticeStatus.RESTORED) and not notice.actual_start_at:
        add("actual_start_at", _("An outage in progress or restored needs its actual start."))
    if notice.status == NoticeStatus.RESTORED and not notice.actual_end_at:
        add("actual_end_at", _("A restored outage needs the instant supply came back."))
    if notice.actual_end_at and notice.status not in (NoticeStatus.RESTORED,):
        add("status", _("An outage with an actual end is restored; set the status to restored."))
    if notice.repair_arrived_at and notice.repair_reported_at and notice.repair_arrived_at < notice.repair_reported_at:
        add("repair_arrived_at", _("The crew cannot arrive before the fault was reported."))
    if notice.reconnected_at and not notice.paid_at:
        add("paid_at", _("Reconnection after arrears needs the payment instant."))
    if notice.reconnected_at and notice.paid_at and notice.reconnected_at < notice.paid_at:
        add("reconnected_at", _("Reconnection cannot precede the payment."))
    if notice.kind != OutageKind.ARREARS and (notice.paid_at or notice.arrears_overdue_since or notice.arrears_amount):
        add("kind", _("Arrears fields belong to an arrears disconnection."))
    if notice.arrears_amount is not None and notice.arrears_amount < Decimal("0"):
        add("arrears_amount", _("The amount in arrears cannot be negative."))
    if errors:
        raise ValidationError(errors)


def _set_status(notice: OutageNotice, new: str) -> None:
    """Move `notice` to `new` or refuse with a clear message (the one workflow function)."""
    old = notice.status
    if new == old:
        return
    if new not in TRANSITIONS.get(old, frozenset()):
        raise ValidationError(
            {
                "status": _("A notice that is %(old)s cannot become %(new)s.")
                % {"old": NoticeStatus(old).label, "new": NoticeStatus(new).label}
            }
        )
    notice.status = new


def _save(notice: OutageNotice, acting_user: User, reason: str = "") -> None:
    notice._history_user = acting_user
    if reason:
        notice._change_reason = reason[:100]
    notice.full_clean()
    notice.save()


# --------------------------------------------------------------------------- evaluation


def _track(notice: OutageNotice, judged: list[Judged], now: datetime) -> None:
    """Keep the tracked deadlines in step: open limits tracked, done ones met, the rest cancelled."""
    ct = ContentType.objects.get_for_model(OutageNotice)
    existing = dict(TrackedDeadline.objects.filter(content_type=ct, object_id=notice.pk).values_list("code", "status"))
    live: set[str] = set()
    fraction = float(getattr(settings, "DEADLINE_REMIND_FRACTION", 0.8))
    for j in judged:
        code = j.rule.code
        if j.track_start is not None and notice.status != NoticeStatus.CANCELLED:
            live.add(code)
            obj = deadline_track(subject=notice, utility=notice.utility, rule=j.rule, start=j.track_start)
            if (
                j.rule.unit in (RuleUnit.ADVANCE_DAYS, RuleUnit.ADVANCE_HOURS)
                and obj.reminded_at is None
                and obj.status == DeadlineStatus.OPEN
                and obj.due > now
            ):
                # An advance deadline lies before its start: remind at a share of the time left.
                remind = fraction_instant(min(now, obj.due), obj.due, fraction)
                TrackedDeadline.objects.filter(pk=obj.pk).update(remind_at=remind)
        elif j.met_at is not None and code in existing:
            live.add(code)
            deadline_meet(subject=notice, codes=[code], at=j.met_at)
    stale = [c for c, status in existing.items() if c not in live and status == DeadlineStatus.OPEN]
    if stale:
        deadline_cancel(subject=notice, codes=stale)


def _record_violations(notice: OutageNotice, judged: list[Judged]) -> None:
    violating = {j.rule.code: j for j in judged if j.state == ComplianceState.VIOLATION}
    for code, j in violating.items():
        recorded = violation_record(
            subject=notice,
            utility=notice.utility,
            rule=j.rule,
            code=code,
            source_class=j.rule.source_class,
            occurred_at=j.occurred_at or notice.start_at,
            shortfall=j.shortfall,
            description=f"{notice.external_id}：{j.entry['note']}",
        )
        # Not yet reviewed: keep its shortfall and wording current (a late notice finally published).
        shortfall = max(0, int(j.shortfall.total_seconds()))
        description = f"{notice.external_id}：{j.entry['note']}"[:300]
        if recorded.disposition == Disposition.PENDING and (
            recorded.shortfall_seconds != shortfall or recorded.description != description
        ):
            Violation.objects.filter(pk=recorded.pk).update(shortfall_seconds=shortfall, description=description)
    ct = ContentType.objects.get_for_model(OutageNotice)
    pending = Violation.objects.filter(content_type=ct, object_id=notice.pk, disposition=Disposition.PENDING)
    for code in pending.values_list("code", flat=True):
        if code not in violating:
            violation_withdraw(subject=notice, code=code)


@transaction.atomic
def notice_evaluate(*, notice: OutageNotice, now: datetime | None = None) -> OutageNotice:
    """Re-judge `notice`, store the summary, and bring violations and deadlines in line with it."""
    now = now or timezone.now()
    others = repeated_on_line(notice)
    notice.repeated_temporary = bool(others)
    if others:
        OutageNotice.objects.filter(pk__in=others, repeated_temporary=False).update(repeated_temporary=True)
    summary, judged = notice_compliance(notice, now=now)
    notice.compliance = summary
    notice.compliance_state = summary["state"]
    notice.evaluated_at = now
    # Derived fields only: no history row of its own (the change that caused it has one).
    OutageNotice.objects.filter(pk=notice.pk).update(
        compliance=summary,
        compliance_state=summary["state"],
        evaluated_at=now,
        repeated_temporary=notice.repeated_temporary,
    )
    _record_violations(notice, judged)
    _track(notice, judged, now)
    return notice


def notices_reevaluate(*, ids: Iterable[int], now: datetime | None = None, chunk: int = 500) -> int:
    """Re-judge many notices (after a rule change, or those whose deadline just went overdue)."""
    ids = list(ids)
    done = 0
    with batch():
        for i in range(0, len(ids), chunk):
            # One transaction per chunk: a commit per notice would cost more than judging it.
            with transaction.atomic():
                for notice in OutageNotice.objects.filter(pk__in=ids[i : i + chunk]).select_related("utility"):
                    notice_evaluate(notice=notice, now=now)
                    done += 1
    return done


def on_deadline_overdue(ids: list[int], now: datetime) -> None:
    """Overdue handler for the shared sweep: the notices' compliance turns to violation."""
    notices_reevaluate(ids=ids, now=now)


# --------------------------------------------------------------------------- writes


def _apply(notice: OutageNotice, data: dict) -> None:
    for field, value in data.items():
        if field not in WRITABLE_FIELDS or field == "status":
            continue
        if field == "channels":
            value = _normalise_channels(value)
        else:
            if isinstance(value, str):
                value = value.strip()
            model_field = OutageNotice._meta.get_field(field)
            if value == "" and model_field.null:
                value = None
            value = model_field.to_python(value)
        setattr(notice, field, value)


@transaction.atomic
def notice_register(*, utility: Organisation, data: dict, acting_user: User) -> OutageNotice:
    """Register a notice for `utility` (published or not yet). An unpublished notice of a kind that
    must be announced gets publish-by deadlines (start − N, from the rules) that the shared sweep
    reminds and enforces."""
    _check_writer(acting_user, utility)
    now = timezone.now()
    notice = OutageNotice(utility=utility)
    _apply(notice, data)
    if not notice.external_id:
        notice.external_id = f"PORTAL-{uuid.uuid4().hex[:12].upper()}"
    status = data.get("status") or NoticeStatus.SCHEDULED
    if status == NoticeStatus.RESCHEDULED:
        raise ValidationError({"status": _("A new notice starts as scheduled, in progress or restored.")})
    notice.status = status
    if notice.published_at and notice.kind in NOTICE_KINDS:
        notice.original_kind = notice.kind
    _validate(notice, now=now)
    _save(notice, acting_user, "registered")
    return notice_evaluate(notice=notice, now=now)


@transaction.atomic
def notice_update(*, notice: OutageNotice, data: dict, acting_user: User, reason: str = "") -> OutageNotice:
    """Change a notice. A new start is a reschedule (counted, kept in the history, judged on the new
    start); a kind changed after publication is recorded and flagged; a status change follows the
    workflow."""
    notice = OutageNotice.objects.select_for_update().select_related("utility").get(pk=notice.pk)
    _check_writer(acting_user, notice.utility)
    if "utility" in data and data["utility"] is not None and data["utility"] != notice.utility:
        raise ValidationError({"utility": _("A notice cannot move to another utility.")})
    now = timezone.now()
    old_kind, old_start, was_published = notice.kind, notice.start_at, notice.published_at is not None
    reasons = [reason] if reason else []
    _apply(notice, data)
    if data.get("status"):
        _set_status(notice, data["status"])
    if notice.start_at != old_start:
        if notice.status not in UPCOMING_STATUSES:
            raise ValidationError({"start_at": _("Only an outage that has not begun can be rescheduled.")})
        notice.reschedule_count += 1
        notice.status = NoticeStatus.RESCHEDULED
        reasons.append(
            f"rescheduled from {timezone.localtime(old_start):%Y-%m-%d %H:%M} "
            f"to {timezone.localtime(notice.start_at):%Y-%m-%d %H:%M}"
        )
    if notice.kind != old_kind:
        if was_published:
            notice.relabelled = True
            notice.original_kind = notice.original_kind or old_kind
        reasons.append(f"kind {old_kind} → {notice.kind}")
    if notice.published_at and not notice.original_kind and notice.kind in NOTICE_KINDS:
        notice.original_kind = notice.kind
    _validate(notice, now=now)
    _save(notice, acting_user, "; ".join(reasons))
    return notice_evaluate(notice=notice, now=now)


def notice_publish(
    *, notice: OutageNotice, published_at: datetime, channels: list[str], acting_user: User
) -> OutageNotice:
    """Record the announcement: when and on which channels. It meets the publish-by deadlines (late
    if after them, and then the violation stands)."""
    if notice.kind not in NOTICE_KINDS:
        raise ValidationError({"kind": _("A fault outage is not announced in advance.")})
    if not channels:
        raise ValidationError({"channels": _("Say on which channels the notice was published.")})
    return notice_update(
        notice=notice,
        data={"published_at": published_at, "channels": channels},
        acting_user=acting_user,
        reason="published",
    )


def notice_reschedule(
    *,
    notice: OutageNotice,
    start_at: datetime,
    end_at: datetime | None,
    acting_user: User,
    published_at: datetime | None = None,
    reason: str = "",
) -> OutageNotice:
    """Move an outage that has not begun; judged again on its new start (and its new publication,
    if it was re-announced)."""
    if start_at == notice.start_at:
        raise ValidationError({"start_at": _("The new start is the same as the current one.")})
    data: dict = {"start_at": start_at, "end_at": end_at}
    if published_at is not None:
        data["published_at"] = published_at
    return notice_update(notice=notice, data=data, acting_user=acting_user, reason=reason)


def notice_cancel(*, notice: OutageNotice, acting_user: User, reason: str = "") -> OutageNotice:
    """Call the outage off; its running deadlines are cancelled."""
    return notice_update(
        notice=notice,
        data={"status": NoticeStatus.CANCELLED},
        acting_user=acting_user,
        reason=f"cancelled: {reason}" if reason else "cancelled",
    )


def notice_start(*, notice: OutageNotice, at: datetime, acting_user: User) -> OutageNotice:
    """Supply was cut at `at`: restoration is now tracked against the scheduled end."""
    return notice_update(
        notice=notice,
        data={"status": NoticeStatus.IN_PROGRESS, "actual_start_at": at},
        acting_user=acting_user,
        reason="started",
    )


def notice_restore(
    *,
    notice: OutageNotice,
    at: datetime,
    acting_user: User,
    cause_removed_at: datetime | None = None,
    explanation: str = "",
) -> OutageNotice:
    """Supply came back at `at`. An overrun of the announced end is a violation unless explained."""
    data: dict = {"status": NoticeStatus.RESTORED, "actual_end_at": at}
    if notice.actual_start_at is None:
        data["actual_start_at"] = notice.start_at
    if cause_removed_at is not None:
        data["cause_removed_at"] = cause_removed_at
    if explanation:
        data["delay_explanation"] = explanation
    return notice_update(notice=notice, data=data, acting_user=acting_user, reason="restored")


# --------------------------------------------------------------------------- intake


def notice_differences(notice: OutageNotice, data: dict) -> list[str]:
    """The writable fields where `data` says something other than the stored notice."""
    diff = []
    for field, value in data.items():
        if field not in WRITABLE_FIELDS:
            continue
        current = getattr(notice, field)
        if field == "channels":
            try:
                value = _normalise_channels(value)
            except ValidationError:
                diff.append(field)
                continue
        if isinstance(value, str):
            value = value.strip()
        if field == "status" and value == NoticeStatus.SCHEDULED and current == NoticeStatus.RESCHEDULED:
            continue
        if value in ("", None) and current in ("", None):
            continue
        if isinstance(current, Decimal) and value is not None:
            value = Decimal(str(value))
        if current != value:
            diff.append(field)
    return diff


def notice_upsert(*, utility: Organisation, data: dict, acting_user: User, update: bool) -> tuple[OutageNotice, str]:
    """Idempotent intake on (utility, external_id): "created", "unchanged", or — when `update` —
    "updated". A different notice under a known external id without `update` raises Conflict."""
    existing = (
        OutageNotice.objects.select_related("utility")
        .filter(utility=utility, external_id=data.get("external_id"))
        .first()
        if data.get("external_id")
        else None
    )
    if existing is None:
        try:
            with transaction.atomic():
                return notice_register(utility=utility, data=data, acting_user=acting_user), "created"
        except (IntegrityError, ValidationError):
            # A concurrent push of the same notice committed first (caught by the unique check of
            # full_clean or by the constraint itself): answer as its retry.
            existing = (
                OutageNotice.objects.select_related("utility")
                .filter(utility=utility, external_id=data.get("external_id"))
                .first()
            )
            if existing is None:
                raise
    _check_writer(acting_user, utility)
    diff = notice_differences(existing, data)
    if not diff:
        return existing, "unchanged"
    if not update:
        raise NoticeConflict(existing, diff)
    return notice_update(notice=existing, data=data, acting_user=acting_user), "updated"


class NoticeConflict(Exception):
    """Same external id, different content: the caller must update explicitly."""

    def __init__(self, notice: OutageNotice, fields: list[str]):
        self.notice = notice
        self.fields = fields
        super().__init__(
            _("Notice %(id)s of this utility already exists with different %(fields)s; use PUT or PATCH to change it.")
            % {"id": notice.external_id, "fields": ", ".join(fields)}
        )


def utility_reevaluate(*, utility_id: int, now: datetime | None = None) -> int:
    """Re-judge every notice of a utility and its subsidiaries (ids read in one query)."""
    root = Organisation.objects.get(pk=utility_id)
    ids = OutageNotice.objects.filter(utility__path__startswith=root.path).values_list("id", flat=True)
    return notices_reevaluate(ids=list(ids), now=now)
