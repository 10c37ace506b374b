"""Working-day calendar and deadline arithmetic for the mainland China calendar.

Pure module: no Django, no database. Every instant is timezone-aware; local dates are
Asia/Shanghai dates. The counting rules are DOMAIN.md "How deadlines are computed"
(民法典 art. 201–204): the trigger day is not counted, a period ends at 24:00 of its last day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "MAX_WALK_DAYS",
    "SHANGHAI",
    "CalendarData",
    "Deadline",
    "DeadlineState",
    "NoticeJudgement",
    "NoticeState",
    "RuleSpec",
    "TraceStep",
    "Unit",
    "calendar_from_chinese_calendar",
    "compute_deadline",
    "deadline_state",
    "end_of_day",
    "fixed_date_deadline",
    "fraction_instant",
    "judge_notice",
    "local_date",
    "worst_state",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Ten years of calendar: far beyond any real rule, small enough to stop a bad value quickly.
MAX_WALK_DAYS = 3660

WORKDAY = "workday"
WEEKEND = "weekend"
HOLIDAY = "holiday"
ADJUSTED_WORKDAY = "adjusted_workday"

_DEFAULT_NIGHT_FROM = "22:00"
_DEFAULT_NIGHT_UNTIL = "08:00"
_DEFAULT_NEXT_MORNING_BY = "10:00"
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class Unit(StrEnum):
    """Unit of a rule's value; the values are stored in the database."""

    WORKING_DAYS = "working_days"  # N个工作日内
    CALENDAR_DAYS = "calendar_days"  # N日内
    HOURS = "hours"
    MINUTES = "minutes"
    ADVANCE_DAYS = "advance_days"  # 提前N日
    ADVANCE_HOURS = "advance_hours"  # 提前N小时
    RECONNECTION = "reconnection"  # 欠费复电, with the night rule


class DeadlineState(StrEnum):
    """Where an obligation stands against its deadline."""

    ON_TIME = "on_time"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"


class NoticeState(StrEnum):
    """Result of judging an advance notice."""

    COMPLIANT = "compliant"
    BORDERLINE = "borderline"
    VIOLATION = "violation"


_NOTICE_SEVERITY = {NoticeState.COMPLIANT: 0, NoticeState.BORDERLINE: 1, NoticeState.VIOLATION: 2}


# --------------------------------------------------------------------------- helpers


def _require_aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"{name} must be timezone-aware")


def _to_local(instant: datetime) -> datetime:
    return instant.astimezone(SHANGHAI)


def _shift(instant: datetime, delta: timedelta) -> datetime:
    # Elapsed time: add in UTC, so that a historical DST change (China 1986–1991) cannot bend it.
    return (instant.astimezone(UTC) + delta).astimezone(SHANGHAI)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else _to_local(value).isoformat()


def _fmt_hours(hours: float) -> str:
    text = f"{hours:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _fmt_local(instant: datetime) -> str:
    return f"{_to_local(instant):%Y-%m-%d %H:%M}"


def _parse_hhmm(raw: Any, name: str) -> time:
    match = _HHMM.match(str(raw).strip())
    if match is None:
        raise ValueError(f"{name} must be 'HH:MM', got {raw!r}")
    return time(int(match.group(1)), int(match.group(2)))


def end_of_day(d: date) -> datetime:
    """Return 24:00 of `d` in Shanghai, as d 23:59:59.999999+08:00."""
    return datetime.combine(d, time.max, tzinfo=SHANGHAI)


def local_date(instant: datetime) -> date:
    """Return the Shanghai calendar date of an aware instant."""
    _require_aware(instant, "instant")
    return _to_local(instant).date()


# --------------------------------------------------------------------------- calendar


@dataclass(frozen=True)
class CalendarData:
    """Statutory holidays and adjusted working days, per loaded year."""

    holidays: Mapping[date, str]
    workdays: Mapping[date, str]
    years: frozenset[int]
    # (working days, start day) -> (N-th working day, provisional): the calendar never changes, so a
    # walk done once holds for every deadline counted from the same day (bulk recomputation).
    walks: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Read-only copies: a calendar shared between requests must not change under them.
        object.__setattr__(self, "holidays", MappingProxyType(dict(self.holidays)))
        object.__setattr__(self, "workdays", MappingProxyType(dict(self.workdays)))
        object.__setattr__(self, "years", frozenset(self.years))

    def is_known(self, d: date) -> bool:
        """Whether the year of `d` has complete holiday data."""
        return d.year in self.years

    def is_working_day(self, d: date) -> bool:
        """Whether `d` is a working day; unknown years fall back to weekends only."""
        if self.is_known(d):
            if d in self.workdays:
                return True
            if d in self.holidays:
                return False
        return d.weekday() < 5

    def day_kind(self, d: date) -> str:
        """One of "workday", "weekend", "holiday", "adjusted_workday"."""
        if self.is_known(d):
            if d in self.workdays:
                return ADJUSTED_WORKDAY
            if d in self.holidays:
                return HOLIDAY
        return WEEKEND if d.weekday() >= 5 else WORKDAY

    def name_of(self, d: date) -> str:
        """Holiday name a holiday or adjusted working day belongs to, else ""."""
        if not self.is_known(d):
            return ""
        return self.workdays.get(d) or self.holidays.get(d) or ""


def _holiday_name(value: Any, holiday_enum: Any) -> str:
    # chinesecalendar 1.11 stores the English name (the enum's value); other versions stored
    # the member or "English,中文,days". Accept all three and keep the Chinese name.
    if isinstance(value, holiday_enum):
        return str(value.chinese)
    text = str(value)
    try:
        return str(holiday_enum(text).chinese)
    except ValueError:
        parts = text.split(",")
        return parts[1].strip() if len(parts) >= 2 else text


def calendar_from_chinese_calendar(years: Iterable[int]) -> CalendarData:
    """Build a CalendarData for `years` from the `chinesecalendar` package.

    Raises ValueError for a year the package has no data for.
    """
    # Imported here: only seeding the calendar needs the package, deadline maths does not.
    import chinese_calendar
    from chinese_calendar import constants

    wanted = frozenset(int(y) for y in years)
    for year in sorted(wanted):
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError as exc:
            raise ValueError(f"chinesecalendar has no holiday data for {year}") from exc

    holidays = {d: _holiday_name(v, constants.Holiday) for d, v in constants.holidays.items() if d.year in wanted}
    # Only weekend dates are 调休上班; a weekday listed there is an ordinary working day.
    workdays = {
        d: _holiday_name(v, constants.Holiday)
        for d, v in constants.workdays.items()
        if d.year in wanted and d.weekday() >= 5
    }
    return CalendarData(holidays=holidays, workdays=workdays, years=wanted)


# --------------------------------------------------------------------------- rules and results


@dataclass(frozen=True)
class RuleSpec:
    """One time-limit rule: N of a unit, with unit-specific params."""

    code: str
    value: int
    unit: Unit
    params: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""

    def __post_init__(self) -> None:
        # Rules come from the database as plain strings; fail on an unknown unit here, not later.
        object.__setattr__(self, "unit", Unit(self.unit))
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise ValueError(f"rule {self.code}: value must be an integer, got {self.value!r}")
        if self.value < 0:
            raise ValueError(f"rule {self.code}: value must be >= 0, got {self.value}")


@dataclass(frozen=True)
class TraceStep:
    """One date examined while counting, for showing how a deadline was reached."""

    date: date
    kind: str
    counted: int | None
    note: str
    provisional: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "counted": self.counted,
            "note": self.note,
            "provisional": self.provisional,
        }


@dataclass(frozen=True)
class Deadline:
    """A computed deadline, with the trace that explains it."""

    rule: str
    start: datetime
    due: datetime
    provisional: bool
    at_risk: datetime | None
    trace: tuple[TraceStep, ...]
    notes: tuple[str, ...]
    rest_day: bool = False

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form; instants in Shanghai ISO 8601, dates as YYYY-MM-DD."""
        return {
            "rule": self.rule,
            "start": _iso(self.start),
            "due": _iso(self.due),
            "provisional": self.provisional,
            "at_risk": _iso(self.at_risk),
            "trace": [step.as_dict() for step in self.trace],
            "notes": list(self.notes),
            "rest_day": self.rest_day,
        }


@dataclass(frozen=True)
class NoticeJudgement:
    """Whether an advance notice preceded its event by long enough."""

    rule: str
    state: NoticeState
    required_hours: float
    lead_hours: float
    shortfall_hours: float
    latest_compliant: datetime
    note: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "rule": self.rule,
            "state": str(self.state),
            "required_hours": self.required_hours,
            "lead_hours": self.lead_hours,
            "shortfall_hours": self.shortfall_hours,
            "latest_compliant": _iso(self.latest_compliant),
            "note": self.note,
        }


# --------------------------------------------------------------------------- computation


def _provisional_note(cal: CalendarData, dates: Iterable[date]) -> tuple[bool, tuple[str, ...]]:
    unknown = sorted({d.year for d in dates if not cal.is_known(d)})
    if not unknown:
        return False, ()
    years = "、".join(str(y) for y in unknown)
    return True, (f"{years}年节假日安排未载入，暂仅按周末计算，结果为临时结果",)


def _start_step(cal: CalendarData, d: date) -> TraceStep:
    return TraceStep(d, cal.day_kind(d), None, "起算日当天不计", not cal.is_known(d))


def _rest_reason(cal: CalendarData, d: date) -> str:
    if cal.day_kind(d) == HOLIDAY:
        name = cal.name_of(d)
        return f"法定节假日：{name}" if name else "法定节假日"
    return "周末"


def _working_days_quick(rule: RuleSpec, start: datetime, cal: CalendarData) -> Deadline:
    """The same instants as `_compute_working_days`, without the explanation, from the calendar's walks."""
    local_start = _to_local(start)
    key = (rule.value, local_start.date())
    if key not in cal.walks:
        full = _compute_working_days(rule, start, cal, explain=False)
        cal.walks[key] = (full.due.date(), full.provisional)
    last, provisional = cal.walks[key]
    at_risk = datetime.combine(last, local_start.time(), tzinfo=SHANGHAI)
    return Deadline(rule.code, local_start, end_of_day(last), provisional, at_risk, (), ())


def _compute_working_days(rule: RuleSpec, start: datetime, cal: CalendarData, explain: bool = True) -> Deadline:
    local_start = _to_local(start)
    day0 = local_start.date()
    trace = [_start_step(cal, day0)] if explain else []
    walked: list[date] = []
    last = day0
    count = 0
    d = day0
    while count < rule.value:
        if len(walked) >= MAX_WALK_DAYS:
            raise ValueError(f"rule {rule.code}: no {rule.value} working days within {MAX_WALK_DAYS} days")
        d += timedelta(days=1)
        walked.append(d)
        working = cal.is_working_day(d)
        if working:
            count += 1
            last = d
        if not explain:
            continue
        kind = cal.day_kind(d)
        if working:
            name = cal.name_of(d)
            note = f"第{count}个工作日" + (f"（调休上班：{name}）" if kind == ADJUSTED_WORKDAY else "")
            trace.append(TraceStep(d, kind, count, note, not cal.is_known(d)))
        else:
            trace.append(TraceStep(d, kind, None, f"{_rest_reason(cal, d)}，不计", not cal.is_known(d)))

    due = end_of_day(last)
    # "24 working hours" reading: same clock time on the N-th working day; never after `due`.
    at_risk = datetime.combine(last, local_start.time(), tzinfo=SHANGHAI)
    provisional, notes = _provisional_note(cal, walked)
    if explain:
        notes += (f"按“{rule.value * 24}个工作小时”口径为 {_fmt_local(at_risk)}，此后提示临近期限（不视为超期）",)
    return Deadline(rule.code, local_start, due, provisional, at_risk, tuple(trace), notes)


def _compute_calendar_days(rule: RuleSpec, start: datetime, cal: CalendarData) -> Deadline:
    if rule.value > MAX_WALK_DAYS:
        raise ValueError(f"rule {rule.code}: {rule.value} days exceeds {MAX_WALK_DAYS}")
    local_start = _to_local(start)
    day0 = local_start.date()
    trace = [_start_step(cal, day0)]
    for i in range(1, rule.value + 1):
        d = day0 + timedelta(days=i)
        kind = cal.day_kind(d)
        note = f"第{i}日" + ("" if cal.is_working_day(d) else f"（{_rest_reason(cal, d)}）")
        trace.append(TraceStep(d, kind, i, note, not cal.is_known(d)))

    last = day0 + timedelta(days=rule.value)
    # Only the last day and any days it is moved across decide the result.
    depended = [last]
    notes: tuple[str, ...] = ()
    if not cal.is_working_day(last):
        notes = ("截止日为休息日，顺延至下一个工作日",)
        moved = last
        while not cal.is_working_day(moved):
            if len(depended) > MAX_WALK_DAYS:
                raise ValueError(f"rule {rule.code}: no working day within {MAX_WALK_DAYS} days")
            moved += timedelta(days=1)
            depended.append(moved)
            kind = cal.day_kind(moved)
            if cal.is_working_day(moved):
                note = f"顺延后的截止日（原截止日 {last.isoformat()} 为{_rest_reason(cal, last)}）"
            else:
                note = f"{_rest_reason(cal, moved)}，顺延"
            trace.append(TraceStep(moved, kind, None, note, not cal.is_known(moved)))
        last = moved

    provisional, prov_notes = _provisional_note(cal, depended)
    return Deadline(rule.code, local_start, end_of_day(last), provisional, None, tuple(trace), notes + prov_notes)


def _compute_elapsed(rule: RuleSpec, start: datetime) -> Deadline:
    if rule.unit == Unit.HOURS:
        delta, label = timedelta(hours=rule.value), f"{rule.value}小时"
    else:
        delta, label = timedelta(minutes=rule.value), f"{rule.value}分钟"
    note = f"自起算时刻连续计算{label}，节假日不中止"
    return Deadline(rule.code, _to_local(start), _shift(start, delta), False, None, (), (note,))


def _compute_advance(rule: RuleSpec, event_start: datetime) -> Deadline:
    if rule.unit == Unit.ADVANCE_DAYS:
        delta = timedelta(days=rule.value)
        note = f"须在事件开始前至少{rule.value}日（{rule.value * 24}小时）发布"
    else:
        delta = timedelta(hours=rule.value)
        note = f"须在事件开始前至少{rule.value}小时发布"
    return Deadline(rule.code, _to_local(event_start), _shift(event_start, -delta), False, None, (), (note,))


def _compute_reconnection(rule: RuleSpec, paid_at: datetime) -> Deadline:
    night_from = _parse_hhmm(rule.params.get("night_from", _DEFAULT_NIGHT_FROM), "night_from")
    night_until = _parse_hhmm(rule.params.get("night_until", _DEFAULT_NIGHT_UNTIL), "night_until")
    morning_by = _parse_hhmm(rule.params.get("next_morning_by", _DEFAULT_NEXT_MORNING_BY), "next_morning_by")
    if not night_until < night_from:
        raise ValueError(f"rule {rule.code}: night_until must be earlier in the day than night_from")

    local = _to_local(paid_at)
    t = local.time().replace(tzinfo=None)
    if night_until <= t < night_from:
        due = _shift(paid_at, timedelta(hours=rule.value))
        note = f"缴费后{rule.value}小时内复电"
    elif t >= night_from:
        due = datetime.combine(local.date() + timedelta(days=1), morning_by, tzinfo=SHANGHAI)
        note = f"夜间缴费规则：{night_from:%H:%M} 后缴费，次日 {morning_by:%H:%M} 前复电"
    else:
        due = datetime.combine(local.date(), morning_by, tzinfo=SHANGHAI)
        note = f"夜间缴费规则：{night_until:%H:%M} 前缴费，当日 {morning_by:%H:%M} 前复电"
    return Deadline(rule.code, local, due, False, None, (), (note,))


def compute_deadline(rule: RuleSpec, start: datetime, cal: CalendarData, *, explain: bool = True) -> Deadline:
    """Compute when `rule`, triggered at `start`, falls due.

    For advance-notice units `start` is the event start and the result is the latest
    compliant notice instant. `explain=False` leaves out the working-day trace and its notes (the
    same instants, for bulk recomputation where nobody reads the explanation).
    """
    _require_aware(start, "start")
    if rule.value < 0:
        raise ValueError(f"rule {rule.code}: value must be >= 0")
    unit = Unit(rule.unit)
    if unit == Unit.WORKING_DAYS:
        return _compute_working_days(rule, start, cal) if explain else _working_days_quick(rule, start, cal)
    if unit == Unit.CALENDAR_DAYS:
        return _compute_calendar_days(rule, start, cal)
    if unit in (Unit.HOURS, Unit.MINUTES):
        return _compute_elapsed(rule, start)
    if unit in (Unit.ADVANCE_DAYS, Unit.ADVANCE_HOURS):
        return _compute_advance(rule, start)
    return _compute_reconnection(rule, start)


def fixed_date_deadline(code: str, on: date, cal: CalendarData) -> Deadline:
    """Deadline "on or before `on`": 24:00 of that date, never moved off a rest day.

    There is no trigger instant, so `start` is 00:00 of `on`.
    """
    if isinstance(on, datetime) or not isinstance(on, date):
        raise TypeError("on must be a date")
    kind = cal.day_kind(on)
    rest_day = not cal.is_working_day(on)
    step_note = f"截止日为休息日（{_rest_reason(cal, on)}），不顺延" if rest_day else "截止日（含当日）"
    step = TraceStep(on, kind, None, step_note, not cal.is_known(on))
    provisional, notes = _provisional_note(cal, [on])
    if rest_day:
        notes = ("截止日为休息日（不顺延）", *notes)
    start = datetime.combine(on, time.min, tzinfo=SHANGHAI)
    return Deadline(code, start, end_of_day(on), provisional, None, (step,), notes, rest_day)


# --------------------------------------------------------------------------- states


def deadline_state(
    *,
    due: datetime,
    at_risk: datetime | None,
    done_at: datetime | None,
    now: datetime,
    warn_at: datetime | None = None,
) -> DeadlineState:
    """Classify an obligation; an action exactly at `due` is on time."""
    _require_aware(due, "due")
    _require_aware(now, "now")
    for name, value in (("at_risk", at_risk), ("done_at", done_at), ("warn_at", warn_at)):
        if value is not None:
            _require_aware(value, name)
    if done_at is not None:
        return DeadlineState.MET if done_at <= due else DeadlineState.MET_LATE
    if now > due:
        return DeadlineState.OVERDUE
    warnings = [w for w in (at_risk, warn_at) if w is not None]
    if warnings and now >= min(warnings):
        return DeadlineState.AT_RISK
    return DeadlineState.ON_TIME


def fraction_instant(start: datetime, due: datetime, fraction: float) -> datetime:
    """Instant at `fraction` (0..1) of the elapsed time from `start` to `due`."""
    _require_aware(start, "start")
    _require_aware(due, "due")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction must be between 0 and 1, got {fraction}")
    return _shift(start, (due - start) * fraction)


def judge_notice(rule: RuleSpec, *, notice_at: datetime | None, event_start: datetime) -> NoticeJudgement:
    """Judge an advance notice against an ADVANCE_DAYS or ADVANCE_HOURS rule."""
    _require_aware(event_start, "event_start")
    if notice_at is not None:
        _require_aware(notice_at, "notice_at")
    if rule.unit not in (Unit.ADVANCE_DAYS, Unit.ADVANCE_HOURS):
        raise ValueError(f"rule {rule.code}: judge_notice needs an advance-notice unit, not {rule.unit}")
    if rule.value < 0:
        raise ValueError(f"rule {rule.code}: value must be >= 0")

    by_days = rule.unit == Unit.ADVANCE_DAYS
    required = timedelta(days=rule.value) if by_days else timedelta(hours=rule.value)
    required_hours = required.total_seconds() / 3600
    latest = _shift(event_start, -required)
    requirement = f"提前{rule.value}日（{_fmt_hours(required_hours)}小时）" if by_days else f"提前{rule.value}小时"

    if notice_at is None:
        return NoticeJudgement(
            rule.code,
            NoticeState.VIOLATION,
            required_hours,
            0.0,
            round(required_hours, 2),
            latest,
            f"未发布通知（要求{requirement}）",
        )

    lead = event_start - notice_at
    lead_hours = round(lead.total_seconds() / 3600, 2)
    shortfall_hours = round(max(timedelta(0), required - lead).total_seconds() / 3600, 2)
    lead_text, short_text = _fmt_hours(lead_hours), _fmt_hours(shortfall_hours)

    if lead >= required:
        state = NoticeState.COMPLIANT
        note = f"提前{lead_text}小时发布，满足{requirement}要求"
    elif by_days and local_date(notice_at) <= local_date(event_start) - timedelta(days=rule.value):
        # Same calendar date as the statutory day but short in hours: an inspector decides.
        state = NoticeState.BORDERLINE
        note = f"按日期满足{requirement}，但仅提前{lead_text}小时，差{short_text}小时，需人工判定"
    elif lead < timedelta(0):
        state = NoticeState.VIOLATION
        note = f"通知晚于事件开始{_fmt_hours(-lead_hours)}小时，未满足{requirement}要求"
    else:
        state = NoticeState.VIOLATION
        note = f"仅提前{lead_text}小时发布，不足{requirement}，差{short_text}小时"
    return NoticeJudgement(rule.code, state, required_hours, lead_hours, shortfall_hours, latest, note)


def worst_state(states: Iterable[NoticeState]) -> NoticeState:
    """The most severe of `states` (violation > borderline > compliant); COMPLIANT if empty."""
    return max((NoticeState(s) for s in states), key=_NOTICE_SEVERITY.__getitem__, default=NoticeState.COMPLIANT)
