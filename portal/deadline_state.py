"""The state a user sees for a stored deadline: its status plus the clock."""

from datetime import datetime

from django.utils import timezone

from portal.choices import DeadlineState, DeadlineStatus
from portal.deadlines import deadline_state


def tracked_state(obj, now: datetime | None = None) -> str:
    if obj.status == DeadlineStatus.CANCELLED:
        return DeadlineState.CANCELLED
    if obj.status == DeadlineStatus.OVERDUE and obj.met_at is None:
        return DeadlineState.OVERDUE
    return str(
        deadline_state(
            due=obj.due, at_risk=obj.at_risk_at, done_at=obj.met_at, now=now or timezone.now(), warn_at=obj.remind_at
        )
    )
