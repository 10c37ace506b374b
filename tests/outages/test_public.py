"""The public outage page, its feeds and calendar: no login, only published and not cancelled
notices, no arrears (one customer's affair), plain Chinese."""

from datetime import timedelta

import pytest
from django.utils import timezone

from outages.choices import NoticeStatus, OutageKind
from outages.text import plain_when
from tests.outages.factories import OutageNoticeFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(world):
    now = timezone.now()
    return {
        "upcoming": OutageNoticeFactory(utility=world.county_x, area="城关镇东关村", lines="10kV城关线"),
        "current": OutageNoticeFactory(
            utility=world.company_y,
            area="正定镇西关村",
            lines="10kV正定线",
            start_at=now - timedelta(hours=1),
            end_at=now + timedelta(hours=5),
            status=NoticeStatus.IN_PROGRESS,
            published_at=now - timedelta(days=8),
        ),
        "unpublished": OutageNoticeFactory(utility=world.county_x, area="未发布村", published_at=None),
        "cancelled": OutageNoticeFactory(utility=world.county_x, area="已取消村", status=NoticeStatus.CANCELLED),
        "over": OutageNoticeFactory(
            utility=world.county_x, area="已结束村", start_at=now - timedelta(days=3), end_at=now - timedelta(days=2)
        ),
        "arrears": OutageNoticeFactory(utility=world.county_x, kind=OutageKind.ARREARS, area="张三家（单户）"),
    }


def test_public_page_needs_no_login_and_lists_only_published_current_and_upcoming(client, notices):
    r = client.get("/public/outages/")
    assert r.status_code == 200
    page = r.content.decode()
    assert "城关镇东关村" in page and "正定镇西关村" in page
    for hidden in ("未发布村", "已取消村", "已结束村", "张三家"):
        assert hidden not in page
    assert "原因：计划检修" in page and "停电，影响区域：" in page


def test_public_page_filters_by_province_company_area_and_date(client, notices, world):
    assert "正定镇西关村" not in client.get("/public/outages/?province=37").content.decode()
    assert "正定镇西关村" not in client.get(f"/public/outages/?utility={world.city_x.code}").content.decode()
    page = client.get("/public/outages/?area=城关线").content.decode()
    assert "城关镇东关村" in page and "正定镇西关村" not in page
    day = timezone.localtime(notices["upcoming"].start_at).date().isoformat()
    page = client.get(f"/public/outages/?on={day}").content.decode()
    assert "城关镇东关村" in page and "正定镇西关村" not in page


def test_rss_and_atom_feeds_per_area(client, notices):
    rss = client.get("/public/outages/feed/?area=东关").content.decode()
    assert "<rss" in rss and "城关镇东关村" in rss and "正定镇西关村" not in rss
    atom = client.get("/public/outages/atom/").content.decode()
    assert "<feed" in atom and "正定镇西关村" in atom and "张三家" not in atom


def test_icalendar(client, notices):
    r = client.get("/public/outages/calendar.ics?area=东关村")
    assert r["Content-Type"].startswith("text/calendar")
    body = r.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    unfolded = body.replace("\r\n ", "")
    assert f"UID:outage-notice-{notices['upcoming'].pk}@" in unfolded
    assert "影响区域：城关镇东关村" in unfolded


def test_plain_when():
    assert plain_when(at("2026-06-12 08:00"), at("2026-06-12 18:00")) == "6月12日（星期五）08:00—18:00"
    assert plain_when(at("2026-06-12 22:00"), at("2026-06-13 06:00")) == "6月12日（星期五）22:00—6月13日（星期六）06:00"
    assert plain_when(at("2026-06-12 22:00"), None) == "6月12日（星期五）22:00 起"


def test_icalendar_text_cannot_inject_properties_or_events(client, world):
    """A CR, LF, comma, semicolon or backslash in an area (or in the query) is escaped per RFC 5545; no
    value starts a line of its own."""
    from outages.feeds import ics_calendar

    injected = "东关村\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:假通知\nURL:http://evil.example/\r\nX:1;2,3\\"
    notice = OutageNoticeFactory(utility=world.county_x, area=injected, reason=injected)
    body = ics_calendar([notice], name="停电信息：" + injected, host="portal.example")
    for query_area in ("东关村\rBEGIN:VEVENT", "东关村%0D%0AX-INJECTED:1"):
        body += client.get(f"/public/outages/calendar.ics?area={query_area}").content.decode()
    lines = body.split("\r\n")
    assert "\r" not in "".join(lines) and "\n" not in "".join(lines)  # no bare CR or LF anywhere
    unfolded = body.replace("\r\n ", "").split("\r\n")
    assert sum(line == "BEGIN:VEVENT" for line in unfolded) == 1
    assert not any(line.startswith(("SUMMARY:假", "URL:", "X:", "X-INJECTED")) for line in unfolded)
    location = next(line for line in unfolded if line.startswith("LOCATION:"))
    assert (
        location
        == "LOCATION:东关村\\nEND:VEVENT\\nBEGIN:VEVENT\\nSUMMARY:假通知\\nURL:http://evil.example/\\nX:1\\;2\\,3\\\\"
    )
    assert all(len(line.encode()) <= 75 for line in lines)  # still folded at 75 octets
