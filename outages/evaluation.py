"""Judging a notice: its compliance under every rule in force (`outages.selectors.notice_compliance`),
stored on the notice, with its violations recorded or withdrawn and its tracked deadlines (publish-by,
restoration, repair arrival, reconnection) kept in step. Every change of a notice ends here; so do the
shared sweep (a deadline gone overdue) and a rule correction (a utility's notices judged again).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from outages.choices import ComplianceState, NoticeStatus
from outages.models import OutageNotice
from outages.selectors import Judged, notice_compliance, repeated_on_line
from portal.calendar import get_calendar
from portal.choices import DeadlineStatus, Disposition, RuleUnit
from portal.deadlines import compute_deadline, fraction_instant
from portal.models import Organisation, TrackedDeadline, Violation
from portal.selectors import batch
from portal.services import (
    deadline_cancel,
    deadline_meet,
    deadline_track,
    deadline_values,
    remind_fraction,
    violation_record,
    violation_withdraw,
)


def _advance_remind(rule, due: datetime, now: datetime) -> datetime | None:
    """An advance deadline (publish-by) lies before its start: remind at a share of the time left, or None."""
    if rule.unit in (RuleUnit.ADVANCE_DAYS, RuleUnit.ADVANCE_HOURS) and due > now:
        return fraction_instant(min(now, due), due, remind_fraction())
    return None


def _track(notice: OutageNotice, judged: list[Judged], now: datetime) -> None:
    """Keep the tracked deadlines in step: open limits tracked, done ones met, the rest cancelled."""
    ct = ContentType.objects.get_for_model(OutageNotice)
    existing = dict(TrackedDeadline.objects.filter(content_type=ct, object_id=notice.pk).values_list("code", "status"))
    live: set[str] = set()
    for j in judged:
        code = j.rule.code
        if j.track_start is not None and notice.status != NoticeStatus.CANCELLED:
            live.add(code)
            obj = deadline_track(subject=notice, utility=notice.utility, rule=j.rule, start=j.track_start)
            remind = _advance_remind(j.rule, obj.due, now)
            if remind is not None and obj.reminded_at is None and obj.status == DeadlineStatus.OPEN:
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


def judge(notice: OutageNotice, now: datetime, others: list) -> list[Judged]:
    """Judge `notice` in memory (saved or not yet): its summary and flags set on it, the judgements returned.
    `others`: the temporary outages on its lines that make it a repeat (`repeated_on_line`)."""
    notice.repeated_temporary = bool(others)
    summary, judged = notice_compliance(notice, now=now)
    notice.compliance = summary
    notice.compliance_state = summary["state"]
    notice.evaluated_at = now
    return judged


def mark_repeated(ids: Iterable[int]) -> None:
    """The earlier outages a new one repeats are repeats too (a derived flag: no history row of its own)."""
    ids = list(ids)
    if ids:
        OutageNotice.objects.filter(pk__in=ids, repeated_temporary=False).update(repeated_temporary=True)


@transaction.atomic
def notice_evaluate(*, notice: OutageNotice, now: datetime | None = None) -> OutageNotice:
    """Re-judge `notice`, store the summary, and bring violations and deadlines in line with it."""
    now = now or timezone.now()
    others = repeated_on_line(notice)
    judged = judge(notice, now, others)
    mark_repeated(others)
    # Derived fields only: no history row of its own (the change that caused it has one).
    OutageNotice.objects.filter(pk=notice.pk).update(
        compliance=notice.compliance,
        compliance_state=notice.compliance_state,
        evaluated_at=now,
        repeated_temporary=notice.repeated_temporary,
    )
    _record_violations(notice, judged)
    _track(notice, judged, now)
    return notice


def new_notice_rows(judged_notices: list[tuple[OutageNotice, list[Judged]]], now: datetime):
    """The tracked deadlines and violations of newly saved notices, as rows for one set-based insert each:
    exactly what `_track` and `_record_violations` write for a notice that has none yet."""
    ct_id = ContentType.objects.get_for_model(OutageNotice).pk
    cal = get_calendar()
    deadlines, violations = [], []
    for notice, judged in judged_notices:
        subject = {"content_type_id": ct_id, "object_id": notice.pk}
        tracked = {}  # by code, the last judgement winning as `deadline_track` called in turn would leave it
        for j in judged:
            if j.track_start is not None and notice.status != NoticeStatus.CANCELLED:
                result = compute_deadline(j.rule.spec(), j.track_start, cal, explain=False)
                values = deadline_values(utility_id=notice.utility_id, rule=j.rule, start=j.track_start, result=result)
                remind = _advance_remind(j.rule, result.due, now)
                if remind is not None:
                    values["remind_at"] = remind
                tracked[j.rule.code] = {**subject, **values}
        deadlines += tracked.values()
        violating = {j.rule.code: j for j in judged if j.state == ComplianceState.VIOLATION}
        for code, j in violating.items():
            violations.append(
                {
                    **subject,
                    "utility_id": notice.utility_id,
                    "rule_id": j.rule.pk,
                    "code": code,
                    "source_class": j.rule.source_class,
                    "occurred_at": j.occurred_at or notice.start_at,
                    "shortfall_seconds": max(0, int(j.shortfall.total_seconds())),
                    "description": f"{notice.external_id}：{j.entry['note']}"[:300],
                }
            )
    return deadlines, violations


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


def utility_reevaluate(*, utility_id: int, now: datetime | None = None) -> int:
    """Re-judge every notice of a utility and its subsidiaries (ids read in one query)."""
    root = Organisation.objects.get(pk=utility_id)
    ids = OutageNotice.objects.filter(utility__path__startswith=root.path).values_list("id", flat=True)
    return notices_reevaluate(ids=list(ids), now=now)
