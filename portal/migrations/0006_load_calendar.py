"""Every year the installed chinesecalendar knows, loaded by `migrate` itself: any new database
(SQLite or PostgreSQL, demo, production or test) judges deadlines against the real calendar.

Its own copy of the loading code (historical models, no import of today's portal modules), so this
migration means the same thing in a year. Idempotent: a year already present — loaded earlier or
entered by a regulator admin — is never touched. On an existing database where deadlines were
computed without a calendar, the years it loads are queued for re-judgement (processed by the
`calendar_rejudge_pending` beat task).
"""

from datetime import date, timedelta

from django.db import migrations


def _chinese_name(value, holiday_enum) -> str:
    if isinstance(value, holiday_enum):
        return str(value.chinese)
    text = str(value)
    try:
        return str(holiday_enum(text).chinese)
    except ValueError:
        parts = text.split(",")
        return parts[1].strip() if len(parts) >= 2 else text


def load(apps, schema_editor):
    import chinese_calendar
    from chinese_calendar import constants

    Year = apps.get_model("portal", "CalendarYear")
    Day = apps.get_model("portal", "CalendarDay")
    Change = apps.get_model("portal", "CalendarChange")
    Deadline = apps.get_model("portal", "TrackedDeadline")
    years = sorted({d.year for d in constants.holidays})
    present = set(Year.objects.values_list("year", flat=True))
    source = f"chinesecalendar {chinese_calendar.__version__}"
    loaded = []
    for year in years:
        if year in present:
            continue
        rows = [
            Day(date=d, kind="holiday", name=_chinese_name(v, constants.Holiday)[:40])
            for d, v in constants.holidays.items()
            if d.year == year
        ]
        # Only weekend dates are 调休上班; a weekday listed there is an ordinary working day.
        rows += [
            Day(date=d, kind="adjusted_workday", name=_chinese_name(v, constants.Holiday)[:40])
            for d, v in constants.workdays.items()
            if d.year == year and d.weekday() >= 5
        ]
        Day.objects.filter(date__year=year).delete()
        Day.objects.bulk_create(rows)
        Year.objects.create(year=year, source=source, complete=True)
        loaded.append(year)
    if loaded and Deadline.objects.exists():
        for year in loaded:
            first = date(year, 1, 1)
            dates = [(first + timedelta(days=i)).isoformat() for i in range((date(year + 1, 1, 1) - first).days)]
            Change.objects.create(year=year, dates=dates, reason=f"{year} 年日历由 {source} 载入（迁移）")


class Migration(migrations.Migration):
    dependencies = [("portal", "0005_calendar_announcement_and_changes")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
