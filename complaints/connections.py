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
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import connection_forms as forms
from complaints.connection_choices import (
    GETTING_PREFIX,
    GETTING_RESIDENTIAL_RULE,
    GETTING_SMALL_BUSINESS_RULE,
    OPEN_CONNECTION_STATUSES,
    POWER_ON_PREFIX,
    POWER_ON_RULE,
    RULE_PREFIX,
    SCHEME_PREFIX,
    SCHEME_RULE,
    ConnectionStatus,
    CustomerClass,
)
from complaints.models import ConnectionApplication
from portal.deadlines import local_date
from portal.models import Rule, User
from portal.selectors import rule_for_code
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
    read_choice,
    read_decimal,
    read_flag,
    read_instants,
    step_instant,
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


def two_step_limit(applied_at: datetime, utility) -> Decimal | None:
    """The largest capacity (kVA) that connects in two steps, from the rule in force when the customer applied
    (a province's own version first); None when the catalogue has no such limit then."""
    try:
        rule = rule_for_code(GETTING_SMALL_BUSINESS_RULE, on=local_date(applied_at), province_id=utility.province_id)
    except Rule.DoesNotExist:
        return None
    limit = (rule.params or {}).get("two_step_max_kva")
    return Decimal(str(limit)) if limit is not None else None


def two_steps_allowed(customer_class: str, capacity: Decimal, limit: Decimal | None) -> bool:
    return customer_class == CustomerClass.SMALL_MICRO and limit is not None and capacity <= limit


# --------------------------------------------------------------------------- intake: one item


def clean_item(raw, *, utilities: dict, now: datetime) -> tuple[dict, dict[str, list[str]]]:
    """Validate one pushed application. Returns (data, errors); data["utility"] is the Organisation."""
    if not isinstance(raw, dict):
        return {}, {"non_field_errors": [_("Each application must be a JSON object.")]}
    errors: dict[str, list[str]] = {}
    data: dict = {}
    clean_common(raw, data, errors, utilities, REQUIRED)
    read_choice(raw, "customer_class", errors, data, CustomerClass, CLASS_WORDS)
    read_decimal(
        raw,
        "capacity_kva",
        errors,
        data,
        high=MAX_CAPACITY_KVA,
        places="0.1",
        positive=True,
        message=_("Give the capacity in kVA, a number above 0."),
    )
    read_flag(raw, "affordable_housing", errors, data, default=False)
    read_instants(raw, INSTANTS, errors, data, now)
    _clean_steps(raw.get("step_count"), data, errors)
    _clean_order(data, errors)
    return (data if not errors else {}), errors


def _clean_steps(value, data: dict, errors: dict) -> None:
    """The number of steps: 2 (申请, 验收接电) only for a small/micro business up to the catalogue's limit
    (160 kVA, seed 003); given or derived."""
    cls, capacity = data.get("customer_class"), data.get("capacity_kva")
    if cls is None or capacity is None or "applied_at" not in data or "utility" not in data:
        return
    limit = two_step_limit(data["applied_at"], data["utility"])
    two = two_steps_allowed(cls, capacity, limit)
    if blank(value):
        data["step_count"] = 2 if two else 4
        return
    if isinstance(value, bool) or str(value).strip() not in ("2", "4"):
        errors.setdefault("step_count", []).append(_("The number of steps is 2 or 4."))
        return
    data["step_count"] = int(str(value).strip())
    if data["step_count"] == 2 and not two:
        errors.setdefault("step_count", []).append(
            _("Only a low-voltage small or micro business up to %(kva)s kVA connects in two steps.")
            % {"kva": limit if limit is not None else "—"}
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
