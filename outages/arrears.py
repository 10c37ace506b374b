"""Arrears cases (欠费停复电): intake (the shared work-order intake, `portal.work_orders`), the workflow table of
their steps, their clocks and the events judged on them. Each failure is a violation of the rule that says so:

- a reminder missing, or sent later than 7 / 3 / 1 days before the 30-day cut-off (the reminders taken
  in order): `arrears.reminder.7d` / `.3d` / `.1d` (commitment, seed 004) — clocks, swept;
- the written notice delivered less than 7 days (statute: 3) before the announced cut, or never:
  `outage.notice.arrears` / `outage.notice.arrears.statutory` — clocks, swept;
- a cut before the arrears are 30 days overdue: `arrears.overdue_before_disconnection` (statute) — judged;
- a cut earlier than the time the notice announced: `arrears.disconnection.as_announced` (statute) — judged;
- no re-notice at least 30 minutes before the cut: `arrears.renotice` (statute) — judged;
- reconnection later than 2 h after payment (by 10:00 after a payment from 22:00): `arrears.reconnection`
  (seed 004) — clock, swept.

A reminder is not owed once the customer has paid before it was due; a payment before the cut cancels the
notice's clocks.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outages import arrears_forms as forms
from outages.arrears_choices import (
    AS_ANNOUNCED_RULE,
    NOTICE_RULES,
    OVERDUE_RULE,
    RECONNECTION_RULE,
    REMINDER_RULES,
    RENOTICE_RULE,
    ArrearsStatus,
)
from outages.models import ArrearsCase
from portal.deadlines import SHANGHAI, local_date
from portal.instants import read_instant
from portal.models import Rule, TrackedDeadline, User
from portal.selectors import rule_for_code
from portal.services import deadline_cancel, violation_record, violation_withdraw
from portal.tracking import Clock
from portal.work_orders import (
    ItemResult,
    OrderKind,
    changed_facts,
    clean_common,
    judge,
    order_create,
    orders_intake,
    read_decimal,
    read_instants,
    step_instant,
)
from portal.workflow import Step, Workflow

S = ArrearsStatus
REQUIRED = ("source", "external_id", "utility", "amount_yuan", "overdue_since")
INSTANTS = ("notice_delivered_at", "announced_cut_at", "renoticed_at", "disconnected_at", "paid_at", "reconnected_at")
FACTS = ("utility", "amount_yuan", "overdue_since", *INSTANTS)
OVERDUE_DAYS = 30  # the catalogue's `arrears.overdue_before_disconnection` (read for each case, this is the default)


def cutoff(case: ArrearsCase) -> datetime:
    """The first instant a cut is allowed: the arrears `arrears.overdue_before_disconnection` days overdue."""
    try:
        days = rule_for_code(OVERDUE_RULE, on=local_date(case.overdue_since), province_id=None).value
    except Rule.DoesNotExist:  # a catalogue without the rule: the statute's 30 days
        days = OVERDUE_DAYS
    return case.overdue_since + timedelta(days=days)


def clocks(case: ArrearsCase) -> list[Clock]:
    out = []
    cut_off = cutoff(case)
    sent = sorted(case.reminders_at())
    for n, (code, days) in enumerate(zip(REMINDER_RULES, (7, 3, 1), strict=True)):
        due = cut_off - timedelta(days=days)
        if case.paid_at is not None and case.paid_at <= due and n >= len(sent):
            continue  # paid before this reminder was owed
        out.append(Clock(code, cut_off, sent[n] if n < len(sent) else None))
    paid_before_cut = case.paid_at is not None and case.disconnected_at is None
    announced = case.announced_cut_at or case.disconnected_at
    if announced is not None and not (paid_before_cut and case.notice_delivered_at is None):
        for code in NOTICE_RULES:
            out.append(Clock(code, announced, case.notice_delivered_at))
    if case.disconnected_at is not None and case.paid_at is not None and case.paid_at >= case.disconnected_at:
        out.append(Clock(RECONNECTION_RULE, case.paid_at, case.reconnected_at))
    return out


def judged(cases: list[ArrearsCase]) -> None:
    """The events judged when they happen (not clocks): a cut too early, a cut without the re-notice."""
    for case in cases:
        cut = case.disconnected_at
        checks = {
            OVERDUE_RULE: (cutoff(case) - cut) if cut is not None and cut < cutoff(case) else None,
            AS_ANNOUNCED_RULE: (case.announced_cut_at - cut)
            if cut is not None and case.announced_cut_at is not None and cut < case.announced_cut_at
            else None,
        }
        if cut is not None:
            rule = rule_for_code(RENOTICE_RULE, on=local_date(cut), province_id=case.utility.province_id)
            latest = cut - timedelta(minutes=rule.value)
            if case.renoticed_at is None:
                checks[RENOTICE_RULE] = timedelta(minutes=rule.value)
            elif case.renoticed_at > latest:
                checks[RENOTICE_RULE] = case.renoticed_at - latest
            else:
                checks[RENOTICE_RULE] = None
        for code, shortfall in checks.items():
            if shortfall is None:
                violation_withdraw(subject=case, code=code)
                continue
            rule = rule_for_code(code, on=local_date(cut), province_id=case.utility.province_id)
            violation_record(
                subject=case,
                utility=case.utility,
                rule=rule,
                code=code,
                source_class=rule.source_class,
                occurred_at=cut,
                shortfall=shortfall,
                description=rule.title,
            )


def status_of(case: ArrearsCase) -> str:
    if case.reconnected_at is not None:
        return S.RECONNECTED
    if case.paid_at is not None:
        return S.PAID
    if case.disconnected_at is not None:
        return S.DISCONNECTED
    if case.notice_delivered_at is not None:
        return S.NOTICED
    return S.OVERDUE


# --------------------------------------------------------------------------- intake


def clean_item(raw, *, utilities: dict, now: datetime) -> tuple[dict, dict[str, list[str]]]:
    if not isinstance(raw, dict):
        return {}, {"non_field_errors": [_("Each arrears case must be a JSON object.")]}
    errors: dict[str, list[str]] = {}
    data: dict = {}
    clean_common(raw, data, errors, utilities, REQUIRED)
    read_decimal(
        raw,
        "amount_yuan",
        errors,
        data,
        high=9999999999,
        places="0.01",
        positive=True,
        message=_("Give the amount in arrears in yuan, above 0."),
    )
    read_instants(raw, ("overdue_since", *INSTANTS), errors, data, now, future_allowed=("announced_cut_at",))
    reminders = raw.get("reminders") or []
    if not isinstance(reminders, list) or len(reminders) > 20:
        errors.setdefault("reminders", []).append(_("Give the reminders as a list of instants."))
    else:
        parsed = [read_instant(r, "reminders", errors, now, happened=True) for r in reminders]
        data["reminders"] = sorted(p.astimezone(SHANGHAI).isoformat() for p in parsed if p is not None)
    _clean_order(data, errors)
    return (data if not errors else {}), errors


def _clean_order(data: dict, errors: dict) -> None:
    since = data.get("overdue_since")
    for name in ("notice_delivered_at", "disconnected_at", "paid_at"):
        if since is not None and data.get(name) is not None and data[name] < since:
            errors.setdefault(name, []).append(_("This instant lies before the arrears began."))
    if data.get("renoticed_at") is not None and data.get("notice_delivered_at") is None:
        errors.setdefault("renoticed_at", []).append(_("A re-notice follows the written notice."))
    if data.get("notice_delivered_at") is not None and data.get("announced_cut_at") is None:
        errors.setdefault("announced_cut_at", []).append(_("Give the disconnection time the notice announces."))
    if data.get("reconnected_at") is not None:
        if data.get("disconnected_at") is None:
            errors.setdefault("reconnected_at", []).append(_("Only a disconnected customer is reconnected."))
        if data.get("paid_at") is None or data["reconnected_at"] < data["paid_at"]:
            errors.setdefault("reconnected_at", []).append(_("Reconnection follows the payment."))


def _prepare(case: ArrearsCase, cal) -> None:
    case.status = status_of(case)


def arrears_progress(case: ArrearsCase, data: dict, acting_user: User) -> ArrearsCase:
    """A later push: the reminders and steps it adds are taken at their instants; a changed fact is a conflict."""
    changed_facts(case, data, FACTS, INSTANTS)
    known = set(case.reminders)
    if not known <= set(data.get("reminders", [])):
        raise ValidationError({"conflict": [_("The push drops a reminder already recorded.")]})
    for at in data.get("reminders", []):
        if at not in known:
            case = WORKFLOW.transition(case, "remind", acting_user, at=datetime.fromisoformat(at), note="pushed")
    steps = [
        ("notice_delivered_at", "notify", {"announced_cut_at": data.get("announced_cut_at")}),
        ("renoticed_at", "renotice", {}),
        ("disconnected_at", "disconnect", {}),
        ("paid_at", "pay", {}),
        ("reconnected_at", "reconnect", {}),
    ]
    for name, step, extra in sorted(steps, key=lambda s: data.get(s[0]) or datetime.max.replace(tzinfo=SHANGHAI)):
        if data.get(name) is not None and getattr(case, name) is None:
            case = WORKFLOW.transition(case, step, acting_user, at=data[name], note="pushed", **extra)
    return case


# --------------------------------------------------------------------------- steps


def _remind(case: ArrearsCase, move) -> None:
    at = step_instant(case, move, "overdue_since")
    case.reminders = sorted([*case.reminders, at.astimezone(SHANGHAI).isoformat()])


def _notify(case: ArrearsCase, move) -> None:
    case.notice_delivered_at = step_instant(case, move, "overdue_since")
    case.announced_cut_at = move.data["announced_cut_at"]


def _renotice(case: ArrearsCase, move) -> None:
    case.renoticed_at = step_instant(case, move, "notice_delivered_at")


def _disconnect(case: ArrearsCase, move) -> None:
    case.disconnected_at = step_instant(case, move, "overdue_since")


def _pay(case: ArrearsCase, move) -> None:
    case.paid_at = step_instant(case, move, "overdue_since")


def _reconnect(case: ArrearsCase, move) -> None:
    case.reconnected_at = step_instant(case, move, "paid_at")


def _was_cut(case, probe) -> str | None:
    return None if case.disconnected_at is not None else _("Only a disconnected customer is reconnected.")


def _after(case: ArrearsCase, move) -> None:
    case.status = status_of(case)
    ArrearsCase.objects.filter(pk=case.pk).update(status=case.status)
    if case.paid_at is not None:
        # Paid: the reminders still running are no longer owed; paid before the cut, neither is the notice.
        # (What fell due before the payment stays owed: it was missed.)
        codes = list(REMINDER_RULES) + (list(NOTICE_RULES) if case.disconnected_at is None else [])
        owed_after = TrackedDeadline.objects.for_object(case).filter(code__in=codes, due__gt=case.paid_at)
        deadline_cancel(subject=case, codes=list(owed_after.values_list("code", flat=True)))
    judge(KIND, case)


OPEN = frozenset({S.OVERDUE, S.NOTICED})
WORKFLOW = Workflow(
    model=ArrearsCase,
    lock_related=("utility",),
    status_label=lambda s: S(s).label if s in S.values else s,
    refusal=gettext_lazy("An arrears case that is %(status)s cannot be %(step)s."),
    permission_message=gettext_lazy("You may only write records of your own organisation."),
    after=_after,
    steps=(
        Step(
            "remind",
            gettext_lazy("Reminder message sent"),
            to=None,
            sources=OPEN,
            form=forms.ArrearsStepForm,
            apply=_remind,
        ),
        Step(
            "notify",
            gettext_lazy("Written disconnection notice delivered"),
            to=S.NOTICED,
            sources=frozenset({S.OVERDUE}),
            form=forms.ArrearsNoticeForm,
            apply=_notify,
        ),
        Step(
            "renotice",
            gettext_lazy("Re-notified before the cut"),
            to=None,
            sources=frozenset({S.NOTICED}),
            form=forms.ArrearsStepForm,
            apply=_renotice,
        ),
        Step(
            "disconnect",
            gettext_lazy("Disconnected"),
            to=S.DISCONNECTED,
            sources=OPEN,
            form=forms.ArrearsStepForm,
            apply=_disconnect,
            danger=True,
        ),
        Step(
            "pay",
            gettext_lazy("Arrears paid"),
            to=S.PAID,
            sources=OPEN | {S.DISCONNECTED},
            form=forms.ArrearsStepForm,
            apply=_pay,
        ),
        Step(
            "reconnect",
            gettext_lazy("Reconnected"),
            to=S.RECONNECTED,
            sources=frozenset({S.PAID}),
            form=forms.ArrearsStepForm,
            check=_was_cut,
            apply=_reconnect,
            meets=(RECONNECTION_RULE,),
        ),
    ),
)

KIND = OrderKind(
    model=ArrearsCase,
    clean=clean_item,
    clocks=clocks,
    prepare=_prepare,
    progress=arrears_progress,
    rule_prefix="",
    judged=judged,
)


def arrears_intake(*, items: list, acting_user: User, update: bool = False) -> list[ItemResult]:
    return orders_intake(KIND, items=items, acting_user=acting_user, update=update)


def arrears_create(*, data: dict, acting_user: User) -> tuple[ArrearsCase, str]:
    return order_create(KIND, data=data, acting_user=acting_user)
