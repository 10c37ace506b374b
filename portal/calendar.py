"""The ORM side of the calendar: load it for the pure deadline engine, seed it from chinesecalendar,
save a year as a regulator admin enters it, and say which years are missing."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from portal.choices import DayKind
from portal.deadlines import CalendarData, Deadline, calendar_from_chinese_calendar, compute_deadline
from portal.models import CalendarChange, CalendarDay, CalendarYear, Rule, TrackedDeadline, User
from portal.selectors import reference_cached
from portal.tasks import calendar_rejudge

# From this day of December, next year's arrangement is expected (the State Council publishes it in
# late October to November), and its absence is reported.
NEXT_YEAR_EXPECTED_FROM = (12, 1)


def get_calendar() -> CalendarData:
    """The calendar as data; rebuilt only when the stored days or years change (any process edits it).
    Inside `portal.selectors.batch()` the change check runs once for the whole batch."""
    return reference_cached("calendar", _load_calendar)


def _load_calendar() -> CalendarData:
    holidays: dict = {}
    workdays: dict = {}
    for d, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
        (holidays if kind == DayKind.HOLIDAY else workdays)[d] = name
    years = frozenset(CalendarYear.objects.filter(complete=True).values_list("year", flat=True))
    return CalendarData(holidays=holidays, workdays=workdays, years=years)


def deadline_explain(*, rule: Rule, start: datetime) -> Deadline:
    """Recompute a deadline with its trace against the stored calendar, for the 'explain this deadline' views."""
    return compute_deadline(rule.spec(), start, get_calendar())


def calendar_missing_years(today: date | None = None) -> list[int]:
    """Years whose arrangement should be loaded by now and is not: the current year, and from
    1 December the next one. Deadlines that touch them are computed with weekends only (provisional)."""
    today = today or timezone.localdate()
    wanted = [today.year]
    if (today.month, today.day) >= NEXT_YEAR_EXPECTED_FROM:
        wanted.append(today.year + 1)
    loaded = set(CalendarYear.objects.filter(year__in=wanted, complete=True).values_list("year", flat=True))
    return [y for y in wanted if y not in loaded]


def library_years() -> list[int]:
    """The years the installed chinesecalendar has complete data for."""
    import chinese_calendar

    return sorted({d.year for d in chinese_calendar.constants.holidays})


@dataclass(frozen=True)
class Day:
    """One day of a year's arrangement as entered or loaded."""

    date: date
    kind: str
    name: str


def year_days(year: int) -> list[Day]:
    return [Day(d.date, d.kind, d.name) for d in CalendarDay.objects.filter(date__year=year)]


def _library_days(year: int) -> list[Day]:
    data = calendar_from_chinese_calendar([year])
    days = [Day(d, DayKind.HOLIDAY, n) for d, n in data.holidays.items() if d.year == year]
    days += [Day(d, DayKind.ADJUSTED_WORKDAY, n) for d, n in data.workdays.items() if d.year == year]
    return sorted(days, key=lambda x: x.date)


def every_date_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


@transaction.atomic
def calendar_seed(*, years=None, replace: bool = False, acting_user: User | None = None) -> dict[int, int]:
    """Load years from chinesecalendar (what `migrate` does for every year the library has, and what
    `seed_calendar` does after a library upgrade). Years already loaded are left alone unless `replace`
    (a regulator's edits are data too). Open deadlines touching a loaded year are judged again.
    Returns {year: days written}."""
    import chinese_calendar

    wanted = sorted(set(years) if years is not None else set(library_years()))
    source = f"chinesecalendar {chinese_calendar.__version__}"
    written: dict[int, int] = {}
    changed: list[date] = []
    for year in wanted:
        if CalendarYear.objects.filter(year=year).exists() and not replace:
            continue
        days = _library_days(year)
        changed += _save_year(year, days, {"source": source}, acting_user)
        written[year] = len(days)
    if changed and TrackedDeadline.objects.exists():
        years_text = f"{min(written)}–{max(written)}" if len(written) > 1 else str(min(written))
        rejudge_queue(
            year=min(written) if len(written) == 1 else None,
            dates=changed,
            reason=_("Calendar %(years)s loaded from %(source)s") % {"years": years_text, "source": source},
            acting_user=acting_user,
        )
    return written


def calendar_year_save(
    *,
    year: int,
    days: list[Day],
    title: str,
    number: str = "",
    announced_on: date | None = None,
    acting_user: User,
) -> CalendarChange | None:
    """Save a year's arrangement as a regulator admin entered it from the State Council's notice: the
    whole year at once or nothing. Every day it adds, removes or changes is in the days' history; open
    deadlines the change touches are judged again by a task (returned, None when nothing moved)."""
    if not (acting_user.is_superuser or acting_user.is_regulator_admin):
        raise ValidationError(_("Only regulator admins maintain the calendar."))
    validate_year_days(year, days)
    if not title.strip():
        raise ValidationError({"title": _("Name the announcement the arrangement comes from.")})
    source = f"{title.strip()} {number.strip()}".strip()[:200]
    fields = {
        "source": source,
        "announcement_title": title.strip()[:200],
        "announcement_number": number.strip()[:60],
        "announcement_date": announced_on,
    }
    with transaction.atomic():
        changed = _save_year(year, days, fields, acting_user)
        if not changed:
            return None
        reason = _("Calendar %(year)d saved: %(source)s") % {"year": year, "source": source}
        return rejudge_queue(year=year, dates=changed, reason=reason, acting_user=acting_user)


def validate_year_days(year: int, days: list[Day]) -> None:
    """A year's arrangement as a whole: dates in the year, each date once, 调休 only on weekends."""
    errors = []
    seen: dict[date, Day] = {}
    for day in days:
        if day.date.year != year:
            errors.append(
                _("%(date)s is not in %(year)d; enter it in that year's calendar.") % {"date": day.date, "year": year}
            )
        if day.date in seen:
            errors.append(_("%(date)s is entered twice.") % {"date": day.date})
        if day.kind == DayKind.ADJUSTED_WORKDAY and day.date.weekday() < 5:
            errors.append(
                _("%(date)s is a weekday; an adjusted working day is a Saturday or Sunday.") % {"date": day.date}
            )
        if day.kind not in DayKind.values:
            errors.append(_("%(date)s: choose a statutory holiday or an adjusted working day.") % {"date": day.date})
        if not day.name.strip():
            errors.append(_("%(date)s has no holiday name.") % {"date": day.date})
        seen[day.date] = day
    if not any(d.kind == DayKind.HOLIDAY for d in days):
        errors.append(_("A year's arrangement has at least one statutory holiday."))
    if errors:
        raise ValidationError(errors)


def _save_year(year: int, days: list[Day], fields: dict, acting_user: User | None) -> list[date]:
    """Write a year's days (history per day) and its source; return the dates whose kind changed
    (every date of the year when it was not known before)."""
    before = {d.date: d for d in CalendarDay.objects.filter(date__year=year)}
    after = {d.date: d for d in days}
    for when, old in before.items():
        new = after.get(when)
        if new is None:
            old._history_user = acting_user
            old.delete()
        elif (new.kind, new.name) != (old.kind, old.name):
            old.kind, old.name = new.kind, new.name[:40]
            old._history_user = acting_user
            old.save()
    added = [CalendarDay(date=d.date, kind=d.kind, name=d.name[:40]) for when, d in after.items() if when not in before]
    bulk_create_with_history(added, CalendarDay, default_user=acting_user)
    previous = CalendarYear.objects.filter(year=year).first()
    was_known = previous is not None and previous.complete
    entry = previous or CalendarYear(year=year)
    for key, value in {**fields, "complete": True}.items():
        setattr(entry, key, value)
    entry._history_user = acting_user
    entry.save()
    return _changed(year, before, after, was_known)


def calendar_change_dates(year: int, days: list[Day]) -> list[date]:
    """The dates whose deadlines saving `days` as the year's arrangement would judge again."""
    before = {d.date: d for d in CalendarDay.objects.filter(date__year=year)}
    known = CalendarYear.objects.filter(year=year, complete=True).exists()
    return _changed(year, before, {d.date: d for d in days}, known)


def _changed(year: int, before: dict, after: dict, was_known: bool) -> list[date]:
    if not was_known:
        return every_date_of(year)  # a year becomes known: weekends-only guesses give way to the notice
    return sorted(d for d in before.keys() | after.keys() if _kind(before, d) != _kind(after, d))


def rejudge_queue(*, year: int | None, dates: list[date], reason: str, acting_user: User | None) -> CalendarChange:
    """Record a change of days and have a task judge again the deadlines it touches (after commit)."""
    change = CalendarChange.objects.create(
        year=year, dates=[d.isoformat() for d in dates], reason=reason[:200], requested_by=acting_user
    )
    transaction.on_commit(lambda: calendar_rejudge.delay(change.pk))
    return change


def _kind(days: dict, d: date) -> str | None:
    return days[d].kind if d in days else None
