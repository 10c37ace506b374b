"""The ORM side of the calendar: load it for the pure deadline engine, seed it from chinesecalendar."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Max

from portal.choices import DayKind
from portal.deadlines import CalendarData, calendar_from_chinese_calendar
from portal.models import CalendarDay, CalendarYear

_cache: dict[str, object] = {}


def get_calendar() -> CalendarData:
    """The calendar as data; rebuilt only when the stored days or years change (any process edits it).
    Inside `portal.selectors.batch()` the change check runs once for the whole batch."""
    from portal.selectors import batch_cached

    return batch_cached("calendar", _current_calendar)


def _current_calendar() -> CalendarData:
    fingerprint = (
        tuple(CalendarDay.objects.aggregate(n=Count("id"), m=Max("updated_at")).values()),
        tuple(CalendarYear.objects.aggregate(n=Count("year"), m=Max("loaded_at"), s=Max("year")).values()),
    )
    if _cache.get("fingerprint") != fingerprint:
        holidays: dict = {}
        workdays: dict = {}
        for d, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
            (holidays if kind == DayKind.HOLIDAY else workdays)[d] = name
        years = frozenset(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
        _cache["data"] = CalendarData(holidays=holidays, workdays=workdays, years=years)
        _cache["fingerprint"] = fingerprint
    return _cache["data"]  # type: ignore[return-value]


def library_years() -> list[int]:
    """The years the installed chinesecalendar has complete data for."""
    import chinese_calendar

    years = sorted({d.year for d in chinese_calendar.constants.holidays})
    return years


@transaction.atomic
def calendar_seed(*, years: Iterable[int] | None = None, replace: bool = False) -> dict[int, int]:
    """Load years from chinesecalendar. Existing years are left alone unless `replace` (a regulator's
    edits are data too). Returns {year: days written}."""
    import chinese_calendar

    wanted = sorted(set(years) if years is not None else set(library_years()))
    source = f"chinesecalendar {chinese_calendar.__version__}"
    written: dict[int, int] = {}
    for year in wanted:
        if CalendarYear.objects.filter(year=year).exists() and not replace:
            continue
        data = calendar_from_chinese_calendar([year])
        CalendarDay.objects.filter(date__year=year).delete()
        rows = [CalendarDay(date=d, kind=DayKind.HOLIDAY, name=n) for d, n in data.holidays.items() if d.year == year]
        rows += [
            CalendarDay(date=d, kind=DayKind.ADJUSTED_WORKDAY, name=n)
            for d, n in data.workdays.items()
            if d.year == year
        ]
        CalendarDay.objects.bulk_create(rows)
        CalendarYear.objects.update_or_create(year=year, defaults={"source": source, "complete": True})
        written[year] = len(rows)
    return written
