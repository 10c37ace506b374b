from .attachments import Attachment
from .calendar import CalendarDay, CalendarYear
from .deadlines import TrackedDeadline, Violation
from .imports import ImportJob, ImportRowError, ImportStatus
from .notifications import Notification
from .organisations import Organisation, Province, User
from .rules import Rule

__all__ = [
    "Attachment",
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
