"""Connection applications (业扩报装): intake from the utilities' marketing systems, the workflow table of
their steps, and their clocks.

- **Intake** (REST create, bulk, Excel import): idempotent by (source, external id), as the ticket intake
  (`complaints.intake`: the same instant and choice readers); set-based — one query for the utilities, one
  for the existing keys, the catalogue and calendar read once, records with their history rows, deadlines
  and violations inserted in bulk. An item carries the original instants of the steps already taken.
- **Steps** (`WORKFLOW`, on `portal.workflow`): reply with the supply scheme, acceptance, power-on, and
  withdrawal. A two-step application (seed 003: low-voltage small/micro business up to 160 kVA) goes from
  application straight to 验收接电 (power-on). Only the utility's side takes them; regulators read.
- **Clocks** (`clocks`): the scheme reply from the application, the power-on from the acceptance, and for a
  residential customer 获得电力 from the application to power-on — each rule from the catalogue by customer
  class; a step done late is a violation of its rule (`portal.tracking`), an open one past due is the
  sweep's.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from complaints import connection_forms as forms
from complaints.connection_choices import (
    GETTING_PREFIX,
    GETTING_RESIDENTIAL_RULE,
    OPEN_CONNECTION_STATUSES,
    POWER_ON_PREFIX,
    POWER_ON_RULE,
    RULE_PREFIX,
    SCHEME_PREFIX,
    SCHEME_RULE,
    TWO_STEP_CAPACITY_KVA,
    ConnectionStatus,
    CustomerClass,
)
from complaints.intake import CLOCK_SKEW, _aliases, _instant
from complaints.models import ConnectionApplication
from portal.calendar import get_calendar
from portal.choices import Party
from portal.deadlines import SHANGHAI
from portal.models import Organisation, User
from portal.querysets import acts_as
from portal.selectors import batch
from portal.tracking import Clock, RuleBook, clock_rows, clocks_sync, insert_clock_rows, working_days_between
from portal.workflow import ALL, Move, Step, Workflow

S = ConnectionStatus
MAX_CAPACITY_KVA = Decimal("9999999")
# The instants of the steps, in their order, and the step that records each (an update pushes progress).
INSTANTS = ("applied_at", "scheme_replied_at", "accepted_at", "powered_at")
STEP_OF = {"scheme_replied_at": "reply_scheme", "accepted_at": "accept", "powered_at": "power_on"}
TEXTS = {"source": 40, "external_id": 64, "customer_name": 60, "address": 200}
REQUIRED = ("source", "external_id", "utility", "customer_class", "capacity_kva", "applied_at")
# Facts that a later push may add but never change (a change is a conflict: correct it at the source).
FACTS = ("utility", "customer_class", "capacity_kva", "affordable_housing", "step_count", *INSTANTS)
CLASS_WORDS = {
    "居民": CustomerClass.RESIDENTIAL,
    "低压居民": CustomerClass.RESIDENTIAL,
    "低压非居民": CustomerClass.LOW_VOLTAGE,
    "低压": CustomerClass.LOW_VOLTAGE,
    "小微企业": CustomerClass.SMALL_MICRO,
    "小微": CustomerClass.SMALL_MICRO,
    "高压单电源": CustomerClass.HV_SINGLE,
    "高压双电源": CustomerClass.HV_DUAL,
}
YES = {"true", "1", "yes", "y", "是"}
NO = {"false", "0", "no", "n", "否", ""}


# --------------------------------------------------------------------------- clocks


def clocks(app: ConnectionApplication) -> list[Clock]:
    """The rules' clocks of an application, from its class and instants (pure)."""
    out = []
    if app.step_count == 4:
        out.append(Clock(SCHEME_RULE[app.customer_class], app.applied_at, app.scheme_replied_at))
        if app.accepted_at is not None:
            out.append(Clock(POWER_ON_RULE[app.customer_class], app.accepted_at, app.powered_at))
    if app.customer_class == CustomerClass.RESIDENTIAL:
        out.append(Clock(GETTING_RESIDENTIAL_RULE, app.applied_at, app.powered_at))
    return out


def status_of(app: ConnectionApplication) -> str:
    if app.withdrawn_at is not None:
        return S.WITHDRAWN
    if app.powered_at is not None:
        return S.POWERED
    if app.accepted_at is not None:
        return S.ACCEPTED
    if app.scheme_replied_at is not None:
        return S.SCHEME_REPLIED
    return S.APPLIED


def two_steps_allowed(customer_class: str, capacity: Decimal) -> bool:
    return customer_class == CustomerClass.SMALL_MICRO and capacity <= TWO_STEP_CAPACITY_KVA


# --------------------------------------------------------------------------- intake: one item


def _text(value, name: str, errors: dict) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        errors.setdefault(name, []).append(_("Give a text value."))
        return None
    text = str(value).strip()
    if "\x00" in text:
        errors.setdefault(name, []).append(_("Null characters are not allowed."))
        return None
    limit = TEXTS.get(name)
    if limit is not None and len(text) > limit:
        errors.setdefault(name, []).append(
            _("At most %(limit)d characters (this has %(n)d).") % {"limit": limit, "n": len(text)}
        )
        return None
    return text


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_item(raw, *, utilities: dict, now: datetime) -> tuple[dict, dict[str, list[str]]]:
    """Validate one pushed application. Returns (data, errors); data["utility"] is the Organisation."""
    if not isinstance(raw, dict):
        return {}, {"non_field_errors": [_("Each application must be a JSON object.")]}
    errors: dict[str, list[str]] = {}
    data: dict = {}
    for name in REQUIRED:
        if _blank(raw.get(name)):
            errors.setdefault(name, []).append(_("This field is required."))
    for name in ("source", "external_id", "customer_name", "address"):
        if not _blank(raw.get(name)):
            text = _text(raw[name], name, errors)
            if text is not None:
                data[name] = text
    for name in ("customer_name", "address"):
        data.setdefault(name, "")
    if not _blank(raw.get("utility")):
        code = _text(raw["utility"], "utility", errors)
        org = utilities.get(code) if code else None
        if code is not None and (org is None or not org.is_utility):
            errors.setdefault("utility", []).append(_("Unknown utility '%(code)s'.") % {"code": code[:40]})
        elif org is not None:
            data["utility"] = org
    if not _blank(raw.get("customer_class")):
        text = _text(raw["customer_class"], "customer_class", errors)
        if text is not None:
            aliases = _aliases("connection_customer_class", CustomerClass.choices)
            chosen = aliases.get(text) or aliases.get(text.lower()) or CLASS_WORDS.get(text)
            if chosen is None:
                errors.setdefault("customer_class", []).append(
                    _("Unknown %(field)s '%(value)s'; use one of %(allowed)s.")
                    % {"field": "customer_class", "value": text[:40], "allowed": ", ".join(CustomerClass.values)}
                )
            else:
                data["customer_class"] = str(chosen)
    if not _blank(raw.get("capacity_kva")):
        value = raw["capacity_kva"]
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            capacity = Decimal(str(value).strip())
            if not capacity.is_finite() or capacity <= 0 or capacity > MAX_CAPACITY_KVA:
                raise InvalidOperation
            data["capacity_kva"] = capacity.quantize(Decimal("0.1"))
        except (InvalidOperation, ValueError):
            errors.setdefault("capacity_kva", []).append(_("Give the capacity in kVA, a number above 0."))
    flag = raw.get("affordable_housing", False)
    if isinstance(flag, bool):
        data["affordable_housing"] = flag
    elif isinstance(flag, str | int) and str(flag).strip().lower() in YES | NO:
        data["affordable_housing"] = str(flag).strip().lower() in YES
    else:
        errors.setdefault("affordable_housing", []).append(_("Give true or false."))
    for name in INSTANTS:
        if not _blank(raw.get(name)):
            parsed = _instant(raw[name], name, errors, now, happened=True)
            if parsed is not None:
                data[name] = parsed
    _clean_steps(raw.get("step_count"), data, errors)
    _clean_order(data, errors)
    return (data if not errors else {}), errors


def _clean_steps(value, data: dict, errors: dict) -> None:
    """The number of steps: 2 (申请, 验收接电) only for a small/micro business up to 160 kVA; given or derived."""
    cls, capacity = data.get("customer_class"), data.get("capacity_kva")
    if cls is None or capacity is None:
        return
    two = two_steps_allowed(cls, capacity)
    if _blank(value):
        data["step_count"] = 2 if two else 4
        return
    if isinstance(value, bool) or str(value).strip() not in ("2", "4"):
        errors.setdefault("step_count", []).append(_("The number of steps is 2 or 4."))
        return
    data["step_count"] = int(str(value).strip())
    if data["step_count"] == 2 and not two:
        errors.setdefault("step_count", []).append(
            _("Only a low-voltage small or micro business up to 160 kVA connects in two steps.")
        )


def _clean_order(data: dict, errors: dict) -> None:
    if data.get("step_count") == 2:
        if data.get("scheme_replied_at") is not None:
            errors.setdefault("scheme_replied_at", []).append(_("A two-step application has no scheme reply."))
        if data.get("accepted_at") is not None and data.get("powered_at") != data["accepted_at"]:
            errors.setdefault("accepted_at", []).append(
                _("In two steps the acceptance and the power-on are one step: give powered_at only.")
            )
        data.pop("accepted_at", None)
        if data.get("powered_at") is not None:
            data["accepted_at"] = data["powered_at"]
    else:
        for later, earlier in (("accepted_at", "scheme_replied_at"), ("powered_at", "accepted_at")):
            if data.get(later) is not None and data.get(earlier) is None:
                errors.setdefault(later, []).append(
                    _("%(step)s needs the instant of the step before it (%(before)s).")
                    % {"step": later, "before": earlier}
                )
    previous = None
    for name in INSTANTS:
        value = data.get(name)
        if value is None:
            continue
        if previous is not None and value < data[previous]:
            errors.setdefault(name, []).append(
                _("%(step)s lies before %(before)s.") % {"step": name, "before": previous}
            )
        previous = name


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
    return {
        raw["utility"].strip()
        for raw in items
        if isinstance(raw, dict) and isinstance(raw.get("utility"), str) and 0 < len(raw["utility"].strip()) <= 40
    }


# --------------------------------------------------------------------------- intake: a batch


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


def _err(index: int, raw, status: int, errors: dict, pk: int | None = None) -> ItemResult:
    ext = raw.get("external_id") if isinstance(raw, dict) else None
    return ItemResult(index, ext if isinstance(ext, str) else None, "error", status, pk, errors)


def may_push(user: User) -> bool:
    """Applications come from the utilities' own systems: their people and system accounts (or an operator)."""
    return acts_as(user, Party.UTILITY)


def connections_intake(*, items: list, acting_user: User, update: bool = False) -> list[ItemResult]:
    """Register a batch of pushed applications, idempotent on (source, external id). An identical retry is
    `unchanged`; one that adds the instants of later steps is `updated` (with `update`: the steps are taken
    at those instants); any other difference is a 409. A bad item never loses the good ones."""
    for attempt in range(3):
        try:
            with batch():
                return _intake(items, acting_user, update)
        except IntegrityError:
            if attempt == 2:  # a concurrent push took one of our keys between our read and our insert
                raise
    raise AssertionError("unreachable")


def _intake(items: list, user: User, update: bool) -> list[ItemResult]:
    now = timezone.now()
    utilities = {o.code: o for o in Organisation.objects.filter(code__in=_codes(items))}
    writable = set(Organisation.objects.writable_by(user, Party.UTILITY).utilities().values_list("id", flat=True))
    results: list[ItemResult | None] = [None] * len(items)
    valid = []
    for index, raw in enumerate(items):
        if not may_push(user):
            results[index] = _err(
                index, raw, 403, {"utility": [_("Connection applications are pushed by the utility's own systems.")]}
            )
            continue
        data, errors = clean_item(raw, utilities=utilities, now=now)
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
        sources = {s for s, _e in keys}
        for row in ConnectionApplication.objects.filter(
            source__in=sources, external_id__in={e for _s, e in keys}
        ).values("id", "source", "external_id", "fingerprint", "utility_id"):
            existing[(row["source"], row["external_id"])] = row
    visible = set(
        ConnectionApplication.objects.visible_to(user)
        .filter(pk__in=[r["id"] for r in existing.values()])
        .values_list("id", flat=True)
    )

    book, cal = RuleBook(RULE_PREFIX), get_calendar()
    new: list[tuple[int, ConnectionApplication, list[dict]]] = []
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    to_update = []
    for index, raw, data, fp in valid:
        key = (data["source"], data["external_id"])
        if key in existing:
            row = existing[key]
            if row["id"] not in visible:
                results[index] = _err(
                    index,
                    raw,
                    409,
                    {
                        "external_id": [
                            _("This source and external id belong to a record outside your scope; use another id.")
                        ]
                    },
                )
            elif row["fingerprint"] == fp:
                results[index] = ItemResult(index, data["external_id"], "unchanged", 200, row["id"])
            elif update:
                to_update.append((index, raw, data, fp, row["id"]))
            else:
                results[index] = _err(
                    index,
                    raw,
                    409,
                    {
                        "external_id": [
                            _("An application with this source and external id exists with different content.")
                        ]
                    },
                    row["id"],
                )
            continue
        if key in seen:
            first, first_fp = seen[key]
            results[index] = (
                ItemResult(index, data["external_id"], "unchanged", 200, errors={"_same_as": first})
                if first_fp == fp
                else _err(
                    index,
                    raw,
                    409,
                    {"external_id": [_("The same external id appears twice in this batch with different content.")]},
                )
            )
            continue
        seen[key] = (index, fp)
        app = ConnectionApplication(**data, fingerprint=fp, created_by=user if user.pk else None)
        app.status = status_of(app)
        if app.powered_at is not None:
            app.working_days = working_days_between(app.applied_at, app.powered_at, cal)
        rows = clock_rows(
            clocks(app), utility_id=app.utility_id, province_id=app.utility.province_id, book=book, cal=cal
        )
        new.append((index, app, rows))

    if new:
        with transaction.atomic():
            bulk_create_with_history(
                [a for _i, a, _r in new],
                ConnectionApplication,
                batch_size=1000,
                default_user=user if user.pk else None,
                default_change_reason="intake",
            )
            ct_id = ContentType.objects.get_for_model(ConnectionApplication).pk
            insert_clock_rows(ct_id, [(a.pk, rows) for _i, a, rows in new])
        for index, app, _r in new:
            results[index] = ItemResult(index, app.external_id, "created", 201, app.pk)
    for item in results:
        if item is not None and "_same_as" in item.errors:
            item.id = results[item.errors.pop("_same_as")].id
    for index, raw, data, fp, pk in to_update:
        try:
            with transaction.atomic():
                connection_progress(app=ConnectionApplication.objects.get(pk=pk), data=data, fp=fp, acting_user=user)
            results[index] = ItemResult(index, data["external_id"], "updated", 200, pk)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            results[index] = _err(index, raw, 409 if "conflict" in errors else 400, errors, pk)
        except PermissionDenied as exc:
            results[index] = _err(index, raw, 403, {"utility": [str(exc)]}, pk)
    return results  # type: ignore[return-value]


def connection_progress(*, app: ConnectionApplication, data: dict, fp: str, acting_user: User) -> ConnectionApplication:
    """A later push of the same application: the steps it adds are taken at their instants (the one way a
    step happens); a recorded fact it changes is refused (conflict). Name and address follow the source."""
    changed = [
        name
        for name in FACTS
        if getattr(app, name) is not None and name in data and _fact(getattr(app, name)) != _fact(data[name])
    ]
    changed += [name for name in FACTS if name not in data and getattr(app, name) is not None and name in INSTANTS]
    if changed:
        raise ValidationError(
            {
                "conflict": [
                    _("The push changes what is recorded (%(fields)s); correct the record in the source system.")
                    % {"fields": ", ".join(sorted(set(changed)))}
                ]
            }
        )
    if app.status == S.WITHDRAWN:
        raise ValidationError({"conflict": [_("The application was withdrawn.")]})
    for name in ("scheme_replied_at", "accepted_at", "powered_at"):
        if data.get(name) is not None and getattr(app, name) is None:
            if app.step_count == 2 and name == "accepted_at":
                continue  # one step with the power-on
            app = WORKFLOW.transition(app, STEP_OF[name], acting_user, at=data[name], note="pushed")
    ConnectionApplication.objects.filter(pk=app.pk).update(
        fingerprint=fp, customer_name=data.get("customer_name", ""), address=data.get("address", "")
    )
    app.refresh_from_db()
    return app


def _fact(value):
    if isinstance(value, Organisation):
        return value.pk
    return value


def connection_create(*, data: dict, acting_user: User) -> tuple[ConnectionApplication, str]:
    """One pushed application. Raises ValidationError (400), PermissionDenied (403) or Conflict (409)."""
    result = connections_intake(items=[data], acting_user=acting_user)[0]
    if result.status == 400:
        raise ValidationError(result.errors)
    if result.status == 403:
        raise PermissionDenied(result.errors["utility"][0])
    if result.status == 409:
        raise ConnectionConflict(result.errors["external_id"][0])
    return ConnectionApplication.objects.select_related("utility").get(pk=result.id), result.result


class ConnectionConflict(Exception):
    pass


# --------------------------------------------------------------------------- the steps


def _when(app: ConnectionApplication, move: Move, after: str) -> datetime:
    """The step's instant: not in the future, not before the step it follows."""
    at = move.at
    if at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"at": _("This instant lies in the future.")})
    before = getattr(app, after)
    if before is not None and at < before:
        raise ValidationError({"at": _("This step cannot happen before the step it follows.")})
    return at


def _two_step(app, probe) -> str | None:
    if app.step_count == 2:
        return _("A two-step application is accepted and powered on in one step (验收接电).")
    return None


def _power_on_ready(app, probe) -> str | None:
    if app.step_count == 4 and app.status == S.APPLIED:
        return _("Power-on follows the acceptance.")
    return None


def _reply_scheme(app, move):
    app.scheme_replied_at = _when(app, move, "applied_at")


def _accept(app, move):
    app.accepted_at = _when(app, move, "scheme_replied_at")


def _power_on(app, move):
    app.powered_at = _when(app, move, "accepted_at" if app.step_count == 4 else "applied_at")
    if app.accepted_at is None:
        app.accepted_at = app.powered_at  # two steps: 验收接电 is one
    app.working_days = working_days_between(app.applied_at, app.powered_at)


def _withdraw(app, move):
    app.withdrawn_at = _when(app, move, "applied_at")


def _judge(app, move):
    """After every step: the clocks that started are tracked, those done are met; a late one is a violation."""
    if app.status != S.WITHDRAWN:
        clocks_sync(app, clocks(app), utility=app.utility, book=RuleBook(RULE_PREFIX))


OPEN = frozenset(OPEN_CONNECTION_STATUSES)

WORKFLOW = Workflow(
    model=ConnectionApplication,
    lock_related=("utility",),
    status_label=lambda s: S(s).label if s in S.values else s,
    refusal=gettext_lazy("An application that is %(status)s cannot be %(step)s."),
    permission_message=gettext_lazy("You may only write records of your own organisation."),
    after=_judge,
    steps=(
        Step(
            "reply_scheme",
            gettext_lazy("Supply scheme replied"),
            to=S.SCHEME_REPLIED,
            sources=frozenset({S.APPLIED}),
            form=forms.InstantStepForm,
            check=_two_step,
            apply=_reply_scheme,
            meets=(SCHEME_PREFIX,),
        ),
        Step(
            "accept",
            gettext_lazy("Accepted (inspection passed)"),
            to=S.ACCEPTED,
            sources=frozenset({S.SCHEME_REPLIED}),
            form=forms.InstantStepForm,
            check=_two_step,
            apply=_accept,
        ),
        Step(
            "power_on",
            gettext_lazy("Powered on"),
            to=S.POWERED,
            sources=frozenset({S.ACCEPTED, S.APPLIED}),
            form=forms.InstantStepForm,
            check=_power_on_ready,
            apply=_power_on,
            meets=(POWER_ON_PREFIX, GETTING_PREFIX),
        ),
        Step(
            "withdraw",
            gettext_lazy("Withdrawn by the customer"),
            to=S.WITHDRAWN,
            sources=OPEN,
            form=forms.InstantStepForm,
            note_required=gettext_lazy("Say why the application was withdrawn."),
            apply=_withdraw,
            cancels=(ALL,),
            danger=True,
        ),
    ),
)

# connection_reply_scheme(app=…, acting_user=…, at=…), connection_accept(…), connection_power_on(…),
# connection_withdraw(app=…, acting_user=…, at=…, note=…)
connection_reply_scheme = WORKFLOW.service("reply_scheme", "app")
connection_accept = WORKFLOW.service("accept", "app")
connection_power_on = WORKFLOW.service("power_on", "app")
connection_withdraw = WORKFLOW.service("withdraw", "app")
