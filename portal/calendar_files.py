"""A year's arrangement read from a small file, to fill the calendar entry page (then previewed and
saved as a whole). Three shapes, as a regulator is likely to have them:

- CSV or .xlsx, one row per holiday or adjusted working day: 类型 (放假 / 上班), 节日, 开始日期, 结束日期
  (结束日期 only for a holiday range; 日期 works for a single day);
- JSON: {"year", "title", "number", "date", "holidays": [{"name", "from", "to"}], "workdays": [{"name", "date"}]}.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.calendar import Day
from portal.choices import DayKind
from portal.excel import TableError, read_table

KIND_WORDS = {
    "法定节假日": DayKind.HOLIDAY,
    "节假日": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY,
    "holiday": DayKind.HOLIDAY,
    "调休上班日": DayKind.ADJUSTED_WORKDAY,
    "调休上班": DayKind.ADJUSTED_WORKDAY,
    "上班": DayKind.ADJUSTED_WORKDAY,
    "adjusted_workday": DayKind.ADJUSTED_WORKDAY,
    "workday": DayKind.ADJUSTED_WORKDAY,
}
MAX_FILE_BYTES = 256 * 1024  # a year is a few dozen lines
MAX_RANGE_DAYS = 31


@dataclass
class Holiday:
    name: str
    start: date
    end: date


@dataclass
class Workday:
    name: str
    date: date


@dataclass
class Arrangement:
    """A year's arrangement as the announcement reads: holiday ranges and adjusted working days."""

    holidays: list[Holiday] = field(default_factory=list)
    workdays: list[Workday] = field(default_factory=list)
    year: int | None = None
    title: str = ""
    number: str = ""
    announced_on: date | None = None

    def days(self) -> list[Day]:
        out = []
        for h in self.holidays:
            d = h.start
            while d <= h.end:
                out.append(Day(d, DayKind.HOLIDAY, h.name))
                d += timedelta(days=1)
        out += [Day(w.date, DayKind.ADJUSTED_WORKDAY, w.name) for w in self.workdays]
        return sorted(out, key=lambda x: x.date)


def arrangement_of(days: list[Day]) -> Arrangement:
    """Stored days back into the announcement's shape: consecutive holiday days of one name as a range."""
    out = Arrangement()
    for day in sorted(days, key=lambda x: x.date):
        if day.kind == DayKind.ADJUSTED_WORKDAY:
            out.workdays.append(Workday(day.name, day.date))
        elif out.holidays and out.holidays[-1].name == day.name and out.holidays[-1].end == day.date - timedelta(1):
            out.holidays[-1].end = day.date
        else:
            out.holidays.append(Holiday(day.name, day.date, day.date))
    return out


def parse_date(value, label: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip().replace("/", "-"))
    except ValueError:
        raise ValidationError(
            _("%(label)s: '%(v)s' is not a date like 2027-01-01.") % {"label": label, "v": value}
        ) from None


def check_range(name: str, start: date, end: date) -> None:
    if end < start:
        raise ValidationError(_("%(name)s: the holiday ends before it starts.") % {"name": name})
    if (end - start).days >= MAX_RANGE_DAYS:
        raise ValidationError(
            _("%(name)s: a holiday of more than %(n)d days is surely a typing error.")
            % {"name": name, "n": MAX_RANGE_DAYS}
        )


def parse_arrangement_file(upload) -> Arrangement:
    """Read an uploaded CSV/.xlsx/JSON file; every problem is reported with its line, nothing is saved."""
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(kb)d KB; a year's arrangement is a few dozen lines.")
            % {"kb": MAX_FILE_BYTES // 1024}
        )
    head = upload.read(1)
    upload.seek(0)
    if head in (b"{", b"["):
        return _from_json(upload.read())
    return _from_table(upload)


def _from_json(raw: bytes) -> Arrangement:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(_("The file is not valid JSON: %(e)s") % {"e": exc}) from None
    if not isinstance(data, dict):
        raise ValidationError(_("The JSON file holds one object with 'holidays' and 'workdays'."))
    out = Arrangement(
        year=data.get("year") if isinstance(data.get("year"), int) else None,
        title=str(data.get("title") or "")[:200],
        number=str(data.get("number") or "")[:60],
    )
    if data.get("date"):
        out.announced_on = parse_date(data["date"], "date")
    errors = []
    for i, h in enumerate(data.get("holidays") or [], start=1):
        try:
            if not isinstance(h, dict):
                raise ValidationError(_("each holiday is an object with name, from and to."))
            start = parse_date(h.get("from"), "from")
            end = parse_date(h.get("to") or h.get("from"), "to")
            name = str(h.get("name") or "").strip()[:40]
            check_range(name, start, end)
            out.holidays.append(Holiday(name, start, end))
        except ValidationError as exc:
            errors += [_("holidays[%(i)d]: %(m)s") % {"i": i, "m": m} for m in exc.messages]
    for i, w in enumerate(data.get("workdays") or [], start=1):
        try:
            if not isinstance(w, dict):
                raise ValidationError(_("each working day is an object with name and date."))
            out.workdays.append(Workday(str(w.get("name") or "").strip()[:40], parse_date(w.get("date"), "date")))
        except ValidationError as exc:
            errors += [_("workdays[%(i)d]: %(m)s") % {"i": i, "m": m} for m in exc.messages]
    if errors:
        raise ValidationError(errors)
    return out


def _from_table(upload) -> Arrangement:
    out = Arrangement()
    errors = []
    try:
        rows = list(read_table(upload))
    except (TableError, ValueError, KeyError, OSError) as exc:
        raise ValidationError(_("The file cannot be read as .xlsx, .csv or JSON: %(e)s") % {"e": exc}) from None
    for number, row in rows:
        try:
            kind = KIND_WORDS.get(str(row.get("类型") or "").strip())
            if kind is None:
                raise ValidationError(_("类型: use 放假 or 上班."))
            name = str(row.get("节日") or "").strip()[:40]
            first = row.get("开始日期") or row.get("日期")
            if not first:
                raise ValidationError(_("开始日期 (or 日期) is required."))
            start = parse_date(first, "开始日期")
            if kind == DayKind.HOLIDAY:
                end = parse_date(row.get("结束日期"), "结束日期") if row.get("结束日期") else start
                check_range(name, start, end)
                out.holidays.append(Holiday(name, start, end))
            else:
                out.workdays.append(Workday(name, start))
        except ValidationError as exc:
            errors += [_("line %(n)d: %(m)s") % {"n": number, "m": m} for m in exc.messages]
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("The file has no data rows."))
    return out
