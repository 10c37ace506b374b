"""What the public may subscribe to: an RSS/Atom feed (Django's syndication framework) and an
iCalendar file (written by hand, RFC 5545: CRLF lines, escaped text, lines folded at 75 octets)
of published outages, each filtered by province, city/county company and area like the page."""

import re
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from outages.choices import OutageKind
from outages.filtersets import OutageNoticeFilterSet
from outages.models import OutageNotice
from outages.text import PUBLIC_REASONS, plain_notice

PUBLIC_PARAMS = ("province", "utility", "area", "on")
FEED_LIMIT = 200


def public_notices(params) -> "OutageNoticeFilterSet":
    """Published, not cancelled, not over; never arrears (those concern one customer)."""
    qs = (
        OutageNotice.objects.public()
        .exclude(kind=OutageKind.ARREARS)
        .select_related("utility", "utility__province")
        .order_by("start_at", "id")
    )
    data = {k: params.get(k) for k in PUBLIC_PARAMS if params.get(k)}
    return OutageNoticeFilterSet(data, queryset=qs)


def _query(params) -> str:
    data = {k: params.get(k) for k in PUBLIC_PARAMS if params.get(k)}
    return ("?" + urlencode(data)) if data else ""


class OutageRssFeed(Feed):
    description_template = None

    def get_object(self, request, *args, **kwargs):
        return request.GET

    def title(self, params):
        area = params.get("area")
        return f"停电信息{('：' + area) if area else ''}"

    def link(self, params):
        return reverse("outages_public:list") + _query(params)

    def description(self, params):
        return "供电企业发布的计划检修、临时检修、有序用电停电信息"

    def items(self, params):
        return list(public_notices(params).qs[:FEED_LIMIT])

    def item_title(self, item):
        return f"{item.area[:60]} 停电（{PUBLIC_REASONS[item.kind]}）"

    def item_description(self, item):
        return f"{plain_notice(item)}。发布单位：{item.utility.name}"

    def item_link(self, item):
        return reverse("outages_public:list") + f"#notice-{item.pk}"

    def item_guid(self, item):
        return f"outage-notice-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class OutageAtomFeed(OutageRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, params):
        return self.description(params)


_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def _escape(text: str) -> str:
    """A TEXT value per RFC 5545 §3.3.11: backslash, semicolon and comma escaped, every line break (CRLF, a
    lone CR, LF) written as the two characters \\n, and the other control characters dropped — so no
    value (an area, an outage reason, a utility's name, a query parameter) can start a property or event."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return _CONTROL.sub("", text)


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character."""
    out, current = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += b
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics_calendar(notices, *, name: str, host: str) -> str:
    now = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//power-service-portal//outages//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for n in notices:
        lines += [
            "BEGIN:VEVENT",
            f"UID:outage-notice-{n.pk}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(n.start_at)}",
        ]
        if n.end_at:
            lines.append(f"DTEND:{_utc(n.end_at)}")
        lines += [
            f"SUMMARY:{_escape('停电：' + n.area[:60])}",
            f"LOCATION:{_escape(n.area)}",
            f"DESCRIPTION:{_escape(plain_notice(n) + '。发布单位：' + n.utility.name)}",
            f"LAST-MODIFIED:{_utc(n.updated_at)}",
            "STATUS:CONFIRMED",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def ics_view(request):
    fs = public_notices(request.GET)
    area = request.GET.get("area") or ""
    body = ics_calendar(fs.qs[:FEED_LIMIT], name=f"停电信息{('：' + area) if area else ''}", host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="outages.ics"'
    return response
