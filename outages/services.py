"""Writes of the outages app that are not workflow steps: registering a notice, changing it (the form,
PUT/PATCH) and the idempotent intake of pushed notices (REST, bulk, Excel import).

Who writes: the utility's own subtree (its people and system accounts), through the one write guard —
`Organisation.objects.writable_by(user, Party.UTILITY)` for a new notice, `require_writable` for an
existing one; regulators read. Every change goes through `outages.lifecycle.revise` (a status sent as
data is checked against the workflow table) and is judged again (`outages.evaluation`).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from outages.choices import NOTICE_KINDS, NoticeStatus
from outages.evaluation import judge, mark_repeated, new_notice_rows, notice_evaluate
from outages.lifecycle import WORKFLOW, revise, status_refusal
from outages.models import OutageNotice
from outages.selectors import repeated_in_batch
from outages.validation import WRITABLE_FIELDS, apply_data, normalise_channels, validate
from portal.bulk import insert_records, insert_rows
from portal.choices import Party
from portal.models import Organisation, TrackedDeadline, User, Violation
from portal.querysets import require_writable
from portal.selectors import batch


def _require_writer(user: User, utility: Organisation, writable: Collection[int] | None = None) -> None:
    """Refuse (403) unless `user` may register notices for `utility`. `writable`: the ids of
    `Organisation.objects.writable_by(user, Party.UTILITY).utilities()`, read once by a caller that
    registers many (bulk intake asks per item)."""
    if writable is None:
        writable = Organisation.objects.writable_by(user, Party.UTILITY).utilities().filter(pk=utility.pk)
        allowed = writable.exists()
    else:
        allowed = utility.pk in writable
    if not allowed:
        raise PermissionDenied(str(WORKFLOW.permission_message))


def _writable_among(user: User, entries: list[tuple[Organisation, dict]]) -> set[int]:
    """The ids of the entries' utilities `user` may register notices for, in one query (the batch's utilities
    only: a national account's whole tree is not read for a batch of one county's notices)."""
    ids = {u.pk for u, _d in entries}
    writable = Organisation.objects.writable_by(user, Party.UTILITY).utilities().filter(pk__in=ids)
    return set(writable.values_list("pk", flat=True))


def _save(notice: OutageNotice, acting_user: User, reason: str = "") -> None:
    notice._history_user = acting_user
    if reason:
        notice._change_reason = reason[:100]
    notice.full_clean()
    notice.save()


def notice_register(
    *, utility: Organisation, data: dict, acting_user: User, writable: Collection[int] | None = None
) -> OutageNotice:
    """Register a notice for `utility` (published or not yet). An unpublished notice of a kind that
    must be announced gets publish-by deadlines (start − N, from the rules) that the shared sweep
    reminds and enforces. Raises ValidationError (400) or PermissionDenied (403)."""
    result = notices_register([(utility, data)], acting_user=acting_user, writable=writable)[0]
    if isinstance(result, Exception):
        raise result
    return result


def _new_notice(utility: Organisation, data: dict, now) -> OutageNotice:
    notice = OutageNotice(utility=utility)
    apply_data(notice, data)
    if not notice.external_id:
        notice.external_id = f"PORTAL-{uuid.uuid4().hex[:12].upper()}"
    status = data.get("status") or NoticeStatus.SCHEDULED
    if status == NoticeStatus.RESCHEDULED:
        raise ValidationError({"status": _("A new notice starts as scheduled, in progress or restored.")})
    notice.status = status
    if notice.published_at and notice.kind in NOTICE_KINDS:
        notice.original_kind = notice.kind
    validate(notice, now=now)
    # The key is the caller's to check (a taken one is an IntegrityError at the insert); the end-after-start
    # constraint is `validate`'s first check. A field that may be blank and that the data does not name holds
    # its default: nothing to clean; the utility is a row just read (its check is a query per notice).
    unsaid = [f.name for f in OutageNotice._meta.concrete_fields if f.blank and f.name not in data]
    notice.full_clean(exclude=[*unsaid, "utility"], validate_unique=False, validate_constraints=False)
    return notice


@transaction.atomic
def notices_register(
    entries: list[tuple[Organisation, dict]], *, acting_user: User, writable: Collection[int] | None = None
) -> list[OutageNotice | ValidationError | PermissionDenied]:
    """Register new notices, in turn as one would after the other, in a few statements: each is validated and
    judged in memory (a temporary outage against the stored ones on its lines and the batch's earlier ones),
    then the notices with their history rows, their deadlines and their violations are inserted set-based.
    Per entry: the notice, or the error that refused it (nothing of it written)."""
    now = timezone.now()
    if writable is None:
        writable = _writable_among(acting_user, entries)
    results: list = []
    fresh: list[OutageNotice] = []
    with batch():
        for utility, data in entries:
            try:
                _require_writer(acting_user, utility, writable)
                notice = _new_notice(utility, data, now)
            except (ValidationError, PermissionDenied) as exc:
                results.append(exc)
                continue
            results.append(notice)
            fresh.append(notice)
        repeats = repeated_in_batch(fresh)
        judged = [judge(n, now, stored + mates) for n, (stored, mates) in zip(fresh, repeats, strict=True)]
        insert_records(OutageNotice, fresh, user=acting_user, reason="registered")
        mark_repeated(
            {pk for stored, mates in repeats for pk in stored} | {fresh[j].pk for _s, m in repeats for j in m}
        )
        deadlines, violations = new_notice_rows(list(zip(fresh, judged, strict=True)), now)
        insert_rows(TrackedDeadline, deadlines)
        insert_rows(Violation, violations)
    return results


@transaction.atomic
def notice_update(*, notice: OutageNotice, data: dict, acting_user: User, reason: str = "") -> OutageNotice:
    """Change a notice. A new start is a reschedule (counted, kept in the history, judged on the new
    start); a kind changed after publication is recorded and flagged; a status change must be one the
    workflow table allows (`outages.lifecycle.status_refusal`)."""
    notice = OutageNotice.objects.select_for_update().select_related("utility").get(pk=notice.pk)
    require_writable(acting_user, notice, Party.UTILITY, WORKFLOW.permission_message)
    if "utility" in data and data["utility"] is not None and data["utility"] != notice.utility:
        raise ValidationError({"utility": _("A notice cannot move to another utility.")})
    now = timezone.now()
    if data.get("status"):
        refusal = status_refusal(notice.status, data["status"])
        if refusal:
            raise ValidationError({"status": refusal})
        notice.status = data["status"]
    reasons = [reason] if reason else []
    reasons += revise(notice, data, now=now)
    _save(notice, acting_user, "; ".join(reasons))
    return notice_evaluate(notice=notice, now=now)


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
                value = normalise_channels(value)
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


def notice_upsert(
    *,
    utility: Organisation,
    data: dict,
    acting_user: User,
    update: bool,
    writable: Collection[int] | None = None,
) -> tuple[OutageNotice, str]:
    """Idempotent intake on (utility, external_id): "created", "unchanged", or — when `update` —
    "updated". A different notice under a known external id without `update` raises Conflict.
    `writable`: as for `notice_register` (bulk intake reads it once)."""
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
                notice = notice_register(utility=utility, data=data, acting_user=acting_user, writable=writable)
                return notice, "created"
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
    _require_writer(acting_user, utility, writable)
    diff = notice_differences(existing, data)
    if not diff:
        return existing, "unchanged"
    if not update:
        raise NoticeConflict(existing, diff)
    return notice_update(notice=existing, data=data, acting_user=acting_user), "updated"


def notices_intake(
    entries: list[tuple[Organisation, dict]],
    *,
    acting_user: User,
    update: bool,
    writable: Collection[int] | None = None,
) -> list[tuple[str, OutageNotice | Exception]]:
    """Idempotent intake of many notices (REST bulk, import): per entry (outcome, notice or error), the outcome
    one of created, updated, unchanged, conflict (the error a NoticeConflict) or error (a ValidationError or
    PermissionDenied). New keys are registered together (`notices_register`); a stored key, a key repeated in
    the batch or an entry without external id goes through `notice_upsert` after them, in the batch's order."""
    if writable is None:
        writable = _writable_among(acting_user, entries)
    stored = {
        (n.utility_id, n.external_id): n
        for n in OutageNotice.objects.select_related("utility").filter(
            utility_id__in={u.pk for u, _d in entries}, external_id__in={d.get("external_id") for _u, d in entries}
        )
    }
    new, later, seen = [], [], set()
    for index, (utility, data) in enumerate(entries):
        key = (utility.pk, data.get("external_id"))
        if not key[1] or key in stored or key in seen:
            later.append(index)
        else:
            seen.add(key)
            new.append(index)
    out: list = [None] * len(entries)
    try:
        with transaction.atomic():
            registered = notices_register([entries[i] for i in new], acting_user=acting_user, writable=writable)
        for index, notice in zip(new, registered, strict=True):
            out[index] = ("error", notice) if isinstance(notice, Exception) else ("created", notice)
    except IntegrityError:  # a concurrent push took one of the keys: each entry as its retry
        later = sorted(new + later)
    for index in later:
        utility, data = entries[index]
        known = stored.get((utility.pk, data.get("external_id")))
        try:
            if known is not None and known.utility_id in writable and not notice_differences(known, data):
                out[index] = ("unchanged", known)  # an identical retry: nothing to read or write
                continue
            with transaction.atomic():
                notice, outcome = notice_upsert(
                    utility=utility, data=data, acting_user=acting_user, update=update, writable=writable
                )
            out[index] = (outcome, notice)
        except NoticeConflict as exc:
            out[index] = ("conflict", exc)
        except (ValidationError, PermissionDenied) as exc:
            out[index] = ("error", exc)
    return out


class NoticeConflict(Exception):
    """Same external id, different content: the caller must update explicitly."""

    def __init__(self, notice: OutageNotice, fields: list[str]):
        self.notice = notice
        self.fields = fields
        super().__init__(
            _("Notice %(id)s of this utility already exists with different %(fields)s; use PUT or PATCH to change it.")
            % {"id": notice.external_id, "fields": ", ".join(fields)}
        )
