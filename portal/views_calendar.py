"""Pages of the working-day calendar: the year at a glance with 'explain this deadline', and the
entry of a year's arrangement by a regulator admin (preview, then the whole year saved at once)."""

import calendar as pycal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.calendar import (
    Day,
    calendar_change_dates,
    calendar_year_save,
    get_calendar,
    validate_year_days,
    year_days,
)
from portal.calendar_files import Arrangement, Holiday, Workday, arrangement_of, parse_arrangement_file
from portal.choices import DayKind, DeadlineStatus
from portal.deadlines import compute_deadline
from portal.forms import CalendarFileForm, CalendarSourceForm, DeadlineExplainForm, HolidayFormSet, WorkdayFormSet
from portal.instants import InstantError, parse_year
from portal.models import CalendarChange, CalendarDay, CalendarYear
from portal.rejudge import deadlines_window
from portal.selectors import local_date, rule_for_code

# Empty rows below the entered ones: a notice lists seven holidays and about as many 调休 days.
TYPICAL_ROWS, BLANK_ROWS = 8, 3


def _year_or_404(raw) -> int:
    try:
        return parse_year(raw)
    except InstantError:
        raise Http404 from None


@login_required
def calendar_page(request):
    """The year's holidays and adjusted working days, where they came from, and 'explain this deadline'."""
    status = 200
    try:
        year = parse_year(request.GET.get("year"), default=timezone.localdate().year)
    except InstantError as exc:
        messages.error(request, str(exc))
        year, status = timezone.localdate().year, 400
    days = CalendarDay.objects.filter(date__year=year)
    form = DeadlineExplainForm(request.GET if "rule" in request.GET else None)
    result = rule = None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"]
        try:
            rule = rule_for_code(form.cleaned_data["rule"], on=local_date(start))
        except Exception:
            form.add_error("rule", _("No such rule in force on that date."))
        else:
            result = compute_deadline(rule.spec(), start, get_calendar())
    if form.is_bound and form.errors:
        status = 400  # the form says what is wrong
    return render(
        request,
        "portal/calendar.html",
        {
            "year": year,
            "days": days,
            "year_info": CalendarYear.objects.filter(year=year).first(),
            "form": form,
            "result": result,
            "rule": rule,
            "months": month_grid(year, {d.date: d for d in days}),
            "changes": CalendarChange.objects.select_related("requested_by")[:5],
            "may_edit": _may_edit(request.user),
        },
        status=status,
    )


def month_grid(year: int, special: dict) -> list[dict]:
    grid = []
    for month in range(1, 13):
        weeks = []
        for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for d in week:
                entry = special.get(d)
                kind = entry.kind if entry else ("weekend" if d.weekday() >= 5 else "workday")
                cells.append(
                    {"date": d, "in_month": d.month == month, "kind": kind, "name": entry.name if entry else ""}
                )
            weeks.append(cells)
        grid.append({"month": month, "weeks": weeks})
    return grid


def _may_edit(user) -> bool:
    return user.is_superuser or user.is_regulator_admin


def _formsets(arrangement: Arrangement | None = None, data=None):
    """The holiday and working-day rows: bound to a POST, or filled from an arrangement plus blank rows."""
    if data is not None:
        return HolidayFormSet(data, prefix="h"), WorkdayFormSet(data, prefix="w")
    arrangement = arrangement or Arrangement()
    holidays = [{"name": h.name, "start": h.start, "end": h.end} for h in arrangement.holidays]
    workdays = [{"name": w.name, "date": w.date} for w in arrangement.workdays]
    return (
        HolidayFormSet(initial=holidays + [{}] * max(BLANK_ROWS, TYPICAL_ROWS - len(holidays)), prefix="h"),
        WorkdayFormSet(initial=workdays + [{}] * max(BLANK_ROWS, TYPICAL_ROWS - len(workdays)), prefix="w"),
    )


def _arrangement_from(holiday_set, workday_set) -> Arrangement:
    out = Arrangement()
    for f in holiday_set:
        c = f.cleaned_data
        if c.get("name") and c.get("start"):
            out.holidays.append(Holiday(c["name"].strip(), c["start"], c.get("end") or c["start"]))
    for f in workday_set:
        c = f.cleaned_data
        if c.get("name") and c.get("date"):
            out.workdays.append(Workday(c["name"].strip(), c["date"]))
    return out


def _preview(year: int, days: list[Day]) -> dict:
    """What saving would do: the year as it would look, the days that change, the deadlines to re-judge."""
    before = {d.date: d for d in year_days(year)}
    after = {d.date: d for d in days}
    known = CalendarYear.objects.filter(year=year, complete=True).exists()
    changes = []
    for when in sorted(before.keys() | after.keys()):
        old, new = before.get(when), after.get(when)
        if (old and (old.kind, old.name)) != (new and (new.kind, new.name)):
            changes.append({"date": when, "old": old, "new": new})
    touched = calendar_change_dates(year, days)
    window = (
        deadlines_window(touched).aggregate(open=Count("id", filter=Q(status=DeadlineStatus.OPEN)), all=Count("id"))
        if touched
        else {"open": 0, "all": 0}
    )
    rest = {}
    for d in days:
        if d.kind == DayKind.HOLIDAY:
            rest[d.name] = rest.get(d.name, 0) + 1
    return {
        "months": month_grid(year, after),
        "changes": changes,
        "known": known,
        "window": window,
        "holiday_days": rest,
        "workday_count": sum(1 for d in days if d.kind == DayKind.ADJUSTED_WORKDAY),
    }


@login_required
def calendar_year_edit(request, year: int):
    """Enter or correct a year's arrangement as the State Council's notice reads; preview, then save."""
    if not _may_edit(request.user):
        raise PermissionDenied
    year = _year_or_404(year)
    info = CalendarYear.objects.filter(year=year).first()
    source_initial = (
        {
            "title": info.announcement_title or info.source,
            "number": info.announcement_number,
            "announced_on": info.announcement_date,
        }
        if info
        else {}
    )
    preview = None
    errors: list[str] = []
    file_form = CalendarFileForm()
    if request.method == "POST" and request.POST.get("action") == "upload":
        file_form = CalendarFileForm(request.POST, request.FILES)
        source = CalendarSourceForm(initial=source_initial)
        holiday_set, workday_set = _formsets(arrangement_of(year_days(year)))
        if file_form.is_valid():
            try:
                arrangement = parse_arrangement_file(file_form.cleaned_data["file"])
                if arrangement.year not in (None, year):
                    raise ValidationError(
                        _("The file is for %(y)d, not %(year)d.") % {"y": arrangement.year, "year": year}
                    )
            except ValidationError as exc:
                file_form.add_error("file", exc)
            else:
                source = CalendarSourceForm(
                    initial={
                        "title": arrangement.title or source_initial.get("title", ""),
                        "number": arrangement.number or source_initial.get("number", ""),
                        "announced_on": arrangement.announced_on or source_initial.get("announced_on"),
                    }
                )
                holiday_set, workday_set = _formsets(arrangement)
                days = arrangement.days()
                try:
                    validate_year_days(year, days)
                except ValidationError as exc:
                    errors = exc.messages
                preview = _preview(year, days)
    elif request.method == "POST":
        source = CalendarSourceForm(request.POST)
        holiday_set, workday_set = _formsets(data=request.POST)
        if source.is_valid() and holiday_set.is_valid() and workday_set.is_valid():
            days = _arrangement_from(holiday_set, workday_set).days()
            try:
                validate_year_days(year, days)
            except ValidationError as exc:
                errors = exc.messages
            else:
                if request.POST.get("action") == "save":
                    change = calendar_year_save(
                        year=year,
                        days=days,
                        title=source.cleaned_data["title"],
                        number=source.cleaned_data["number"],
                        announced_on=source.cleaned_data["announced_on"],
                        acting_user=request.user,
                    )
                    if change:
                        messages.success(
                            request,
                            _("The %(year)d calendar is saved; the deadlines it touches are being judged again.")
                            % {"year": year},
                        )
                    else:
                        messages.success(
                            request, _("The %(year)d calendar is saved; no day changed its kind.") % {"year": year}
                        )
                    return redirect(f"/calendar/?year={year}")
            preview = _preview(year, days)
    else:
        source = CalendarSourceForm(initial=source_initial)
        holiday_set, workday_set = _formsets(arrangement_of(year_days(year)))
    return render(
        request,
        "portal/calendar_edit.html",
        {
            "year": year,
            "info": info,
            "source": source,
            "holiday_set": holiday_set,
            "workday_set": workday_set,
            "file_form": file_form,
            "preview": preview,
            "errors": errors,
        },
    )
