"""Outage notices in words customers understand (DOMAIN §4; seed 004: 避免采用专业术语).

Pure functions: the public page, the feeds and the calendar all say the same thing the same way.
"""

from datetime import datetime

from django.utils import timezone

from outages.choices import OutageKind

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# What the public reads as the reason, by kind: plain words, not the utility's internal terms.
PUBLIC_REASONS = {
    OutageKind.PLANNED: "计划检修",
    OutageKind.TEMPORARY: "临时检修",
    OutageKind.RESTRICTION: "有序用电（限电）",
    OutageKind.FAULT: "故障抢修",
    OutageKind.ARREARS: "欠费停电",
}


def _day(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{local.month}月{local.day}日（{WEEKDAYS[local.weekday()]}）"


def plain_when(start: datetime, end: datetime | None) -> str:
    """'6月12日（星期五）08:00—18:00'; across midnight both days are named; no end: '… 起'."""
    s = timezone.localtime(start)
    if end is None:
        return f"{_day(s)}{s:%H:%M} 起"
    e = timezone.localtime(end)
    if e.date() == s.date():
        return f"{_day(s)}{s:%H:%M}—{e:%H:%M}"
    return f"{_day(s)}{s:%H:%M}—{_day(e)}{e:%H:%M}"


def plain_notice(notice) -> str:
    """One sentence a customer understands: when, where, which lines, why."""
    parts = [f"{plain_when(notice.start_at, notice.end_at)} 停电", f"影响区域：{notice.area}"]
    if notice.lines:
        parts.append(f"线路：{notice.lines}")
    parts.append(f"原因：{PUBLIC_REASONS.get(notice.kind, notice.get_kind_display())}")
    return "，".join(parts)
