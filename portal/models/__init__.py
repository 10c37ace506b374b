from .attachments import Attachment
from .calendar import CalendarChange, CalendarDay, CalendarYear
from .deadlines import TrackedDeadline, Violation
from .imports import ImportJob, ImportRowError, ImportStatus
from .notifications import Notification
from .organisations import Organisation, Province, User
from .rules import Rule
from .saved_views import SAVED_VIEW_PAGES, SavedView
from .work_orders import WorkOrder

__all__ = [
    "SAVED_VIEW_PAGES",
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
    "SavedView",
    "TrackedDeadline",
    "User",
    "Violation",
    "WorkOrder",
]
