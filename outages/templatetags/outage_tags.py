"""Template helpers of the outages app: compliance badges and outage times in plain Chinese."""

from django import template

from outages.choices import Channel, ComplianceState
from outages.text import plain_notice, plain_when

register = template.Library()

COMPLIANCE_CLASSES = {
    ComplianceState.COMPLIANT: "text-bg-success",
    ComplianceState.PENDING: "text-bg-secondary",
    ComplianceState.BORDERLINE: "text-bg-warning",
    ComplianceState.VIOLATION: "text-bg-danger",
}


@register.filter
def compliance_class(state) -> str:
    return COMPLIANCE_CLASSES.get(str(state), "text-bg-light")


@register.filter
def compliance_label(state) -> str:
    try:
        return str(ComplianceState(str(state)).label)
    except ValueError:
        return str(state or "—")


@register.simple_tag
def outage_when(notice) -> str:
    return plain_when(notice.start_at, notice.end_at)


@register.simple_tag
def public_sentence(notice) -> str:
    return plain_notice(notice)


@register.filter
def channel_label(value) -> str:
    try:
        return str(Channel(value).label)
    except ValueError:
        return str(value)


@register.filter
def hours(seconds) -> str:
    """A shortfall in seconds as hours with one decimal (a 15-minute shortfall is not "0 h")."""
    value = round((seconds or 0) / 3600, 1)
    return f"{value:g}"


@register.filter
def required_notice_hours(compliance) -> float | None:
    """The longest notice the notice rules judged ask for (hours), e.g. 168 for "≥7天"; None without one."""
    hours = [
        r["required_hours"]
        for r in (compliance or {}).get("rules", [])
        if str(r.get("rule", "")).startswith("outage.notice.")
        and not r.get("via_original_kind")
        and r.get("required_hours")
    ]
    return max(hours) if hours else None
