"""The lifecycle of an outage notice: its workflow table, the bodies of its steps, and the one way any
change (a step, an edit, a pushed update) is applied to a notice (`revise`).

Publishing records the announcement, in any status (a publication may be recorded late). Scheduled →
rescheduled (a new start, again and again) → in progress → restored, or restored straight away (an outage
recorded when supply came back); cancelled while it has not begun; restored and cancelled are final. Only
the notice's utility (its subtree's people and system accounts) takes a step; regulators read. Every step goes
through `portal.workflow.Workflow.transition` and is judged again afterwards (`outages.evaluation`); a
status sent as data (PUT, bulk update, import) is allowed exactly when the table has a step that leads
there from the current status (`status_refusal`).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outages import forms
from outages.choices import NOTICE_KINDS, UPCOMING_STATUSES, NoticeStatus
from outages.evaluation import notice_evaluate
from outages.models import OutageNotice
from outages.validation import apply_data, validate
from portal.choices import Party
from portal.workflow import Move, Step, Workflow

S = NoticeStatus


def revise(notice: OutageNotice, data: dict, *, now: datetime) -> list[str]:
    """Apply `data` to `notice` (its status already set) as one change, and say what it was for the
    history. A new start is a reschedule (counted, judged on the new start), allowed where the table's
    reschedule step starts from; a kind changed after publication is recorded and flagged."""
    old_kind, old_start, was_published = notice.kind, notice.start_at, notice.published_at is not None
    apply_data(notice, data)
    reasons = []
    if notice.start_at != old_start:
        if not WORKFLOW.step("reschedule").starts_from(notice.status):
            raise ValidationError({"start_at": _("Only an outage that has not begun can be rescheduled.")})
        notice.reschedule_count += 1
        notice.status = S.RESCHEDULED
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
    validate(notice, now=now)
    return reasons


def status_refusal(old: str, new: str) -> str | None:
    """Why a notice that is `old` may not become `new` through its data (an edit, a PUT, a pushed update);
    None when a step of the table leads there from `old` (or nothing changes)."""
    if new == old or any(step.to == new and step.starts_from(old) for step in WORKFLOW.steps):
        return None
    return WORKFLOW.refusal % {"status": _label(old), "step": _label(new)}


def _label(status: str) -> str:
    return S(status).label if status in S.values else status


# --------------------------------------------------------------------------- the steps' bodies


def _change(notice: OutageNotice, move: Move, data: dict, *reasons: str) -> None:
    """A step's change: the status it leads to first (the input checks read it), then `data` as any change."""
    if move.step.to is not None:
        notice.status = move.step.to
    done = revise(notice, data, now=timezone.now())
    move.reason = "; ".join([r for r in reasons if r] + done)


def _announced(notice: OutageNotice, probe) -> str | None:
    """Only an outage that is announced in advance is published (the page offers it only for those)."""
    if notice.kind not in NOTICE_KINDS:
        return _("A fault outage is not announced in advance.")
    return None


def _publish(notice: OutageNotice, move: Move) -> None:
    """The announcement: when and on which channels. It meets the publish-by deadlines (late if after
    them, and then the violation stands)."""
    if not move.data.get("channels"):
        raise ValidationError({"channels": _("Say on which channels the notice was published.")})
    _change(notice, move, {"published_at": move.data["published_at"], "channels": move.data["channels"]}, "published")


def _reschedule(notice: OutageNotice, move: Move) -> None:
    """A new start (and end, and re-announcement when given) for an outage that has not begun; judged on
    them. An end or publication left out stays as it is."""
    if move.data["start_at"] == notice.start_at:
        raise ValidationError({"start_at": _("The new start is the same as the current one.")})
    data = {"start_at": move.data["start_at"]}
    data |= {f: move.data[f] for f in ("end_at", "published_at") if move.data.get(f) is not None}
    _change(notice, move, data, move.data.get("reason", ""))


def _start(notice: OutageNotice, move: Move) -> None:
    """Supply was cut at `at`: restoration is now tracked against the scheduled end."""
    _change(notice, move, {"actual_start_at": move.at}, "started")


def _restore(notice: OutageNotice, move: Move) -> None:
    """Supply came back at `at` (an outage never recorded as begun began at its scheduled start). An
    overrun of the announced end is a violation unless explained."""
    data: dict = {"actual_end_at": move.at}
    if notice.actual_start_at is None:
        data["actual_start_at"] = notice.start_at
    if move.data.get("cause_removed_at") is not None:
        data["cause_removed_at"] = move.data["cause_removed_at"]
    if move.data.get("explanation"):
        data["delay_explanation"] = move.data["explanation"]
    _change(notice, move, data, "restored")


def _cancel(notice: OutageNotice, move: Move) -> None:
    """The outage is called off; its running deadlines are cancelled (by the judgement after it)."""
    reason = move.data.get("reason", "")
    _change(notice, move, {}, f"cancelled: {reason}" if reason else "cancelled")


def _judge(notice: OutageNotice, move: Move) -> None:
    """After every step: the compliance, violations and deadlines follow the notice."""
    notice_evaluate(notice=notice, now=timezone.now())


# `event` names each status-changing step by the status it leads to: the refusal reads "… cannot become …".
WORKFLOW = Workflow(
    model=OutageNotice,
    lock_related=("utility",),
    status_label=_label,
    # Translators: %(status)s is the notice's status, %(step)s the status asked for.
    refusal=gettext_lazy("A notice that is %(status)s cannot become %(step)s."),
    permission_message=gettext_lazy("You may only write notices of your own organisation."),
    after=_judge,
    clean=True,
    steps=(
        Step(
            "publish",
            gettext_lazy("Publish"),
            to=None,  # any status: a publication may be recorded late
            by=(Party.UTILITY,),
            form=forms.PublishForm,
            check=_announced,
            apply=_publish,
        ),
        Step(
            "reschedule",
            gettext_lazy("Reschedule"),
            to=S.RESCHEDULED,
            sources=UPCOMING_STATUSES,
            by=(Party.UTILITY,),
            form=forms.RescheduleForm,
            refused=gettext_lazy("Only an outage that has not begun can be rescheduled."),
            apply=_reschedule,
            event=S.RESCHEDULED,
        ),
        Step(
            "start",
            gettext_lazy("Outage began"),
            to=S.IN_PROGRESS,
            sources=UPCOMING_STATUSES,
            by=(Party.UTILITY,),
            form=forms.InstantForm,
            apply=_start,
            event=S.IN_PROGRESS,
        ),
        Step(
            "restore",
            gettext_lazy("Supply restored"),
            to=S.RESTORED,
            sources=UPCOMING_STATUSES | {S.IN_PROGRESS},
            by=(Party.UTILITY,),
            form=forms.RestoreForm,
            apply=_restore,
            event=S.RESTORED,
        ),
        Step(
            "cancel",
            gettext_lazy("Cancel the outage"),
            to=S.CANCELLED,
            sources=UPCOMING_STATUSES,
            by=(Party.UTILITY,),
            form=forms.CancelForm,
            apply=_cancel,
            event=S.CANCELLED,
            danger=True,
        ),
    ),
)

# The services' names for the steps (tests, the demo and the pages' callers use them):
# notice_publish(notice=…, acting_user=…, published_at=…, channels=[…]),
# notice_reschedule(notice=…, acting_user=…, start_at=…, end_at=…, published_at=…, reason=…),
# notice_start(notice=…, acting_user=…, at=…), notice_restore(notice=…, acting_user=…, at=…,
# cause_removed_at=…, explanation=…), notice_cancel(notice=…, acting_user=…, reason=…).
notice_publish = WORKFLOW.service("publish", "notice")
notice_reschedule = WORKFLOW.service("reschedule", "notice")
notice_start = WORKFLOW.service("start", "notice")
notice_restore = WORKFLOW.service("restore", "notice")
notice_cancel = WORKFLOW.service("cancel", "notice")
