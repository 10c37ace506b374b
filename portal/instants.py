"""Parsing instants and years given by people and other systems: the one place that says which are sane.

Everything a request names as a year or an instant — a query parameter, an API field, an import cell — is
checked here, so an odd value is a 400 with a message, never an OverflowError in the deadline arithmetic or
a database error (PostgreSQL refuses year 5061 or an offset of −19:35).
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Deadlines run into the next year at most; records start with the portal's data (2000).
YEAR_MIN, YEAR_MAX = 2000, 2100
# A date (a campaign's, a register's) may lie further back, but not before 1901: until then Asia/Shanghai kept
# local mean time (+08:05:43), and an instant derived from such a date has no RFC 3339 offset.
DATE_YEAR_MIN, DATE_YEAR_MAX = 1901, 2099
MAX_OFFSET = timedelta(hours=14)  # the largest UTC offset in use (Kiribati)


class InstantError(ValueError):
    pass


def parse_year(text, *, default: int | None = None) -> int:
    """A year between YEAR_MIN and YEAR_MAX; `default` when none is given. Raises InstantError."""
    if text is None or (isinstance(text, str) and not text.strip()):
        if default is not None:
            return default
        raise InstantError(_("Give a year."))
    try:
        year = int(str(text).strip())
    except (ValueError, OverflowError):
        year = None
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        raise InstantError(
            _("'%(value)s' is not a year between %(min)d and %(max)d.")
            % {"value": str(text)[:20], "min": YEAR_MIN, "max": YEAR_MAX}
        )
    return year


def check_instant(value: datetime) -> datetime:
    """`value` if it lies within YEAR_MIN–YEAR_MAX with a real UTC offset; raises InstantError otherwise."""
    try:
        offset = value.utcoffset()
        in_range = YEAR_MIN <= value.year <= YEAR_MAX and (offset is None or abs(offset) <= MAX_OFFSET)
        if in_range and offset is not None:
            in_range = YEAR_MIN <= value.astimezone(SHANGHAI).year <= YEAR_MAX
    except (OverflowError, ValueError):
        in_range = False
    if not in_range:
        raise InstantError(
            _("Give an instant between %(min)d and %(max)d with a real UTC offset.")
            % {"min": YEAR_MIN, "max": YEAR_MAX}
        )
    return value


def parse_instant(text: str) -> datetime:
    """ISO 8601 instant within YEAR_MIN–YEAR_MAX; one without an offset is read as Asia/Shanghai local time."""
    try:
        if "\x00" in text:
            raise ValueError
        value = datetime.fromisoformat(text.strip().replace(" ", "T", 1).replace("Z", "+00:00"))
    except (ValueError, AttributeError, TypeError, OverflowError):
        raise InstantError(
            _("'%(value)s' is not an ISO 8601 instant such as 2026-09-30T14:00:00+08:00.")
            % {"value": str(text)[:40].replace("\x00", "")}
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=SHANGHAI)
    return check_instant(value).astimezone(SHANGHAI)


# A source system's clock a few minutes ahead of ours is not "the future".
CLOCK_SKEW = timedelta(minutes=5)
EARLIEST = datetime(YEAR_MIN, 1, 1, tzinfo=SHANGHAI)


def read_instant(value, field: str, errors: dict, now: datetime, *, happened: bool) -> datetime | None:
    """An instant pushed by another system (a datetime, a date, or ISO text) — the one reader of every intake.
    A message goes into `errors[field]` and None comes back when it is not one; `happened` refuses the future."""
    if isinstance(value, datetime):
        parsed = value if value.tzinfo is not None else value.replace(tzinfo=SHANGHAI)
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day, tzinfo=SHANGHAI)
    elif isinstance(value, str):
        try:
            parsed = parse_instant(value)
        except InstantError as exc:
            errors.setdefault(field, []).append(str(exc))
            return None
    else:
        errors.setdefault(field, []).append(_("Give an ISO 8601 instant such as 2026-09-30T14:00:00+08:00."))
        return None
    try:
        if happened and parsed > now + CLOCK_SKEW:
            errors.setdefault(field, []).append(_("This instant lies in the future."))
            return None
        if parsed < EARLIEST:
            errors.setdefault(field, []).append(_("This instant lies before 2000."))
            return None
    except (OverflowError, ValueError):
        errors.setdefault(field, []).append(_("This instant is out of range."))
        return None
    return parsed
