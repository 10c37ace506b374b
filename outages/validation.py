"""What a notice's data may say: the fields a writer sets, their typing, and the input errors (400).

Nothing here reads or writes the database; `outages.lifecycle.revise` applies a change through these and
`outages.services` (register, update, intake) and the workflow's steps call it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from outages.choices import Channel, NoticeStatus, OutageKind
from outages.fields import NOTICE_FIELDS
from outages.models import OutageNotice

# Fields a utility (person or system) may set on a notice: the spec's intake fields but the utility,
# which owns the notice and is given on its own; the rest are derived.
WRITABLE_FIELDS = tuple(name for name in NOTICE_FIELDS.intake_names if name != "utility")
# Instants of things that happened: none may lie in the future.
HAPPENED_FIELDS = NOTICE_FIELDS.names(happened=True)
# Publication a few minutes ahead of the server clock is clock skew, not a future publication.
CLOCK_SKEW = timedelta(minutes=5)


# Read once: iterating a choices enum costs ~80 µs, once per notice of a bulk call.
CHANNEL_ORDER = [c.value for c in Channel]


def normalise_channels(value) -> list[str]:
    """Channels as a list of known values in their canonical order (a comma-separated string is accepted)."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v for v in value.replace("，", ",").split(",") if v.strip()]
    allowed = set(CHANNEL_ORDER)
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
    return sorted(out, key=CHANNEL_ORDER.index)


def apply_data(notice: OutageNotice, data: dict) -> None:
    """Set the writable fields `data` names, typed as the model's fields (the status is the workflow's)."""
    for field, value in data.items():
        if field not in WRITABLE_FIELDS or field == "status":
            continue
        if field == "channels":
            value = normalise_channels(value)
        else:
            if isinstance(value, str):
                value = value.strip()
            model_field = OutageNotice._meta.get_field(field)
            if value == "" and model_field.null:
                value = None
            value = model_field.to_python(value)
        setattr(notice, field, value)


def validate(notice: OutageNotice, *, now: datetime) -> None:
    """Input errors (400): things that cannot be true. A late notice is *not* one of them: it is a
    violation to record."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if notice.end_at and notice.start_at and notice.end_at <= notice.start_at:
        add("end_at", _("The end must be after the start."))
    if notice.actual_start_at and notice.actual_end_at and notice.actual_end_at <= notice.actual_start_at:
        add("actual_end_at", _("Supply cannot be restored before the outage began."))
    if notice.published_at and notice.published_at > now + CLOCK_SKEW:
        add("published_at", _("A notice cannot be published in the future; register it unpublished instead."))
    for field in HAPPENED_FIELDS:
        value = getattr(notice, field)
        if value and value > now + CLOCK_SKEW:
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
