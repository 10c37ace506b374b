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

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
from complaints.intake import _aliases, _instant
from complaints.models import ConnectionApplication
from portal.models import User
from portal.tracking import Clock, working_days_between
from portal.work_orders import (
    ItemResult,
    OrderConflict,
    OrderKind,
    blank,
    changed_facts,
    clean_common,
    judge,
    order_create,
    orders_intake,
    step_instant,
    text,
)
from portal.workflow import ALL, Step, Workflow

ConnectionConflict = OrderConflict  # the API's name for a 409

S = ConnectionStatus
MAX_CAPACITY_KVA = Decimal("9999999")
# The instants of the steps, in their order, and the step that records each (an update pushes progress).
INSTANTS = ("applied_at", "scheme_replied_at", "accepted_at", "powered_at")
STEP_OF = {"scheme_replied_at": "reply_scheme", "accepted_at": "accept", "powered_at": "power_on"}
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


def clean_item(raw, *, utilities: dict, now: datetime) -> tuple[dict, dict[str, list[str]]]:
    """Validate one pushed application. Returns (data, errors); data["utility"] is the Organisation."""
    if not isinstance(raw, dict):
        return {}, {"non_field_errors": [_("Each application must be a JSON object.")]}
    errors: dict[str, list[str]] = {}
    data: dict = {}
    clean_common(raw, data, errors, utilities, REQUIRED)
    if not blank(raw.get("customer_class")):
        label = text(raw["customer_class"], "customer_class", errors)
        if label is not None:
            aliases = _aliases("connection_customer_class", CustomerClass.choices)
            chosen = aliases.get(label) or aliases.get(label.lower()) or CLASS_WORDS.get(label)
            if chosen is None:
                errors.setdefault("customer_class", []).append(
                    _("Unknown %(field)s '%(value)s'; use one of %(allowed)s.")
                    % {"field": "customer_class", "value": label[:40], "allowed": ", ".join(CustomerClass.values)}
                )
            else:
                data["customer_class"] = str(chosen)
    if not blank(raw.get("capacity_kva")):
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
        if not blank(raw.get(name)):
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
    if blank(value):
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


def connection_progress(app: ConnectionApplication, data: dict, acting_user: User) -> ConnectionApplication:
    """A later push of the same application: the steps it adds are taken at their instants (the one way a
    step happens); a recorded fact it changes is refused (conflict)."""
    changed_facts(app, data, FACTS, INSTANTS)
    if app.status == S.WITHDRAWN:
        raise ValidationError({"conflict": [_("The application was withdrawn.")]})
    for name in ("scheme_replied_at", "accepted_at", "powered_at"):
        if data.get(name) is not None and getattr(app, name) is None:
            if app.step_count == 2 and name == "accepted_at":
                continue  # one step with the power-on
            app = WORKFLOW.transition(app, STEP_OF[name], acting_user, at=data[name], note="pushed")
    return app


def _prepare(app: ConnectionApplication, cal) -> None:
    app.status = status_of(app)
    if app.powered_at is not None:
        app.working_days = working_days_between(app.applied_at, app.powered_at, cal)


# --------------------------------------------------------------------------- the steps


def _two_step(app, probe) -> str | None:
    if app.step_count == 2:
        return _("A two-step application is accepted and powered on in one step (验收接电).")
    return None


def _power_on_ready(app, probe) -> str | None:
    if app.step_count == 4 and app.status == S.APPLIED:
        return _("Power-on follows the acceptance.")
    return None


def _reply_scheme(app, move):
    app.scheme_replied_at = step_instant(app, move, "applied_at")


def _accept(app, move):
    app.accepted_at = step_instant(app, move, "scheme_replied_at")


def _power_on(app, move):
    app.powered_at = step_instant(app, move, "accepted_at" if app.step_count == 4 else "applied_at")
    if app.accepted_at is None:
        app.accepted_at = app.powered_at  # two steps: 验收接电 is one
    app.working_days = working_days_between(app.applied_at, app.powered_at)


def _withdraw(app, move):
    app.withdrawn_at = step_instant(app, move, "applied_at")


def _judge(app, move):
    """After every step: the clocks that started are tracked, those done are met; a late one is a violation."""
    if app.status != S.WITHDRAWN:
        judge(KIND, app)


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

KIND = OrderKind(
    model=ConnectionApplication,
    clean=clean_item,
    clocks=clocks,
    prepare=_prepare,
    progress=connection_progress,
    rule_prefix=RULE_PREFIX,
)


def connections_intake(*, items: list, acting_user: User, update: bool = False) -> list[ItemResult]:
    """A batch of pushed applications (`portal.work_orders.orders_intake`)."""
    return orders_intake(KIND, items=items, acting_user=acting_user, update=update)


def connection_create(*, data: dict, acting_user: User) -> tuple[ConnectionApplication, str]:
    return order_create(KIND, data=data, acting_user=acting_user)
