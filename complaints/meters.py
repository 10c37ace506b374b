"""Meter test and abnormal-reading requests (电能表校验, 抄表数据异常): intake (the shared work-order intake,
`portal.work_orders`), the workflow table of their steps, their clock.

A request is answered once, with the result: for a test the error (%) and whether it is within tolerance,
for an abnormal reading whether the reading was right; a refund when it was not. The clock runs from the
request to the answer — `meter.test_result` (5 working days) or `meter.abnormal_reading` (7), seed 000 —
judged at once when the answer is pushed with the request, swept while it is awaited.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import connection_forms as forms
from complaints.meter_choices import RULE_OF, RULE_PREFIX, MeterRequestKind, MeterRequestStatus
from complaints.models import MeterRequest
from portal.models import User
from portal.tracking import Clock
from portal.work_orders import (
    ItemResult,
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
    text,
)
from portal.workflow import ALL, Step, Workflow

S = MeterRequestStatus
REQUIRED = ("source", "external_id", "utility", "kind", "requested_at")
FACTS = ("utility", "kind", "requested_at", "answered_at", "within_tolerance", "error_percent", "refund_yuan")
KIND_WORDS = {
    "校验": MeterRequestKind.TEST,
    "电能表校验": MeterRequestKind.TEST,
    "计量校验": MeterRequestKind.TEST,
    "电能表检定": MeterRequestKind.TEST,
    "抄表数据异常": MeterRequestKind.ABNORMAL_READING,
    "抄表异常": MeterRequestKind.ABNORMAL_READING,
    "电量异常": MeterRequestKind.ABNORMAL_READING,
}


def clocks(req: MeterRequest) -> list[Clock]:
    return [Clock(RULE_OF[req.kind], req.requested_at, req.answered_at)]


def clean_item(raw, *, utilities: dict, now: datetime) -> tuple[dict, dict[str, list[str]]]:
    """Validate one pushed meter request. Returns (data, errors)."""
    if not isinstance(raw, dict):
        return {}, {"non_field_errors": [_("Each request must be a JSON object.")]}
    errors: dict[str, list[str]] = {}
    data: dict = {}
    clean_common(raw, data, errors, utilities, REQUIRED)
    if not blank(raw.get("meter_number")):
        value = text(raw["meter_number"], "meter_number", errors)
        if value is not None:
            data["meter_number"] = value
    data.setdefault("meter_number", "")
    read_choice(raw, "kind", errors, data, MeterRequestKind, KIND_WORDS)
    read_instants(raw, ("requested_at", "answered_at"), errors, data, now)
    read_flag(raw, "within_tolerance", errors, data)
    read_decimal(raw, "error_percent", errors, data, low=-100, high=100, places="0.001")
    read_decimal(raw, "refund_yuan", errors, data, low=0, high=9999999999, places="0.01")
    _clean_result(data, errors)
    return (data if not errors else {}), errors


def _clean_result(data: dict, errors: dict) -> None:
    """The result comes with the answer: whether it is within tolerance is said, a test gives its error, a
    refund is for a reading or meter found wrong."""
    answered = data.get("answered_at")
    result = {k for k in ("within_tolerance", "error_percent", "refund_yuan") if data.get(k) is not None}
    if answered is None:
        if result:
            errors.setdefault("answered_at", []).append(_("A result is given with the instant of the answer."))
        return
    if "requested_at" in data and answered < data["requested_at"]:
        errors.setdefault("answered_at", []).append(_("The answer cannot come before the request."))
    if data.get("within_tolerance") is None:
        errors.setdefault("within_tolerance", []).append(_("Say whether the result is within tolerance."))
    if data.get("kind") == MeterRequestKind.TEST and data.get("error_percent") is None:
        errors.setdefault("error_percent", []).append(_("A meter test gives the measured error (%)."))
    if data.get("refund_yuan") and data.get("within_tolerance"):
        errors.setdefault("refund_yuan", []).append(_("A refund is due only when the result is not within tolerance."))


def _prepare(req: MeterRequest, cal) -> None:
    req.status = S.ANSWERED if req.answered_at is not None else S.REQUESTED


def meter_progress(req: MeterRequest, data: dict, acting_user: User) -> MeterRequest:
    """A later push: the answer it adds is the `answer` step at its instant; a changed fact is a conflict."""
    changed_facts(req, data, FACTS, ("requested_at", "answered_at"))
    if req.status == S.WITHDRAWN:
        raise ValidationError({"conflict": [_("The request was withdrawn.")]})
    if data.get("answered_at") is not None and req.answered_at is None:
        result = {
            "within_tolerance": "yes" if data["within_tolerance"] else "no",
            "error_percent": data.get("error_percent"),
            "refund_yuan": data.get("refund_yuan"),
        }
        req = WORKFLOW.transition(req, "answer", acting_user, at=data["answered_at"], note="pushed", **result)
    return req


# --------------------------------------------------------------------------- the steps


def _answer(req: MeterRequest, move) -> None:
    req.answered_at = step_instant(req, move, "requested_at")
    data = {k: move.data.get(k) for k in ("error_percent", "refund_yuan")}
    data["within_tolerance"] = move.data.get("within_tolerance") == "yes"
    data["answered_at"], data["kind"] = req.answered_at, req.kind
    errors: dict = {}
    _clean_result(data, errors)
    errors.pop("answered_at", None)
    if errors:
        raise ValidationError(errors)
    req.within_tolerance = data["within_tolerance"]
    req.error_percent = data["error_percent"]
    req.refund_yuan = data["refund_yuan"]


def _withdraw(req: MeterRequest, move) -> None:
    req.withdrawn_at = step_instant(req, move, "requested_at")


def _judge(req: MeterRequest, move) -> None:
    if req.status != S.WITHDRAWN:
        judge(KIND, req)


WORKFLOW = Workflow(
    model=MeterRequest,
    lock_related=("utility",),
    status_label=lambda s: S(s).label if s in S.values else s,
    refusal=gettext_lazy("A request that is %(status)s cannot be %(step)s."),
    permission_message=gettext_lazy("You may only write records of your own organisation."),
    after=_judge,
    steps=(
        Step(
            "answer",
            gettext_lazy("Answered with the result"),
            to=S.ANSWERED,
            sources=frozenset({S.REQUESTED}),
            form=forms.MeterAnswerForm,
            apply=_answer,
            meets=(RULE_PREFIX,),
        ),
        Step(
            "withdraw",
            gettext_lazy("Withdrawn by the customer"),
            to=S.WITHDRAWN,
            sources=frozenset({S.REQUESTED}),
            form=forms.InstantStepForm,
            note_required=gettext_lazy("Say why the request was withdrawn."),
            apply=_withdraw,
            cancels=(ALL,),
            danger=True,
        ),
    ),
)

KIND = OrderKind(
    model=MeterRequest,
    clean=clean_item,
    clocks=clocks,
    prepare=_prepare,
    progress=meter_progress,
    rule_prefix=RULE_PREFIX,
)

meter_answer = WORKFLOW.service("answer", "req")
meter_withdraw = WORKFLOW.service("withdraw", "req")


def meters_intake(*, items: list, acting_user: User, update: bool = False) -> list[ItemResult]:
    return orders_intake(KIND, items=items, acting_user=acting_user, update=update)


def meter_create(*, data: dict, acting_user: User) -> tuple[MeterRequest, str]:
    return order_create(KIND, data=data, acting_user=acting_user)
