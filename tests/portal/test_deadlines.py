"""Tests for portal.deadlines against the real 2025 and 2026 mainland China calendars.

Every expected date below was checked against chinesecalendar 1.11 (`is_workday`), not
written from memory.
"""

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.deadlines import (
    SHANGHAI,
    CalendarData,
    DeadlineState,
    NoticeState,
    RuleSpec,
    Unit,
    calendar_from_chinese_calendar,
    compute_deadline,
    deadline_state,
    end_of_day,
    fixed_date_deadline,
    fraction_instant,
    judge_notice,
    local_date,
    worst_state,
)

CAL = calendar_from_chinese_calendar([2025, 2026])

CONTACT = RuleSpec("complaint.contact", 1, Unit.WORKING_DAYS, title="1个工作日内联系客户")
REPLY = RuleSpec("complaint.reply", 7, Unit.WORKING_DAYS, title="7个工作日内答复")
STATUTORY_REPLY = RuleSpec("complaint.reply.statutory", 10, Unit.WORKING_DAYS)
METER = RuleSpec("meter.test_result", 5, Unit.WORKING_DAYS)
PLANNED = RuleSpec("outage.planned.notice", 7, Unit.ADVANCE_DAYS)
TEMPORARY = RuleSpec("outage.temporary.notice", 24, Unit.ADVANCE_HOURS)
RESTRICTION = RuleSpec("outage.restriction.notice", 1, Unit.ADVANCE_DAYS)
RECONNECT = RuleSpec(
    "arrears.reconnection",
    2,
    Unit.RECONNECTION,
    params={"night_from": "22:00", "night_until": "08:00", "next_morning_by": "10:00"},
)


@pytest.fixture(scope="module")
def cal() -> CalendarData:
    return calendar_from_chinese_calendar([2025, 2026])


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def wd(n: int) -> RuleSpec:
    return RuleSpec(f"test.wd{n}", n, Unit.WORKING_DAYS)


# --------------------------------------------------------------------------- calendar


@pytest.mark.parametrize(
    ("day", "kind", "working", "name"),
    [
        (date(2026, 10, 1), "holiday", False, "国庆节"),
        (date(2026, 10, 10), "adjusted_workday", True, "国庆节"),
        (date(2026, 9, 25), "holiday", False, "中秋"),
        (date(2025, 10, 6), "holiday", False, "中秋"),
        (date(2025, 9, 28), "adjusted_workday", True, "国庆节"),
        (date(2026, 1, 4), "adjusted_workday", True, "元旦"),
        (date(2026, 10, 11), "weekend", False, ""),
        (date(2026, 10, 9), "workday", True, ""),
    ],
)
def test_calendar_day_kinds_follow_the_state_council_schedule(
    cal: CalendarData, day: date, kind: str, working: bool, name: str
) -> None:
    assert cal.day_kind(day) == kind
    assert cal.is_working_day(day) is working
    assert cal.name_of(day) == name


def test_calendar_only_marks_listed_years_as_known(cal: CalendarData) -> None:
    assert cal.years == frozenset({2025, 2026})
    assert not any(d.year == 2024 for d in cal.holidays)
    assert all(d.weekday() >= 5 for d in cal.workdays)
    # Unknown year: weekends only, so 2027 New Year's Day (a Friday) is provisionally a working day.
    assert not cal.is_known(date(2027, 1, 1))
    assert cal.is_working_day(date(2027, 1, 1))
    assert cal.day_kind(date(2027, 1, 2)) == "weekend"


def test_calendar_from_chinese_calendar_refuses_a_year_without_data() -> None:
    with pytest.raises(ValueError, match="2027"):
        calendar_from_chinese_calendar([2026, 2027])


# --------------------------------------------------------------------------- working days


@pytest.mark.parametrize(
    ("start", "rule", "due_day"),
    [
        # National Day / Mid-Autumn 2026: 10-01..10-07 off, 10-10 (Sat) worked.
        (sh(2026, 9, 30, 14), REPLY, date(2026, 10, 15)),
        (sh(2026, 9, 30, 14), CONTACT, date(2026, 10, 8)),
        (sh(2026, 9, 24, 9), STATUTORY_REPLY, date(2026, 10, 15)),
        (sh(2026, 9, 18, 23, 59), CONTACT, date(2026, 9, 20)),  # Sunday 09-20 is worked
        (sh(2026, 9, 24, 9), CONTACT, date(2026, 9, 28)),  # Mid-Autumn 09-25..27
        # National Day 2025: 10-01..10-08 off, 09-28 and 10-11 worked.
        (sh(2025, 9, 30, 10), CONTACT, date(2025, 10, 9)),
        (sh(2025, 9, 30, 10), REPLY, date(2025, 10, 16)),
        (sh(2025, 9, 28, 9), CONTACT, date(2025, 9, 29)),  # start on an adjusted working day
        (sh(2025, 9, 28, 9), METER, date(2025, 10, 11)),  # lands on the adjusted Saturday
        # Spring Festival 2025: 01-28..02-04 off, 01-26 and 02-08 worked.
        (sh(2025, 1, 27, 23, 59), CONTACT, date(2025, 2, 5)),
        (sh(2025, 1, 27, 23, 59), REPLY, date(2025, 2, 12)),
        (sh(2025, 1, 24, 17), CONTACT, date(2025, 1, 26)),
        # Spring Festival 2026: 02-15..02-23 off, 02-14 and 02-28 worked.
        (sh(2026, 2, 13, 16), CONTACT, date(2026, 2, 14)),
        (sh(2026, 2, 13, 16), wd(2), date(2026, 2, 24)),
        (sh(2026, 2, 13, 16), METER, date(2026, 2, 27)),
        (sh(2026, 2, 13, 16), STATUTORY_REPLY, date(2026, 3, 5)),
        (sh(2026, 2, 27, 18), CONTACT, date(2026, 2, 28)),
        # Qingming.
        (sh(2025, 4, 3, 23, 59), CONTACT, date(2025, 4, 7)),
        (sh(2026, 4, 3, 11), CONTACT, date(2026, 4, 7)),
        # Labour Day 2025: 05-01..05-05 off, 04-27 (Sun) worked.
        (sh(2025, 4, 25, 18), CONTACT, date(2025, 4, 27)),
        (sh(2025, 4, 30, 10), CONTACT, date(2025, 5, 6)),
        (sh(2025, 4, 30, 10), METER, date(2025, 5, 12)),
        # Labour Day 2026: 05-01..05-05 off, 05-09 (Sat) worked.
        (sh(2026, 4, 30, 10), METER, date(2026, 5, 11)),
        # Dragon Boat.
        (sh(2025, 5, 30, 15), CONTACT, date(2025, 6, 3)),
        (sh(2026, 6, 18, 15), CONTACT, date(2026, 6, 22)),
        # New Year 2026: 01-01..01-03 off, 01-04 (Sun) worked.
        (sh(2025, 12, 31, 15), CONTACT, date(2026, 1, 4)),
        # Ordinary Friday, midnight, holiday start.
        (sh(2026, 3, 13, 17, 30), CONTACT, date(2026, 3, 16)),
        (sh(2026, 10, 8, 0, 0), CONTACT, date(2026, 10, 9)),
        (sh(2026, 10, 3, 11), CONTACT, date(2026, 10, 8)),
        (sh(2026, 10, 3, 11), wd(3), date(2026, 10, 10)),
    ],
)
def test_working_day_deadline_is_end_of_nth_working_day(
    cal: CalendarData, start: datetime, rule: RuleSpec, due_day: date
) -> None:
    result = compute_deadline(rule, start, cal)
    assert result.due == end_of_day(due_day)
    assert result.due.tzinfo == SHANGHAI
    assert result.provisional is False
    assert result.at_risk == datetime.combine(due_day, start.timetz())


def test_reply_trace_over_national_day_2026_shows_every_date(cal: CalendarData) -> None:
    result = compute_deadline(REPLY, sh(2026, 9, 30, 14), cal)
    assert result.due.isoformat() == "2026-10-15T23:59:59.999999+08:00"
    steps = {s.date: s for s in result.trace}
    assert [s.date for s in result.trace] == [date(2026, 9, 30) + timedelta(days=i) for i in range(16)]
    assert steps[date(2026, 9, 30)].counted is None
    assert steps[date(2026, 9, 30)].note == "起算日当天不计"
    for day in range(1, 8):
        step = steps[date(2026, 10, day)]
        assert (step.kind, step.counted, step.note) == ("holiday", None, "法定节假日：国庆节，不计")
    assert steps[date(2026, 10, 10)].kind == "adjusted_workday"
    assert steps[date(2026, 10, 10)].counted == 3
    assert steps[date(2026, 10, 10)].note == "第3个工作日（调休上班：国庆节）"
    assert steps[date(2026, 10, 11)].note == "周末，不计"
    assert [s.counted for s in result.trace if s.counted] == list(range(1, 8))
    assert not any(s.provisional for s in result.trace)


def test_start_is_read_in_shanghai_local_time(cal: CalendarData) -> None:
    # 15:59 UTC is 23:59 Thursday in Shanghai, 16:00 UTC is already Friday.
    thursday_night = datetime(2026, 3, 12, 15, 59, tzinfo=UTC)
    friday_midnight = datetime(2026, 3, 12, 16, 0, tzinfo=UTC)
    assert compute_deadline(CONTACT, thursday_night, cal).due == end_of_day(date(2026, 3, 13))
    assert compute_deadline(CONTACT, friday_midnight, cal).due == end_of_day(date(2026, 3, 16))
    assert compute_deadline(CONTACT, friday_midnight, cal).start.isoformat() == "2026-03-13T00:00:00+08:00"


def test_late_evening_start_gets_at_risk_at_same_clock_time(cal: CalendarData) -> None:
    result = compute_deadline(CONTACT, sh(2026, 9, 30, 23, 59, 59), cal)
    assert result.at_risk == sh(2026, 10, 8, 23, 59, 59)
    assert result.at_risk <= result.due


@pytest.mark.parametrize(
    ("start", "rule", "due_day"),
    [
        (sh(2026, 12, 25, 10), STATUTORY_REPLY, date(2027, 1, 8)),
        (sh(2026, 12, 31, 10), CONTACT, date(2027, 1, 1)),
    ],
)
def test_span_into_unloaded_2027_is_provisional(
    cal: CalendarData, start: datetime, rule: RuleSpec, due_day: date
) -> None:
    result = compute_deadline(rule, start, cal)
    assert result.due == end_of_day(due_day)  # weekends only: a guess, hence provisional
    assert result.provisional is True
    assert any("2027年节假日安排未载入" in note for note in result.notes)
    assert all(s.provisional == (s.date.year == 2027) for s in result.trace)


def test_span_inside_2026_is_not_provisional(cal: CalendarData) -> None:
    result = compute_deadline(STATUTORY_REPLY, sh(2026, 12, 1, 10), cal)
    assert result.due == end_of_day(date(2026, 12, 15))
    assert result.provisional is False
    assert not any("未载入" in note for note in result.notes)


def test_unloaded_start_day_alone_does_not_make_it_provisional(cal: CalendarData) -> None:
    # The start day is never counted, so its unknown kind cannot change the result.
    result = compute_deadline(CONTACT, sh(2024, 12, 31, 10), cal)
    assert result.due == end_of_day(date(2025, 1, 2))
    assert result.provisional is False
    assert result.trace[0].provisional is True


def test_working_day_walk_is_bounded(cal: CalendarData) -> None:
    with pytest.raises(ValueError, match="working days"):
        compute_deadline(wd(5000), sh(2026, 1, 5, 9), cal)


@settings(max_examples=300, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2025, 1, 1),  # hypothesis: naive bounds + timezones
        max_value=datetime(2026, 12, 31, 23, 59, 59),
        timezones=st.just(SHANGHAI),
    ),
    n=st.integers(min_value=1, max_value=30),
)
def test_working_day_properties_hold_for_any_start(start: datetime, n: int) -> None:
    result = compute_deadline(wd(n), start, CAL)
    assert result.at_risk is not None
    assert start < result.at_risk <= result.due
    due_day = local_date(result.due)
    assert result.due == end_of_day(due_day)
    assert result.provisional == (due_day.year >= 2027)
    if due_day.year <= 2026:
        # Independent oracle: the library's own is_workday.
        days = [start.date() + timedelta(days=i) for i in range(1, (due_day - start.date()).days + 1)]
        assert sum(chinese_calendar.is_workday(d) for d in days) == n
        assert chinese_calendar.is_workday(due_day)


# --------------------------------------------------------------------------- calendar days


@pytest.mark.parametrize(
    ("start", "n", "due_day", "moved"),
    [
        (sh(2026, 9, 28, 9), 5, date(2026, 10, 8), True),  # 10-03 is 国庆节
        (sh(2025, 9, 24, 9), 3, date(2025, 9, 28), True),  # Sat 09-27 → adjusted Sunday 09-28
        (sh(2026, 3, 10, 9), 4, date(2026, 3, 16), True),  # Saturday → Monday
        (sh(2026, 3, 10, 9), 3, date(2026, 3, 13), False),
        (sh(2026, 10, 5, 9), 5, date(2026, 10, 10), False),  # adjusted Saturday is a working day
        (sh(2026, 2, 10, 9), 10, date(2026, 2, 24), True),  # Spring Festival 2026
        (sh(2025, 1, 25, 9), 5, date(2025, 2, 5), True),  # Spring Festival 2025
    ],
)
def test_calendar_days_move_off_a_rest_day(
    cal: CalendarData, start: datetime, n: int, due_day: date, moved: bool
) -> None:
    result = compute_deadline(RuleSpec("test.days", n, Unit.CALENDAR_DAYS), start, cal)
    assert result.due == end_of_day(due_day)
    assert result.at_risk is None
    assert result.provisional is False
    assert ("截止日为休息日，顺延至下一个工作日" in result.notes) is moved
    assert result.trace[0].note == "起算日当天不计"
    assert [s.counted for s in result.trace[1 : n + 1]] == list(range(1, n + 1))


def test_calendar_days_into_2027_are_provisional(cal: CalendarData) -> None:
    result = compute_deadline(RuleSpec("test.days", 15, Unit.CALENDAR_DAYS), sh(2026, 12, 20, 9), cal)
    assert result.due == end_of_day(date(2027, 1, 4))
    assert result.provisional is True


# --------------------------------------------------------------------------- elapsed time


def test_hours_run_through_a_holiday(cal: CalendarData) -> None:
    rule = RuleSpec("complaint.contact.95598", 24, Unit.HOURS)
    result = compute_deadline(rule, sh(2026, 9, 30, 20), cal)
    assert result.due == sh(2026, 10, 1, 20)
    assert result.provisional is False
    assert result.at_risk is None


def test_minutes_cross_midnight_and_year_without_calendar(cal: CalendarData) -> None:
    rule = RuleSpec("repair.arrival.urban", 45, Unit.MINUTES)
    result = compute_deadline(rule, datetime(2026, 12, 31, 15, 30, tzinfo=UTC), cal)
    assert result.due == sh(2027, 1, 1, 0, 15)
    assert result.due.isoformat() == "2027-01-01T00:15:00+08:00"
    assert result.provisional is False


@pytest.mark.parametrize(
    ("rule", "due"),
    [(PLANNED, sh(2026, 3, 3, 8)), (TEMPORARY, sh(2026, 3, 9, 8))],
)
def test_advance_rule_gives_latest_compliant_notice(cal: CalendarData, rule: RuleSpec, due: datetime) -> None:
    assert compute_deadline(rule, sh(2026, 3, 10, 8), cal).due == due


# --------------------------------------------------------------------------- reconnection


@pytest.mark.parametrize(
    ("paid", "due", "night"),
    [
        (sh(2026, 3, 10, 21, 59), sh(2026, 3, 10, 23, 59), False),
        (sh(2026, 3, 10, 22, 0), sh(2026, 3, 11, 10, 0), True),
        (sh(2026, 3, 10, 23, 30), sh(2026, 3, 11, 10, 0), True),
        (sh(2026, 3, 11, 2, 0), sh(2026, 3, 11, 10, 0), True),
        (sh(2026, 3, 11, 7, 59), sh(2026, 3, 11, 10, 0), True),
        (sh(2026, 3, 11, 8, 0), sh(2026, 3, 11, 10, 0), False),
        (sh(2026, 10, 1, 12, 0), sh(2026, 10, 1, 14, 0), False),  # holidays change nothing
        (sh(2026, 12, 31, 22, 30), sh(2027, 1, 1, 10, 0), True),
    ],
)
def test_reconnection_night_rule(cal: CalendarData, paid: datetime, due: datetime, night: bool) -> None:
    result = compute_deadline(RECONNECT, paid, cal)
    assert result.due == due
    assert result.provisional is False
    assert any(note.startswith("夜间缴费规则") for note in result.notes) is night


def test_reconnection_note_after_22_names_next_morning(cal: CalendarData) -> None:
    result = compute_deadline(RECONNECT, sh(2026, 3, 10, 22, 0), cal)
    assert "夜间缴费规则：22:00 后缴费，次日 10:00 前复电" in result.notes


def test_reconnection_defaults_and_custom_params(cal: CalendarData) -> None:
    bare = RuleSpec("arrears.reconnection", 2, Unit.RECONNECTION)
    assert compute_deadline(bare, sh(2026, 3, 10, 22, 0), cal).due == sh(2026, 3, 11, 10, 0)
    custom = RuleSpec("x", 2, Unit.RECONNECTION, params={"night_from": "21:00", "next_morning_by": "09:30"})
    assert compute_deadline(custom, sh(2026, 3, 10, 21, 30), cal).due == sh(2026, 3, 11, 9, 30)


def test_reconnection_rejects_bad_params(cal: CalendarData) -> None:
    rule = RuleSpec("x", 2, Unit.RECONNECTION, params={"night_from": "25:00"})
    with pytest.raises(ValueError, match="HH:MM"):
        compute_deadline(rule, sh(2026, 3, 10, 12), cal)


# --------------------------------------------------------------------------- fixed dates


@pytest.mark.parametrize(
    ("on", "rest_day"),
    [
        (date(2025, 6, 8), True),  # Sunday: 003's internal deadline 6-8
        (date(2026, 10, 1), True),  # 国庆节
        (date(2026, 10, 10), False),  # adjusted working Saturday
        (date(2026, 5, 20), False),
    ],
)
def test_fixed_date_is_never_moved(cal: CalendarData, on: date, rest_day: bool) -> None:
    result = fixed_date_deadline("campaign.self_check_report", on, cal)
    assert result.due == end_of_day(on)
    assert result.rest_day is rest_day
    assert ("截止日为休息日（不顺延）" in result.notes) is rest_day
    assert result.provisional is False


def test_fixed_date_in_unloaded_year_is_provisional(cal: CalendarData) -> None:
    result = fixed_date_deadline("connection.h2_data", date(2027, 1, 15), cal)
    assert result.due == end_of_day(date(2027, 1, 15))
    assert result.provisional is True


# --------------------------------------------------------------------------- states


DUE = end_of_day(date(2026, 10, 15))
AT_RISK = sh(2026, 10, 15, 14)


@pytest.mark.parametrize(
    ("done_at", "now", "state"),
    [
        (DUE, DUE + timedelta(days=3), DeadlineState.MET),
        (DUE + timedelta(microseconds=1), DUE + timedelta(days=3), DeadlineState.MET_LATE),
        (AT_RISK + timedelta(hours=1), DUE, DeadlineState.MET),  # after the at-risk point is still on time
        (None, AT_RISK - timedelta(microseconds=1), DeadlineState.ON_TIME),
        (None, AT_RISK, DeadlineState.AT_RISK),
        (None, DUE, DeadlineState.AT_RISK),
        (None, DUE + timedelta(microseconds=1), DeadlineState.OVERDUE),
    ],
)
def test_deadline_state_boundaries(done_at: datetime | None, now: datetime, state: DeadlineState) -> None:
    assert deadline_state(due=DUE, at_risk=AT_RISK, done_at=done_at, now=now) == state


def test_deadline_state_uses_earliest_warning() -> None:
    warn = fraction_instant(sh(2026, 9, 30, 14), DUE, 0.8)
    assert warn < AT_RISK
    assert deadline_state(due=DUE, at_risk=AT_RISK, done_at=None, now=warn, warn_at=warn) == "at_risk"
    assert deadline_state(due=DUE, at_risk=None, done_at=None, now=warn, warn_at=None) == "on_time"


def test_deadline_state_compares_instants_not_wall_clocks() -> None:
    done_utc = DUE.astimezone(UTC)  # same instant as the deadline, written in UTC
    assert deadline_state(due=DUE, at_risk=None, done_at=done_utc, now=DUE) == DeadlineState.MET


def test_fraction_instant() -> None:
    start, due = sh(2026, 3, 1, 0), sh(2026, 3, 11, 0)
    assert fraction_instant(start, due, 0.8) == sh(2026, 3, 9, 0)
    assert fraction_instant(start, due, 0) == start
    assert fraction_instant(start, due, 1) == due
    with pytest.raises(ValueError, match="fraction"):
        fraction_instant(start, due, 1.5)


# --------------------------------------------------------------------------- advance notices


EVENT = sh(2026, 3, 10, 8)


@pytest.mark.parametrize(
    ("rule", "notice_at", "state", "lead", "shortfall"),
    [
        (PLANNED, sh(2026, 3, 3, 8), NoticeState.COMPLIANT, 168.0, 0.0),  # exactly 7×24 h
        (PLANNED, sh(2026, 3, 3, 9), NoticeState.BORDERLINE, 167.0, 1.0),
        (PLANNED, sh(2026, 3, 3, 23, 59), NoticeState.BORDERLINE, 152.02, 15.98),
        (PLANNED, sh(2026, 3, 4, 0, 0), NoticeState.VIOLATION, 152.0, 16.0),
        (PLANNED, sh(2026, 3, 4, 8), NoticeState.VIOLATION, 144.0, 24.0),  # 6 days ahead
        (PLANNED, sh(2026, 3, 10, 9, 30), NoticeState.VIOLATION, -1.5, 169.5),  # after the start
        (TEMPORARY, sh(2026, 3, 9, 8), NoticeState.COMPLIANT, 24.0, 0.0),
        (TEMPORARY, sh(2026, 3, 9, 9), NoticeState.VIOLATION, 23.0, 1.0),
        (TEMPORARY, sh(2026, 3, 9, 8, 1), NoticeState.VIOLATION, 23.98, 0.02),  # no borderline for hours
        (RESTRICTION, sh(2026, 3, 9, 10), NoticeState.BORDERLINE, 22.0, 2.0),
    ],
)
def test_judge_notice(rule: RuleSpec, notice_at: datetime, state: NoticeState, lead: float, shortfall: float) -> None:
    result = judge_notice(rule, notice_at=notice_at, event_start=EVENT)
    assert result.state == state
    assert result.lead_hours == lead
    assert result.shortfall_hours == shortfall
    assert result.required_hours == (168.0 if rule is PLANNED else 24.0)


def test_borderline_example_from_the_brief() -> None:
    result = judge_notice(PLANNED, notice_at=sh(2026, 3, 3, 9), event_start=EVENT)
    assert result.state == NoticeState.BORDERLINE
    assert result.latest_compliant == sh(2026, 3, 3, 8)
    assert "人工判定" in result.note
    data = result.as_dict()
    assert data["state"] == "borderline"
    assert data["latest_compliant"] == "2026-03-03T08:00:00+08:00"
    json.dumps(data)


def test_notice_dates_are_shanghai_dates() -> None:
    # 23:00 UTC on 03-03 is already 03-04 07:00 in Shanghai: six local days ahead, not seven.
    notice = datetime(2026, 3, 3, 23, 0, tzinfo=UTC)
    event = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)  # 03-10 09:00 Shanghai
    assert judge_notice(PLANNED, notice_at=notice, event_start=event).state == NoticeState.VIOLATION


def test_notice_after_start_has_negative_lead() -> None:
    result = judge_notice(PLANNED, notice_at=EVENT + timedelta(hours=2), event_start=EVENT)
    assert result.state == NoticeState.VIOLATION
    assert result.lead_hours == -2.0
    assert "晚于" in result.note


def test_missing_notice_is_a_violation() -> None:
    result = judge_notice(TEMPORARY, notice_at=None, event_start=EVENT)
    assert result.state == NoticeState.VIOLATION
    assert "未发布通知" in result.note
    assert result.shortfall_hours == 24.0


def test_judge_notice_needs_an_advance_rule() -> None:
    with pytest.raises(ValueError, match="advance"):
        judge_notice(REPLY, notice_at=sh(2026, 3, 1, 8), event_start=EVENT)


def test_worst_state_orders_violation_over_borderline_over_compliant() -> None:
    assert worst_state([]) == NoticeState.COMPLIANT
    assert worst_state([NoticeState.COMPLIANT, NoticeState.BORDERLINE]) == NoticeState.BORDERLINE
    assert worst_state([NoticeState.BORDERLINE, NoticeState.VIOLATION, NoticeState.COMPLIANT]) == "violation"


# --------------------------------------------------------------------------- serialisation and errors


def test_deadline_as_dict_is_json_ready(cal: CalendarData) -> None:
    data = compute_deadline(REPLY, datetime(2026, 9, 30, 6, 0, tzinfo=UTC), cal).as_dict()
    assert data["rule"] == "complaint.reply"
    assert data["start"] == "2026-09-30T14:00:00+08:00"
    assert data["due"] == "2026-10-15T23:59:59.999999+08:00"
    assert data["at_risk"] == "2026-10-15T14:00:00+08:00"
    assert data["trace"][10] == {
        "date": "2026-10-10",
        "kind": "adjusted_workday",
        "counted": 3,
        "note": "第3个工作日（调休上班：国庆节）",
        "provisional": False,
    }
    assert data["rest_day"] is False
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


NAIVE = datetime(2026, 3, 10, 8, 0)  # deliberately naive


@pytest.mark.parametrize(
    "call",
    [
        lambda: compute_deadline(REPLY, NAIVE, CAL),
        lambda: local_date(NAIVE),
        lambda: deadline_state(due=NAIVE, at_risk=None, done_at=None, now=EVENT),
        lambda: fraction_instant(NAIVE, DUE, 0.5),
        lambda: judge_notice(PLANNED, notice_at=NAIVE, event_start=EVENT),
    ],
)
def test_naive_datetimes_are_refused(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


def test_invalid_rules_are_refused() -> None:
    with pytest.raises(ValueError, match=">= 0"):
        RuleSpec("x", -1, Unit.WORKING_DAYS)
    with pytest.raises(ValueError):
        RuleSpec("x", 1, "fortnights")  # type: ignore[arg-type]
    assert RuleSpec("x", 1, "working_days").unit is Unit.WORKING_DAYS  # type: ignore[arg-type]


def test_other_offsets_give_the_same_instant(cal: CalendarData) -> None:
    tokyo = timezone(timedelta(hours=9))
    result = compute_deadline(CONTACT, datetime(2026, 9, 30, 15, tzinfo=tokyo), cal)
    assert result.start == sh(2026, 9, 30, 14)
    assert result.due == end_of_day(date(2026, 10, 8))


@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(SHANGHAI)),
    value=st.integers(min_value=0, max_value=30),
    unit=st.sampled_from([Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.HOURS]),
)
@settings(max_examples=300, deadline=None)
def test_without_the_explanation_the_instants_are_the_same(start: datetime, value: int, unit: Unit) -> None:
    """The bulk form (no trace, walks reused across deadlines of one day) never judges differently."""
    cal = calendar_from_chinese_calendar([2025, 2026])
    rule = RuleSpec("x", value, unit)
    full = compute_deadline(rule, start, cal)
    for _ in range(2):  # the second time from the calendar's stored walk
        quick = compute_deadline(rule, start, cal, explain=False)
        assert (quick.due, quick.at_risk, quick.provisional) == (full.due, full.at_risk, full.provisional)
