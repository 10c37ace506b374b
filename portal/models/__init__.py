from .attachments import Attachment
from .calendar import CalendarChange, CalendarDay, CalendarYear
from .deadlines import TrackedDeadline, Violation
from .imports import ImportJob, ImportRowError, ImportStatus
from .notifications import Notification
from .organisations import Organisation, Province, User
from .rules import Rule

__all__ = [
    "Attachment",
    "CalendarChange",
    "CalendarDay",
    "CalendarYear",
    "ImportJob",
    "ImportRowError",
    "ImportStatus",
    "Notification",
    "Organisation",
    "Province",
    "Rule",
    "TrackedDeadline",
    "User",
    "Violation",
]
