"""The intake shared by the records utilities push with their history (connection applications, meter
test and abnormal-reading requests in `complaints`, arrears cases in `outages`): idempotent by (source,
external id), set-based, keeping the original instants of the steps already taken (`portal.tracking`
judges their clocks).

A kind (`OrderKind`) names its model, its item validation (`clean`), its clocks, what it derives before
the insert (`prepare`: status, totals) and how a later push of the same record takes the steps it adds
(`progress`, through the kind's workflow). Everything else — who may push, the existing keys, duplicates
in a batch, retries, the bulk insert of records, history rows, deadlines and the violations of late
steps — is here, once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.bulk import insert_records
from portal.calendar import get_calendar
from portal.choices import Party
from portal.deadlines import SHANGHAI, CalendarData
from portal.fieldspec import choice_aliases
from portal.instants import CLOCK_SKEW, read_instant
from portal.models import Organisation, User
from portal.querysets import acts_as
from portal.selectors import batch
from portal.tracking import Clock, RuleBook, clock_rows, clocks_sync, insert_clock_rows
from portal.workflow import Move

TEXTS = {"source": 40, "external_id": 64, "customer_name": 60, "address": 200, "meter_number": 40}


@dataclass(frozen=True)
class OrderKind:
    model: type[models.Model]
    clean: Callable[..., tuple[dict, dict]]  # (raw, utilities=, now=) -> (data, errors)
    clocks: Callable[[models.Model], list[Clock]]
    prepare: Callable[[models.Model, CalendarData], None]  # status and totals of a new record
    progress: Callable[..., models.Model]  # (record, data, acting_user) -> record: a later push's steps
    rule_prefix: str
    judged: Callable[[list[models.Model]], None] | None = None  # events judged on new records (not clocks)


class OrderConflict(Exception):
    pass


@dataclass
class ItemResult:
    index: int
    external_id: str | None
    result: str  # created / unchanged / updated / error
    status: int
    id: int | None = None
    errors: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "external_id": self.external_id,
            "result": self.result,
            "status": self.status,
            "id": self.id,
            "errors": self.errors,
        }


# --------------------------------------------------------------------------- readers for `clean`


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value, name: str, errors: dict) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        errors.setdefault(name, []).append(_("Give a text value."))
        return None
    out = str(value).strip()
    if "\x00" in out:
        errors.setdefault(name, []).append(_("Null characters are not allowed."))
        return None
    limit = TEXTS.get(name)
    if limit is not None and len(out) > limit:
        errors.setdefault(name, []).append(
            _("At most %(limit)d characters (this has %(n)d).") % {"limit": limit, "n": len(out)}
        )
        return None
    return out


YES = {"true", "1", "yes", "y", "是", "合格"}
NO = {"false", "0", "no", "n", "否", "不合格"}


def read_choice(raw: dict, name: str, errors: dict, data: dict, choices, words: dict | None = None) -> None:
    """A choice given as its code, its English or Chinese label, or one of the source systems' `words`."""
    if blank(raw.get(name)):
        return
    label = text(raw[name], name, errors)
    if label is None:
        return
    aliases = choice_aliases(f"{choices.__module__}.{choices.__name__}", choices.choices)
    chosen = aliases.get(label) or aliases.get(label.lower()) or (words or {}).get(label)
    if chosen is None:
        errors.setdefault(name, []).append(
            _("Unknown %(field)s '%(value)s'; use one of %(allowed)s.")
            % {"field": name, "value": label[:40], "allowed": ", ".join(choices.values)}
        )
    else:
        data[name] = str(chosen)


def read_flag(raw: dict, name: str, errors: dict, data: dict, default: bool | None = None) -> None:
    """A yes/no: a JSON boolean, or 1/0, yes/no, 是/否, 合格/不合格 as text. Absent: `default` (if any)."""
    value = raw.get(name)
    if isinstance(value, bool):
        data[name] = value
    elif isinstance(value, str | int) and str(value).strip().lower() in YES | NO:
        data[name] = str(value).strip().lower() in YES
    elif blank(value):
        if default is not None:
            data[name] = default
    else:
        errors.setdefault(name, []).append(_("Give true or false."))


def read_decimal(
    raw: dict, name: str, errors: dict, data: dict, *, high, places: str, low=None, positive=False, message=None
) -> None:
    """A number up to `high`, from `low` (or above 0 when `positive`), rounded to `places` first: an amount
    below the last place (0.001 yuan) is no amount at all."""
    if blank(raw.get(name)):
        return
    value = raw[name]
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        number = Decimal(str(value).strip())
        if not number.is_finite() or number > Decimal(high):
            raise InvalidOperation
        number = number.quantize(Decimal(places))
        if (low is not None and number < Decimal(low)) or (positive and number <= 0):
            raise InvalidOperation
        data[name] = number
    except (InvalidOperation, ValueError):
        errors.setdefault(name, []).append(
            str(message) if message else _("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        )


def read_instants(raw: dict, names, errors: dict, data: dict, now: datetime, *, future_allowed=()) -> None:
    """The instants of the steps (`portal.instants.read_instant`); only those in `future_allowed` may lie ahead."""
    for name in names:
        if not blank(raw.get(name)):
            parsed = read_instant(raw[name], name, errors, now, happened=name not in future_allowed)
            if parsed is not None:
                data[name] = parsed


def clean_common(raw: dict, data: dict, errors: dict, utilities: dict, required: tuple[str, ...]) -> None:
    """The fields every work order has: the key, the utility, the customer."""
    for name in required:
        if blank(raw.get(name)):
            errors.setdefault(name, []).append(_("This field is required."))
    for name in ("source", "external_id", "customer_name", "address"):
        if not blank(raw.get(name)):
            value = text(raw[name], name, errors)
            if value is not None:
                data[name] = value
    for name in ("customer_name", "address"):
        data.setdefault(name, "")
    if not blank(raw.get("utility")):
        code = text(raw["utility"], "utility", errors)
        org = utilities.get(code) if code else None
        if code is not None and (org is None or not org.is_utility):
            errors.setdefault("utility", []).append(_("Unknown utility '%(code)s'.") % {"code": code[:40]})
        elif org is not None:
            data["utility"] = org


def fingerprint(data: dict) -> str:
    """A hash of what the source system said (an identical retry is `unchanged`)."""
    canon = {}
    for key, value in sorted(data.items()):
        if isinstance(value, datetime):
            value = value.astimezone(SHANGHAI).isoformat()
        elif isinstance(value, Organisation):
            value = value.code
        elif isinstance(value, Decimal):
            value = str(value)
        canon[key] = value
    return hashlib.sha256(json.dumps(canon, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _codes(items) -> set[str]:
    """The utility codes a batch names, as far as they can be codes at all: PostgreSQL refuses a NUL in a query
    (a 500 otherwise); such an item is refused by its own validation."""
    return {
        raw["utility"].strip()
        for raw in items
        if isinstance(raw, dict)
        and isinstance(raw.get("utility"), str)
        and 0 < len(raw["utility"].strip()) <= 40
        and "\x00" not in raw["utility"]
    }


def _err(index: int, raw, status: int, errors: dict, pk: int | None = None) -> ItemResult:
    ext = raw.get("external_id") if isinstance(raw, dict) else None
    return ItemResult(index, ext if isinstance(ext, str) else None, "error", status, pk, errors)


def may_push(user: User) -> bool:
    """Work orders come from the utilities' own systems: their people and system accounts (or an operator)."""
    return acts_as(user, Party.UTILITY)


# --------------------------------------------------------------------------- the batch


def orders_intake(kind: OrderKind, *, items: list, acting_user: User, update: bool = False) -> list[ItemResult]:
    """Register a batch of pushed work orders, idempotent on (source, external id). An identical retry is
    `unchanged`; one that adds the instants of later steps is `updated` (with `update`: the steps are taken
    at those instants); any other difference is a 409. A bad item never loses the good ones."""
    for attempt in range(3):
        try:
            with batch():
                return _intake(kind, items, acting_user, update)
        except IntegrityError:
            if attempt == 2:  # a concurrent push took one of our keys between our read and our insert
                raise
    raise AssertionError("unreachable")


def _intake(kind: OrderKind, items: list, user: User, update: bool) -> list[ItemResult]:
    now = timezone.now()
    model = kind.model
    utilities = {o.code: o for o in Organisation.objects.filter(code__in=_codes(items))}
    writable = set(Organisation.objects.writable_by(user, Party.UTILITY).utilities().values_list("id", flat=True))
    results: list[ItemResult | None] = [None] * len(items)
    valid = []
    for index, raw in enumerate(items):
        if not may_push(user):
            results[index] = _err(
                index, raw, 403, {"utility": [_("Service work orders are pushed by the utility's own systems.")]}
            )
            continue
        data, errors = kind.clean(raw, utilities=utilities, now=now)
        if errors:
            results[index] = _err(index, raw, 400, errors)
            continue
        if not user.is_superuser and data["utility"].pk not in writable:
            results[index] = _err(
                index, raw, 403, {"utility": [_("You may only write records of your own organisation.")]}
            )
            continue
        valid.append((index, raw, data, fingerprint(data)))

    keys = {(d["source"], d["external_id"]) for _i, _r, d, _f in valid}
    existing = {}
    if keys:
        for row in model.objects.filter(source__in={s for s, _e in keys}, external_id__in={e for _s, e in keys}).values(
            "id", "source", "external_id", "fingerprint"
        ):
            existing[(row["source"], row["external_id"])] = row
    visible = set(
        model.objects.visible_to(user).filter(pk__in=[r["id"] for r in existing.values()]).values_list("id", flat=True)
    )

    book, cal = RuleBook(kind.rule_prefix), get_calendar()
    new: list[tuple[int, models.Model, list[dict]]] = []
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    to_update = []
    for index, raw, data, fp in valid:
        key = (data["source"], data["external_id"])
        if key in existing:
            row = existing[key]
            if row["id"] not in visible:
                message = _("This source and external id belong to a record outside your scope; use another id.")
                results[index] = _err(index, raw, 409, {"external_id": [message]})
            elif row["fingerprint"] == fp:
                results[index] = ItemResult(index, data["external_id"], "unchanged", 200, row["id"])
            elif update:
                to_update.append((index, raw, data, fp, row["id"]))
            else:
                message = _("A record with this source and external id exists with different content.")
                results[index] = _err(index, raw, 409, {"external_id": [message]}, row["id"])
            continue
        if key in seen:
            first, first_fp = seen[key]
            message = _("The same external id appears twice in this batch with different content.")
            results[index] = (
                ItemResult(index, data["external_id"], "unchanged", 200, errors={"_same_as": first})
                if first_fp == fp
                else _err(index, raw, 409, {"external_id": [message]})
            )
            continue
        seen[key] = (index, fp)
        record = model(**data, fingerprint=fp, created_by=user if user.pk else None)
        kind.prepare(record, cal)
        rows = clock_rows(
            kind.clocks(record),
            utility_id=record.utility_id,
            province_id=record.utility.province_id,
            book=book,
            cal=cal,
        )
        new.append((index, record, rows))

    if new:
        with transaction.atomic():
            insert_records(model, [r for _i, r, _rows in new], user=user, reason="intake")
            ct_id = ContentType.objects.get_for_model(model).pk
            insert_clock_rows(ct_id, [(r.pk, rows) for _i, r, rows in new])
            if kind.judged is not None:
                kind.judged([r for _i, r, _rows in new])
        for index, record, _rows in new:
            results[index] = ItemResult(index, record.external_id, "created", 201, record.pk)
    for item in results:
        if item is not None and "_same_as" in item.errors:
            item.id = results[item.errors.pop("_same_as")].id
    for index, raw, data, fp, pk in to_update:
        try:
            with transaction.atomic():
                record = kind.progress(model.objects.get(pk=pk), data, user)
                model.objects.filter(pk=pk).update(
                    fingerprint=fp, customer_name=data.get("customer_name", ""), address=data.get("address", "")
                )
            results[index] = ItemResult(index, data["external_id"], "updated", 200, record.pk)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            results[index] = _err(index, raw, 409 if "conflict" in errors else 400, errors, pk)
        except PermissionDenied as exc:
            results[index] = _err(index, raw, 403, {"utility": [str(exc)]}, pk)
    return results  # type: ignore[return-value]


def changed_facts(record: models.Model, data: dict, facts: tuple[str, ...], instants: tuple[str, ...]) -> None:
    """A later push may add the instants of later steps; a recorded fact it changes or drops is a conflict."""
    changed = []
    for name in facts:
        old = getattr(record, f"{name}_id" if name == "utility" else name)
        new = data.get(name)
        new = new.pk if isinstance(new, Organisation) else new
        if old is not None and (new != old if name in data else name in instants):
            changed.append(name)
    if changed:
        raise ValidationError(
            {
                "conflict": [
                    _("The push changes what is recorded (%(fields)s); correct the record in the source system.")
                    % {"fields": ", ".join(sorted(changed))}
                ]
            }
        )


def order_create(kind: OrderKind, *, data: dict, acting_user: User):
    """One pushed work order. Raises ValidationError (400), PermissionDenied (403) or OrderConflict (409)."""
    result = orders_intake(kind, items=[data], acting_user=acting_user)[0]
    if result.status == 400:
        raise ValidationError(result.errors)
    if result.status == 403:
        raise PermissionDenied(result.errors["utility"][0])
    if result.status == 409:
        raise OrderConflict(result.errors["external_id"][0])
    return kind.model.objects.select_related("utility").get(pk=result.id), result.result


# --------------------------------------------------------------------------- helpers of the steps


def step_instant(record: models.Model, move: Move, after: str) -> datetime:
    """A step's instant: not in the future, not before the step it follows."""
    at = move.at
    if at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"at": _("This instant lies in the future.")})
    before = getattr(record, after)
    if before is not None and at < before:
        raise ValidationError({"at": _("This step cannot happen before the step it follows.")})
    return at


def judge(kind: OrderKind, record: models.Model) -> None:
    """After a step: the clocks that started are tracked, those done are met; a late one is a violation."""
    clocks_sync(record, kind.clocks(record), utility=record.utility, book=RuleBook(kind.rule_prefix))
    if kind.judged is not None:
        kind.judged([record])
