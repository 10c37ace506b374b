"""The rule catalogue and the calendar are held in each process between requests; an edit made in any process
(the admin, the calendar page) is used by the very next deadline computed, and an unchanged catalogue costs one
query a request, not the catalogue's rows."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.calendar import get_calendar
from portal.choices import DayKind
from portal.models import CalendarDay, Rule
from portal.selectors import batch, rules_in_force

ON = date(2026, 6, 1)


def _reply_days(province_id=None) -> dict[str, int]:
    rules = rules_in_force(prefix="complaint.reply", on=ON, province_id=province_id)
    return {r.code: r.value for r in rules}


def test_an_unchanged_catalogue_is_one_query_a_request(calendar):
    _reply_days(), get_calendar()  # this process holds them now
    with CaptureQueriesContext(connection) as ctx, batch():
        _reply_days(), get_calendar(), _reply_days()
    assert len(ctx.captured_queries) == 1, [q["sql"][:80] for q in ctx.captured_queries]


def test_an_edited_rule_is_used_by_the_next_computation(calendar, world):
    assert _reply_days()["complaint.reply"] == 7
    rule = Rule.objects.get(code="complaint.reply", jurisdiction=None)
    rule.value = 5  # as the admin saves it (history row, no restart)
    rule.save()
    assert _reply_days()["complaint.reply"] == 5
    rule.is_active = False
    rule.save()
    assert "complaint.reply" not in _reply_days()


def test_a_new_or_deleted_provincial_rule_is_seen_at_once(calendar, world):
    national = Rule.objects.get(code="complaint.reply", jurisdiction=None)
    assert "complaint.reply.test" not in _reply_days(world.province_x.pk)
    added = Rule.objects.create(
        code="complaint.reply.test",
        title="省内答复",
        value=3,
        unit=national.unit,
        source_class=national.source_class,
        effective_from=date(2020, 1, 1),
        source="测试",
        jurisdiction=world.province_x,
    )
    assert _reply_days(world.province_x.pk)["complaint.reply.test"] == 3
    assert "complaint.reply.test" not in _reply_days(world.province_y.pk)
    added.delete()
    assert "complaint.reply.test" not in _reply_days(world.province_x.pk)


def test_a_calendar_day_entered_is_used_at_once(calendar):
    day = date(2026, 6, 3)
    assert day not in get_calendar().holidays
    CalendarDay.objects.create(date=day, kind=DayKind.HOLIDAY, name="测试假日")
    assert get_calendar().holidays[day] == "测试假日"
    CalendarDay.objects.filter(date=day).delete()
    assert day not in get_calendar().holidays
