"""Import of calendar days from a spreadsheet: how a regulator admin loads next year's arrangement as
soon as the State Council publishes it, before the library has it."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.choices import DayKind, Role
from portal.models import CalendarDay, CalendarYear

COLUMNS = ["日期", "类型", "节日"]
KIND_WORDS = {
    "法定节假日": DayKind.HOLIDAY,
    "节假日": DayKind.HOLIDAY,
    "holiday": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY,
    "调休上班日": DayKind.ADJUSTED_WORKDAY,
    "调休上班": DayKind.ADJUSTED_WORKDAY,
    "上班": DayKind.ADJUSTED_WORKDAY,
    "adjusted_workday": DayKind.ADJUSTED_WORKDAY,
}


def _parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip().replace("/", "-"))
    except ValueError:
        raise ValidationError({"日期": _("'%(v)s' is not a date like 2027-01-01.") % {"v": value}}) from None


def import_calendar_row(row: dict, *, job, acting_user) -> str:
    if not row.get("日期"):
        raise ValidationError({"日期": _("This field is required.")})
    day = _parse_date(row["日期"])
    kind = KIND_WORDS.get(str(row.get("类型") or "").strip())
    if kind is None:
        raise ValidationError({"类型": _("Use 法定节假日 or 调休上班日.")})
    if kind == DayKind.ADJUSTED_WORKDAY and day.weekday() < 5:
        raise ValidationError({"类型": _("An adjusted working day must be a Saturday or Sunday.")})
    name = str(row.get("节日") or "").strip()[:40] or _("Holiday")
    CalendarYear.objects.get_or_create(year=day.year, defaults={"source": f"导入：{job.filename}", "complete": True})
    existing = CalendarDay.objects.filter(date=day).first()
    if existing and existing.kind == kind and existing.name == name:
        return "unchanged"
    obj = existing or CalendarDay(date=day)
    obj.kind, obj.name = kind, name
    obj._history_user = acting_user
    obj.save()
    return "updated" if existing else "created"


def register() -> None:
    from portal.imports import register_import_handler

    register_import_handler(
        "portal.calendar_days",
        import_calendar_row,
        label=gettext_lazy("Calendar days"),
        columns=COLUMNS,
        allowed=lambda user: user.is_superuser or user.role == Role.REGULATOR_ADMIN,
    )
