"""Template helpers shared by every app: history tables, deadline badges, masked personal data."""

from datetime import datetime

from django import template
from django.urls import reverse
from django.utils import timezone

from portal.deadline_state import tracked_state

register = template.Library()

STATE_CLASSES = {
    "on_time": "text-bg-success",
    "at_risk": "text-bg-warning",
    "overdue": "text-bg-danger",
    "met": "text-bg-secondary",
    "met_late": "text-bg-dark",
    "cancelled": "text-bg-light",
}


def _shown(value):
    """Instants in a change are stored in UTC: show them in Asia/Shanghai like every other time."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    return value


@register.inclusion_tag("portal/_history.html")
def history_table(obj, limit: int = 50):
    """Who changed what and when, newest first, with the fields that changed."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    for i, rec in enumerate(records[:limit]):
        prev = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if prev is not None and rec.history_type == "~":
            delta = rec.diff_against(prev)
            for change in delta.changes:
                field = rec.instance_type._meta.get_field(change.field)
                changes.append(
                    {
                        "field": getattr(field, "verbose_name", change.field),
                        "old": _shown(change.old),
                        "new": _shown(change.new),
                    }
                )
        rows.append({"record": rec, "changes": changes})
    return {"rows": rows, "object": obj}


@register.simple_tag
def history_url(obj) -> str:
    return reverse("history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


@register.simple_tag
def deadline_state(deadline) -> str:
    return tracked_state(deadline)


@register.filter
def state_class(state: str) -> str:
    return STATE_CLASSES.get(str(state), "text-bg-light")


@register.filter
def mask_phone(value: str) -> str:
    """138****5678: enough to recognise, not enough to call."""
    value = value or ""
    return value[:3] + "****" + value[-4:] if len(value) >= 8 else "****"


@register.filter
def local(value):
    return timezone.localtime(value) if value else value
