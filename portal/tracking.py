"""Deadlines of records pushed with their history (a connection application, a meter test request): the
instants each step happened are known, so each deadline is judged at once when its step is already done.

A record kind states its clocks as a pure function of the record — a list of `Clock(code, start, end)`:
the rule id, the instant its clock starts and (if done) the instant the step met it. From that one list:

- `clock_rows` builds the deadline rows for a batch of new records (bulk intake): open when the step is
  still to come, met when it was done on time, met late when it was not;
- `clocks_sync` does the same for one record after a step (through the shared register: `deadline_track`,
  `deadline_meet`);
- `late_violations` records one violation per deadline met late — exactly the row the sweep records for a
  deadline it finds overdue (`deadlines_sweep`), so a step reported after its due is judged as if the sweep
  had seen it cross. Open deadlines past due are left to the sweep itself.

Part of the core (layer 4): the apps' services call it; it imports no domain app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from portal.bulk import insert_rows
from portal.calendar import get_calendar
from portal.choices import DeadlineStatus, Disposition
from portal.deadlines import CalendarData, compute_deadline, local_date
from portal.models import Organisation, Rule, TrackedDeadline, Violation
from portal.selectors import rules_in_force
from portal.services import deadline_meet, deadline_track, deadline_values


@dataclass(frozen=True)
class Clock:
    """One rule's clock on a record: `code` (rule id), `start`, and `end` when the step is done."""

    code: str
    start: datetime
    end: datetime | None = None


class RuleBook:
    """The rule of a code in force on a day for a province (a provincial version wins), memoised; inside
    `portal.selectors.batch()` the catalogue itself is read once."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self._cache: dict[tuple[date, int | None], dict[str, Rule]] = {}
        self._specs: dict[int, object] = {}

    def rule(self, code: str, *, on: date, province_id: int | None) -> Rule | None:
        key = (on, province_id)
        if key not in self._cache:
            found = rules_in_force(prefix=self.prefix, on=on, province_id=province_id)
            by_code: dict[str, Rule] = {}
            for rule in sorted(found, key=lambda r: (r.jurisdiction_id is not None, r.effective_from)):
                by_code[rule.code] = rule
            self._cache[key] = by_code
        return self._cache[key].get(code)

    def spec(self, rule: Rule):
        if rule.pk not in self._specs:
            self._specs[rule.pk] = rule.spec()
        return self._specs[rule.pk]


def clock_rows(
    clocks: list[Clock], *, utility_id: int, province_id: int | None, book: RuleBook, cal: CalendarData
) -> list[dict]:
    """The deadline rows (column values, without the subject) of a new record's clocks."""
    rows = []
    for clock in clocks:
        rule = book.rule(clock.code, on=local_date(clock.start), province_id=province_id)
        if rule is None:
            continue  # not in force on that day: nothing to judge by
        result = compute_deadline(book.spec(rule), clock.start, cal, explain=False)
        values = deadline_values(utility_id=utility_id, rule=rule, start=clock.start, result=result)
        if clock.end is not None:
            values["status"] = DeadlineStatus.MET if clock.end <= result.due else DeadlineStatus.MET_LATE
            values["met_at"] = clock.end
        rows.append(values)
    return rows


def violation_rows(deadlines: list[TrackedDeadline]) -> list[Violation]:
    """The violations of the deadlines met late among `deadlines` (saved rows), as the sweep words them."""
    now = timezone.now()
    return [
        Violation(
            utility_id=d.utility_id,
            content_type_id=d.content_type_id,
            object_id=d.object_id,
            deadline_id=d.pk,
            rule_id=d.rule_id,
            code=d.code,
            source_class=d.source_class,
            occurred_at=d.due,
            shortfall_seconds=max(0, int((d.met_at - d.due).total_seconds())),
            description=(d.label or d.code)[:300],
            disposition=Disposition.PENDING,
            created_at=now,
        )
        for d in deadlines
        if d.status == DeadlineStatus.MET_LATE and d.met_at is not None
    ]


def insert_clock_rows(ct_id: int, rows_by_pk: list[tuple[int, list[dict]]]) -> int:
    """Insert the deadline rows of new records (`(record pk, clock_rows(...))`) and the violations of those
    met late. Returns the number of violations. Only the late rows become model instances (their ids are the
    violations' references); the rest go in as plain values."""
    plain, late = [], []
    for pk, rows in rows_by_pk:
        for values in rows:
            row = {"content_type_id": ct_id, "object_id": pk, **values}
            if values.get("status") == DeadlineStatus.MET_LATE:
                late.append(TrackedDeadline(**row))
            else:
                plain.append(row)
    insert_rows(TrackedDeadline, plain)
    insert_rows(TrackedDeadline, late)
    violations = violation_rows(late)
    insert_rows(Violation, violations, ignore_conflicts=True)
    return len(violations)


def clocks_sync(record: models.Model, clocks: list[Clock], *, utility, book: RuleBook) -> None:
    """After a step: every clock of `record` is tracked (from its start), met at its end when done, and a
    deadline met late is a violation. A clock already met stays as it was met."""
    for clock in clocks:
        rule = book.rule(clock.code, on=local_date(clock.start), province_id=utility.province_id)
        if rule is None:
            continue
        deadline_track(subject=record, utility=utility, rule=rule, start=clock.start)
        if clock.end is not None:
            deadline_meet(subject=record, codes=[clock.code], at=clock.end)
    late_violations(record)


def late_violations(record: models.Model) -> int:
    """One violation per deadline of `record` met late that has none yet (idempotent)."""
    ct = ContentType.objects.get_for_model(record)
    late = list(
        TrackedDeadline.objects.filter(
            content_type=ct, object_id=record.pk, status=DeadlineStatus.MET_LATE, violation__isnull=True
        )
    )
    rows = violation_rows(late)
    Violation.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def working_days_between(start: datetime, end: datetime, cal: CalendarData | None = None) -> int:
    """Working days from `start` to `end`, counted as "within N working days" is (the day of `start` not
    counted, the day of `end` counted): a step done by the end of the N-th working day took ≤ N."""
    cal = cal or get_calendar()
    day, last = local_date(start), local_date(end)
    n = 0
    while day < last:
        day += timedelta(days=1)
        if cal.is_working_day(day):
            n += 1
    return n


def on_time_by_utility(
    model, records=None, *, utility_ids=None, lo: datetime | None = None, hi: datetime | None = None
) -> list[dict]:
    """Per utility, the deadlines of `model`'s records (of `records` when given, of `utility_ids` when given)
    judged so far — met on time, met late, overdue (open ones past due count once the sweep marks them) —
    and the on-time rate in percent; `lo`/`hi` narrow to deadlines due in [lo, hi). One grouped query."""
    ct = ContentType.objects.get_for_model(model)
    qs = TrackedDeadline.objects.filter(content_type=ct).exclude(status=DeadlineStatus.CANCELLED)
    if records is not None:
        qs = qs.filter(object_id__in=records.order_by().values("pk"))
    if utility_ids is not None:
        qs = qs.filter(utility_id__in=utility_ids)
    if lo is not None:
        qs = qs.filter(due__gte=lo)
    if hi is not None:
        qs = qs.filter(due__lt=hi)
    rows = list(
        qs.order_by()
        .values("utility_id")
        .annotate(
            met=Count("id", filter=Q(status=DeadlineStatus.MET)),
            late=Count("id", filter=Q(status=DeadlineStatus.MET_LATE)),
            overdue=Count("id", filter=Q(status=DeadlineStatus.OVERDUE)),
            open=Count("id", filter=Q(status=DeadlineStatus.OPEN)),
        )
    )
    orgs = Organisation.objects.in_bulk([r["utility_id"] for r in rows])
    out = []
    for r in rows:
        judged = r["met"] + r["late"] + r["overdue"]
        rate = (Decimal(100 * r["met"]) / judged).quantize(Decimal("0.1"), ROUND_HALF_UP) if judged else None
        out.append(r | {"utility": orgs[r["utility_id"]], "judged": judged, "rate": rate})
    return sorted(out, key=lambda r: r["utility"].code)
