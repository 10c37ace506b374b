from .calendar import CalendarDay, CalendarYear
from .deadlines import TrackedDeadline, Violation
from .notifications import Notification
from .organisations import Organisation, Province, User
from .rules import Rule

__all__ = [
    "CalendarDay",
    "CalendarYear",
    "Notification",
    "Organisation",
    "Province",
    "Rule",
    "TrackedDeadline",
    "User",
    "Violation",
]
