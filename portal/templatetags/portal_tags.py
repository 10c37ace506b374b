"""Template helpers shared by every app: history tables, deadline badges, local times."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext

from portal.deadline_state import tracked_state
from portal.models import SavedView
from portal.services import saved_view_query
from portal.workflow import reason_label

register = template.Library()

STATE_CLASSES = {
    "on_time": "text-bg-success",
    "at_risk": "text-bg-warning",
    "overdue": "text-bg-danger",
    "met": "text-bg-secondary",
    "met_late": "text-bg-dark",
    "cancelled": "text-bg-light",
}


def _shown(field, value, names: dict):
    """A changed value as people read it: instants in Asia/Shanghai, choices by their label, a related
    record by its name (not its id; each one read once per table through `names`)."""
    if value is None or value == "":
        return value
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if getattr(field, "many_to_one", False) and field.related_model is not None:
        key = (field.related_model, value)
        if key not in names:
            related = field.related_model._default_manager.filter(pk=value).first()
            names[key] = str(related) if related is not None else value
        return names[key]
    return value


@register.inclusion_tag("portal/_history.html")
def history_table(obj, limit: int = 50):
    """Who changed what and when, newest first, with the fields that changed."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    names: dict = {}
    for i, rec in enumerate(records[:limit]):
        prev = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if prev is not None and rec.history_type == "~":
            delta = rec.diff_against(prev)
            # Personal data (e.g. a customer's phone) is never replayed in a history: only that it changed.
            hidden = set(getattr(rec.instance_type, "HISTORY_HIDDEN_FIELDS", ()))
            for change in delta.changes:
                field = rec.instance_type._meta.get_field(change.field)
                masked = change.field in hidden
                changes.append(
                    {
                        "field": getattr(field, "verbose_name", change.field),
                        "old": "***" if masked and change.old else _shown(field, change.old, names),
                        "new": "***" if masked and change.new else _shown(field, change.new, names),
                    }
                )
        reason = reason_label(type(obj), rec.history_change_reason) if rec.history_change_reason else ""
        rows.append({"record": rec, "changes": changes, "reason": reason})
    return {"rows": rows, "object": obj}


@register.simple_tag
def deadline_state(deadline) -> str:
    return tracked_state(deadline)


@register.filter
def hours_in_words(hours) -> str:
    """A span given in hours, in words: 239.0 → "9天23小时" (issue 20: not "239.0小时")."""
    try:
        return duration(round(float(hours) * 3600))
    except (TypeError, ValueError):
        return ""


@register.filter
def rule_span(rule) -> str:
    """A rule's value with its unit, in the plural the number asks for: "1 working day", "5 working days",
    "24小时" (issue 20: no "1 working days")."""
    n = rule.value
    forms = {
        "working_days": ngettext("%(n)s working day", "%(n)s working days", n),
        "calendar_days": ngettext("%(n)s day", "%(n)s days", n),
        "hours": ngettext("%(n)s hour", "%(n)s hours", n),
        "minutes": ngettext("%(n)s minute", "%(n)s minutes", n),
        "advance_days": ngettext("%(n)s day in advance", "%(n)s days in advance", n),
        "advance_hours": ngettext("%(n)s hour in advance", "%(n)s hours in advance", n),
    }
    text = forms.get(rule.unit)
    return text % {"n": n} if text else f"{n} {rule.get_unit_display()}"


@register.filter
def state_label(state: str) -> str:
    """A deadline state's label ("met" → 已满足), never the raw value (issue 20)."""
    from portal.choices import DeadlineState

    try:
        return DeadlineState(str(state)).label
    except ValueError:
        return str(state)


@register.filter
def state_class(state: str) -> str:
    return STATE_CLASSES.get(str(state), "text-bg-light")


@register.filter
def duration(seconds) -> str:
    """A span of time in words, to the minute: "2 days 3 hours", "45 minutes", "less than a minute"."""
    try:
        total = abs(int(seconds))
    except (TypeError, ValueError):
        return ""
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes and not days:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    if not parts:
        return gettext("less than a minute")
    # Chinese writes the parts together ("2天3小时"), English apart.
    return ("" if (get_language() or "").startswith("zh") else " ").join(parts)


@register.inclusion_tag("portal/_saved_views.html", takes_context=True)
def saved_views(context, page: str):
    """The saved views of a list page the user may open (their own, and those shared in their organisation),
    with the form that saves the current filters and sort as one more."""
    request = context["request"]
    views = list(SavedView.objects.visible_to(request.user).for_page(page).select_related("owner"))
    return {
        "views": views,
        "page": page,
        "query": saved_view_query(request.GET),
        "next": request.get_full_path(),
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def instant(value):
    """An ISO instant stored as text (a digest's item) as a datetime; anything else unchanged."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return value


@register.filter
def local(value):
    return timezone.localtime(value) if value else value
