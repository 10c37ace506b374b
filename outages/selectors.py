"""Reads of the outages app: the compliance of a notice under every rule in force, dashboard
figures, per-utility violation rates and the public selection.

`notice_compliance` is pure with respect to the notice (it writes nothing); the services store
its result and turn its violations into `portal.Violation` rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from outages.choices import (
    NOTICE_KINDS,
    SCHEDULED_END_KINDS,
    UPCOMING_STATUSES,
    ComplianceState,
    NoticeStatus,
    OutageKind,
    worst,
)
from outages.models import OutageNotice
from outages.text import PUBLIC_REASONS
from portal.calendar import get_calendar
from portal.choices import STATUTORY_CLASSES
from portal.deadlines import compute_deadline
from portal.models import Rule, Violation
from portal.selectors import local_date, notice_judge, rules_in_force

RESTORATION_SCHEDULED_END = "outage.restoration.scheduled_end"
RESTORATION_AFTER_CAUSE = "restoration.after_cause_removed"
REPAIR_ARRIVAL = "repair.arrival"
ARREARS_OVERDUE = "arrears.overdue_before_disconnection"
ARREARS_RECONNECTION = "arrears.reconnection"
TEMPORARY_REPEAT = "outage.temporary.repeat"


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _hours(delta: timedelta) -> float:
    return round(delta.total_seconds() / 3600, 2)


def notice_instant(notice: OutageNotice) -> datetime | None:
    """When customers were told. A temporary outage may be announced *or* told to important
    customers (供电营业规则: 通知重要用户或者进行公告), so the earlier of the two counts."""
    if notice.kind == OutageKind.TEMPORARY:
        instants = [i for i in (notice.published_at, notice.important_customers_notified_at) if i]
        return min(instants) if instants else None
    return notice.published_at


@dataclass
class Judged:
    """One rule's result, with what the services need to record or track it."""

    rule: Rule
    state: str
    entry: dict
    occurred_at: datetime | None = None
    shortfall: timedelta = timedelta(0)
    track_start: datetime | None = None  # open limit: track a deadline from here
    met_at: datetime | None = None


def _rule_entry(rule: Rule, **extra) -> dict:
    return {
        "rule": rule.code,
        "title": rule.title,
        "source_class": rule.source_class,
        "statutory": rule.source_class in STATUTORY_CLASSES,
        "source": rule.source,
        **extra,
    }


def _judge_notice_rules(notice: OutageNotice, kind: str, now: datetime, *, via_original: bool) -> list[Judged]:
    notice_at = notice_instant(notice)
    result = notice_judge(kind=kind, notice_at=notice_at, start=notice.start_at, province_id=notice.utility.province_id)
    # The same selection notice_judge made (same prefix, date and province): map its results back.
    rules = {r.code: r for r in _rules(f"outage.notice.{kind}", notice, notice.start_at)}
    out = []
    for j in result["rules"]:
        rule = rules[j["rule"]]
        state = j["state"]
        latest = datetime.fromisoformat(j["latest_compliant"])
        note = j["note"]
        track = None
        if notice_at is None and notice.status in UPCOMING_STATUSES and now <= latest:
            # Not published yet, and still in time: the publish-by deadline is running.
            state = ComplianceState.PENDING
            note = f"尚未发布，须于 {timezone.localtime(latest):%Y-%m-%d %H:%M} 前发布"
            track = notice.start_at
        elif notice_at is None and notice.status == NoticeStatus.CANCELLED:
            continue  # an outage cancelled before it was announced needed no notice
        if via_original:
            note = f"按发布时的停电类型（{PUBLIC_REASONS[OutageKind(kind)]}）判定：{note}"
        entry = _rule_entry(
            rule,
            state=str(state),
            kind=kind,
            via_original_kind=via_original,
            required_hours=j["required_hours"],
            lead_hours=j["lead_hours"] if notice_at else None,
            shortfall_hours=j["shortfall_hours"],
            due=j["latest_compliant"],
            done_at=_iso(notice_at),
            note=note,
        )
        out.append(
            Judged(
                rule,
                str(state),
                entry,
                occurred_at=latest,
                shortfall=timedelta(hours=j["shortfall_hours"]),
                track_start=track,
                met_at=notice_at,
            )
        )
    return out


def _judge_limit(
    rule: Rule, *, start: datetime, done_at: datetime | None, now: datetime, explained: bool = False, label: str = ""
) -> Judged:
    """A limit counted after an event (restore, arrive, reconnect): met, running or broken."""
    due = compute_deadline(rule.spec(), start, get_calendar()).due
    track = None
    if done_at is not None:
        late = done_at - due
        if late <= timedelta(0):
            state, note = ComplianceState.COMPLIANT, f"{label}于 {timezone.localtime(done_at):%Y-%m-%d %H:%M}，未超时"
        else:
            state = ComplianceState.BORDERLINE if explained else ComplianceState.VIOLATION
            note = f"{label}超时{_hours(late)}小时" + ("（已说明原因，待人工判定）" if explained else "")
    elif now > due:
        late = now - due
        state = ComplianceState.BORDERLINE if explained else ComplianceState.VIOLATION
        note = f"已超过时限{_hours(late)}小时，仍未{label}" + ("（已说明原因，待人工判定）" if explained else "")
        track = start
    else:
        late = timedelta(0)
        state, note = ComplianceState.PENDING, f"须于 {timezone.localtime(due):%Y-%m-%d %H:%M} 前{label}"
        track = start
    entry = _rule_entry(
        rule,
        state=str(state),
        start=_iso(start),
        due=_iso(due),
        done_at=_iso(done_at),
        shortfall_hours=_hours(max(late, timedelta(0))),
        note=note,
    )
    return Judged(
        rule, str(state), entry, occurred_at=due, shortfall=max(late, timedelta(0)), track_start=track, met_at=done_at
    )


def _rules(prefix: str, notice: OutageNotice, on: datetime, context: dict | None = None) -> list[Rule]:
    return [
        r
        for r in rules_in_force(
            prefix=prefix, on=local_date(on), context=context, province_id=notice.utility.province_id
        )
        if r.code == prefix or r.code.startswith(prefix + ".")
    ]


def _judge_limits(notice: OutageNotice, now: datetime) -> list[Judged]:
    out: list[Judged] = []
    explained = bool(notice.delay_explanation.strip())
    started = notice.actual_start_at is not None or notice.status in (NoticeStatus.IN_PROGRESS, NoticeStatus.RESTORED)
    if notice.status == NoticeStatus.CANCELLED:
        return out
    if notice.kind in SCHEDULED_END_KINDS and notice.end_at and started:
        for rule in _rules(RESTORATION_SCHEDULED_END, notice, notice.end_at, {"kind": notice.kind}):
            out.append(
                _judge_limit(
                    rule,
                    start=notice.end_at,
                    done_at=notice.actual_end_at,
                    now=now,
                    explained=explained,
                    label="恢复送电",
                )
            )
    if notice.cause_removed_at:
        for rule in _rules(RESTORATION_AFTER_CAUSE, notice, notice.cause_removed_at):
            out.append(
                _judge_limit(
                    rule,
                    start=notice.cause_removed_at,
                    done_at=notice.actual_end_at,
                    now=now,
                    explained=explained,
                    label="恢复送电",
                )
            )
    if notice.kind == OutageKind.FAULT and notice.area_class:
        reported = notice.repair_reported_at or notice.actual_start_at
        if reported:
            for rule in _rules(REPAIR_ARRIVAL, notice, reported, {"area_class": notice.area_class}):
                out.append(
                    _judge_limit(rule, start=reported, done_at=notice.repair_arrived_at, now=now, label="到达现场")
                )
    if notice.kind == OutageKind.ARREARS:
        disconnected = notice.actual_start_at or notice.start_at
        if notice.arrears_overdue_since:
            for rule in _rules(ARREARS_OVERDUE, notice, disconnected):
                due = compute_deadline(rule.spec(), notice.arrears_overdue_since, get_calendar()).due
                if disconnected > due:
                    state, short = ComplianceState.COMPLIANT, timedelta(0)
                    note = f"停电时欠费已逾期超过{rule.value}日"
                else:
                    state, short = ComplianceState.VIOLATION, due - disconnected
                    note = f"欠费逾期未满{rule.value}日即停电（应在 {timezone.localtime(due):%Y-%m-%d %H:%M} 之后）"
                entry = _rule_entry(
                    rule,
                    state=str(state),
                    start=_iso(notice.arrears_overdue_since),
                    due=_iso(due),
                    done_at=_iso(disconnected),
                    shortfall_hours=_hours(short),
                    note=note,
                )
                out.append(Judged(rule, str(state), entry, occurred_at=disconnected, shortfall=short))
        if notice.paid_at:
            for rule in _rules(ARREARS_RECONNECTION, notice, notice.paid_at):
                out.append(
                    _judge_limit(rule, start=notice.paid_at, done_at=notice.reconnected_at, now=now, label="复电")
                )
    return out


def repeat_window(notice: OutageNotice) -> tuple[int, int] | None:
    """(days, minimum count) of the repeated-temporary-outage rule in force, or None."""
    rules = _rules(TEMPORARY_REPEAT, notice, notice.start_at, {"kind": OutageKind.TEMPORARY})
    if not rules:
        return None
    rule = rules[0]
    return rule.value, int((rule.params or {}).get("min_outages", 2))


def split_lines(text: str) -> set[str]:
    return {part.strip() for part in re.split(r"[、,，;；/\s]+", text or "") if part.strip()}


def repeated_on_line(notice: OutageNotice) -> list[int]:
    """Ids of the other temporary outages sharing a line with `notice` within the rule's window,
    when together they reach the rule's count; else []."""
    if notice.kind != OutageKind.TEMPORARY or notice.status == NoticeStatus.CANCELLED:
        return []
    window = repeat_window(notice)
    lines = split_lines(notice.lines)
    if window is None or not lines:
        return []
    days, minimum = window
    span = timedelta(days=days)
    others = (
        OutageNotice.objects.filter(
            utility_id=notice.utility_id,
            kind=OutageKind.TEMPORARY,
            start_at__gte=notice.start_at - span,
            start_at__lte=notice.start_at + span,
        )
        .exclude(pk=notice.pk)
        .exclude(status=NoticeStatus.CANCELLED)
        # A coarse filter in SQL (substring of any line name), the exact token match below.
        .filter(reduce(or_, (Q(lines__contains=line) for line in lines)))
        .values_list("id", "lines")
    )
    same = [pk for pk, text in others if split_lines(text) & lines]
    return same if len(same) + 1 >= minimum else []


def repeated_in_batch(notices: list[OutageNotice]) -> list[tuple[list[int], list[int]]]:
    """`repeated_on_line` for a batch of new notices registered in turn, in one query: for each, the ids of the
    stored outages and the positions of the earlier notices of the batch that make it a repeat (both empty
    when it is none). The stored ones are read for every notice's utility, window and line names at once."""
    out: list[tuple[list[int], list[int]]] = [([], []) for _n in notices]
    wanted = []  # (position, lines, span, minimum)
    for i, notice in enumerate(notices):
        if notice.kind != OutageKind.TEMPORARY or notice.status == NoticeStatus.CANCELLED:
            continue
        window, lines = repeat_window(notice), split_lines(notice.lines)
        if window is not None and lines:
            wanted.append((i, lines, timedelta(days=window[0]), window[1]))
    if not wanted:
        return out
    stored = _stored_on_lines([(i, notices[i], lines, span) for i, lines, span, _m in wanted])
    earlier: list[tuple[int, set[str]]] = []  # candidates already registered in this batch
    for i, lines, span, minimum in wanted:
        notice = notices[i]
        ids = sorted({pk for pk, text in stored.get(i, ()) if split_lines(text) & lines})
        mates = [
            j
            for j, their_lines in earlier
            if notices[j].utility_id == notice.utility_id
            and abs(notices[j].start_at - notice.start_at) <= span
            and their_lines & lines
        ]
        earlier.append((i, lines))
        if len(ids) + len(mates) + 1 >= minimum:
            out[i] = (ids, mates)
    return out


def _stored_on_lines(wanted) -> dict[int, list[tuple[int, str]]]:
    """(id, lines) of the stored, not cancelled temporary outages of each wanted notice's utility starting
    within its window and naming one of its lines (a coarse substring match, exact tokens compared after)."""
    ops = connection.ops
    rows, params = [], []
    for i, notice, lines, span in wanted:
        for line in sorted(lines):
            rows.append("(%s, %s, %s, %s, %s)")
            pattern = "%" + line.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            lo, hi = notice.start_at - span, notice.start_at + span
            params += [
                i,
                notice.utility_id,
                ops.adapt_datetimefield_value(lo),
                ops.adapt_datetimefield_value(hi),
                pattern,
            ]
    table = ops.quote_name(OutageNotice._meta.db_table)
    sql = (
        f"WITH c (pos, utility_id, lo, hi, pattern) AS (VALUES {', '.join(rows)}) "  # noqa: S608 - placeholders only
        f"SELECT DISTINCT c.pos, n.id, n.lines FROM c JOIN {table} n ON n.utility_id = c.utility_id "
        "AND n.kind = %s AND n.status <> %s AND n.start_at >= c.lo AND n.start_at <= c.hi "
        "AND n.lines LIKE c.pattern ESCAPE '\\'"
    )
    found: dict[int, list[tuple[int, str]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, OutageKind.TEMPORARY, NoticeStatus.CANCELLED])
        for pos, pk, text in cursor.fetchall():
            found.setdefault(pos, []).append((pk, text))
    return found


def notice_compliance(notice: OutageNotice, *, now: datetime | None = None) -> tuple[dict, list[Judged]]:
    """Judge `notice` under every rule in force for its kind, the statute and commitments apart.

    Returns (summary to store, the judgements). A notice whose kind changed after publication is
    also judged under the kind it was published as: relabelling planned work as temporary must
    not shorten the notice it needed.
    """
    now = now or timezone.now()
    judged: list[Judged] = []
    if notice.kind in NOTICE_KINDS:
        judged += _judge_notice_rules(notice, notice.kind, now, via_original=False)
    if notice.relabelled and notice.original_kind in NOTICE_KINDS and notice.original_kind != notice.kind:
        seen = {j.rule.code for j in judged}
        judged += [
            j
            for j in _judge_notice_rules(notice, notice.original_kind, now, via_original=True)
            if j.rule.code not in seen
        ]
    judged += _judge_limits(notice, now)
    statutory = [j.state for j in judged if j.entry["statutory"]]
    commitment = [j.state for j in judged if not j.entry["statutory"]]
    notice_rules = [
        j for j in judged if j.rule.code.startswith("outage.notice.") and not j.entry.get("via_original_kind")
    ]
    summary = {
        "state": str(worst(j.state for j in judged)),
        "statutory_state": str(worst(statutory)) if statutory else None,
        "commitment_state": str(worst(commitment)) if commitment else None,
        "notice_state": str(worst(j.state for j in notice_rules)) if notice_rules else None,
        "lead_hours": _hours(notice.start_at - notice_instant(notice)) if notice_instant(notice) else None,
        "rules": [j.entry for j in judged],
        "flags": {
            "relabelled": notice.relabelled,
            "original_kind": notice.original_kind or None,
            "repeated_temporary": notice.repeated_temporary,
            "reschedule_count": notice.reschedule_count,
        },
        "evaluated_at": _iso(now),
    }
    return summary, judged


# --------------------------------------------------------------------------- figures


def compliance_by_kind(qs) -> list[dict]:
    """Counts of notices per kind and compliance state (one grouped query)."""
    rows = (
        qs.order_by()
        .values("kind")
        .annotate(
            total=Count("id"),
            **{state.value: Count("id", filter=Q(compliance_state=state)) for state in ComplianceState},
            relabelled_n=Count("id", filter=Q(relabelled=True)),
            repeated_n=Count("id", filter=Q(repeated_temporary=True)),
        )
    )
    by_kind = {r["kind"]: r for r in rows}
    out = []
    for kind in OutageKind:
        r = by_kind.get(kind.value, {"total": 0, "relabelled_n": 0, "repeated_n": 0})
        out.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "total": r["total"],
                **{s.value: r.get(s.value, 0) for s in ComplianceState},
                "relabelled": r["relabelled_n"],
                "repeated": r["repeated_n"],
            }
        )
    return out


def outage_violations(user):
    """The violations of outage notices the user may see."""
    ct = ContentType.objects.get_for_model(OutageNotice)
    return Violation.objects.visible_to(user).filter(content_type=ct)


def violation_rates(user, notices) -> list[dict]:
    """Per utility: notices, notices with a violation, the rate, statutory and commitment counts,
    pending dispositions. Two grouped queries."""
    notice_counts = {r["utility_id"]: r["n"] for r in notices.order_by().values("utility_id").annotate(n=Count("id"))}
    rows = (
        outage_violations(user)
        .filter(utility_id__in=list(notice_counts))
        .order_by()
        .values("utility_id", "utility__name", "utility__code")
        .annotate(
            violations=Count("id"),
            notices_with=Count("object_id", distinct=True),
            statutory=Count("id", filter=Q(source_class__in=list(STATUTORY_CLASSES))),
            commitment=Count("id", filter=~Q(source_class__in=list(STATUTORY_CLASSES))),
            pending=Count("id", filter=Q(disposition="pending")),
            excused=Count("id", filter=Q(disposition="excused")),
        )
    )
    out = []
    for r in rows:
        total = notice_counts.get(r["utility_id"], 0)
        out.append(
            {
                "utility_id": r["utility_id"],
                "utility": r["utility__name"],
                "code": r["utility__code"],
                "notices": total,
                "notices_with_violation": r["notices_with"],
                "rate": round(100 * r["notices_with"] / total, 1) if total else 0.0,
                "violations": r["violations"],
                "statutory": r["statutory"],
                "commitment": r["commitment"],
                "pending": r["pending"],
                "excused": r["excused"],
            }
        )
    out.sort(key=lambda r: (-r["rate"], r["code"]))
    return out


# --------------------------------------------------------------------------- report reads


def notices_starting_between(*, utility_ids: list[int], lo: datetime, hi: datetime):
    """The notices of these utilities whose outage starts in [lo, hi) (the reports' period)."""
    return OutageNotice.objects.filter(utility_id__in=utility_ids, start_at__gte=lo, start_at__lt=hi)


def notice_violations(notices):
    """The `portal.Violation` rows of the `notices` queryset (already scoped by the caller)."""
    ct = ContentType.objects.get_for_model(OutageNotice)
    return Violation.objects.filter(content_type=ct, object_id__in=notices.order_by().values("id"))


def notice_refs(*, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Per notice id: (external id, kind), for a listed page of violations."""
    return {
        pk: (external_id, kind)
        for pk, external_id, kind in OutageNotice.objects.filter(pk__in=ids).values_list("pk", "external_id", "kind")
    }


def notices_visible(user, *, lo: datetime | None = None, hi: datetime | None = None):
    """The notices `user` may see, starting within [lo, hi) when given (figures, dashboards)."""
    qs = OutageNotice.objects.visible_to(user)
    if lo is not None:
        qs = qs.filter(start_at__gte=lo)
    if hi is not None:
        qs = qs.filter(start_at__lt=hi)
    return qs.order_by()


def notice_counts_by_kind_and_state(user, *, lo=None, hi=None) -> dict[tuple[str, str], int]:
    """(kind, compliance state) → notices, in one grouped query."""
    rows = notices_visible(user, lo=lo, hi=hi).values("kind", "compliance_state").annotate(n=Count("id"))
    return {(r["kind"], r["compliance_state"]): r["n"] for r in rows}


def utilities_with_most_violations(user, *, lo=None, hi=None, limit: int = 15) -> list[dict]:
    """The utilities with the most notices in violation: rows of utility__code, utility__name, n."""
    return list(
        notices_visible(user, lo=lo, hi=hi)
        .filter(compliance_state=ComplianceState.VIOLATION)
        .values("utility__code", "utility__name")
        .annotate(n=Count("id"))
        .order_by("-n", "utility__code")[:limit]
    )
