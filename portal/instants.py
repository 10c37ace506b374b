"""Parsing instants given by people and other systems."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

SHANGHAI = ZoneInfo("Asia/Shanghai")


class InstantError(ValueError):
    pass


def parse_instant(text: str) -> datetime:
    """ISO 8601 instant; one without an offset is read as Asia/Shanghai local time."""
    try:
        value = datetime.fromisoformat(text.strip().replace(" ", "T", 1).replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        raise InstantError(
            _("'%(value)s' is not an ISO 8601 instant such as 2026-09-30T14:00:00+08:00.") % {"value": text}
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=SHANGHAI)
    return value.astimezone(SHANGHAI)
