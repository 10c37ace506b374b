"""The calendar is data a regulator edits; deadlines follow the edit at once."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from portal.calendar import calendar_seed, get_calendar
from portal.choices import DayKind
from portal.deadlines import compute_deadline
from portal.models import CalendarDay, CalendarYear, Rule

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_seed_loads_years_with_source_and_keeps_edits():
    written = calendar_seed(years=[2026])
    assert written[2026] > 30
    year = CalendarYear.objects.get(year=2026)
    assert year.source.startswith("chinesecalendar")
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == DayKind.ADJUSTED_WORKDAY
    CalendarDay.objects.filter(date=date(2026, 10, 10)).update(name="edited")
    assert calendar_seed(years=[2026]) == {}
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).name == "edited"


@pytest.mark.django_db
def test_seed_command_is_idempotent():
    call_command("seed_calendar", "2025", "2026")
    n = CalendarDay.objects.count()
    call_command("seed_calendar", "2025", "2026")
    assert CalendarDay.objects.count() == n


@pytest.mark.django_db
def test_an_edited_day_changes_the_next_computation(calendar):
    rule = Rule.objects.get(code="complaint.contact")
    start = datetime(2026, 6, 1, 10, 0, tzinfo=SH)  # Monday
    assert compute_deadline(rule.spec(), start, get_calendar()).due.date() == date(2026, 6, 2)
    # The regulator records an extra holiday on 2 June (e.g. a local emergency arrangement).
    CalendarDay.objects.create(date=date(2026, 6, 2), kind=DayKind.HOLIDAY, name="临时调整")
    assert compute_deadline(rule.spec(), start, get_calendar()).due.date() == date(2026, 6, 3)


@pytest.mark.django_db
def test_without_any_calendar_everything_is_provisional(reference_data):
    """(reference_data: the rules come from a data migration that a transactional test may have flushed.)"""
    rule = Rule.objects.get(code="complaint.reply")
    result = compute_deadline(rule.spec(), datetime(2026, 9, 30, 14, tzinfo=SH), get_calendar())
    assert result.provisional is True
