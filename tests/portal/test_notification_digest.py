"""Notifications as digests (issue 20): one per organisation, kind and day, naming each record (number,
utility) with its link; e-mailed in batches, each record once, never one message per deadline."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from portal.models import Notification
from portal.services import deadline_set, deadlines_sweep
from portal.tasks import send_notification_digests
from tests.complaints.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2026, 12, 8, 9, 0, tzinfo=SH)


def due_ticket(world, number: str, due: datetime):
    ticket = ComplaintFactory(utility=world.county_x, external_id=number)
    deadline_set(
        subject=ticket,
        utility=world.county_x,
        code="test.reply",
        label="答复投诉处理意见",
        due=due,
        start=due - timedelta(days=5),
    )
    return ticket


def test_a_days_crossings_make_one_digest_that_names_and_links_each_record(world, calendar, client_for):
    first = due_ticket(world, "95598-20261207-0001", MORNING - timedelta(hours=2))
    deadlines_sweep(now=MORNING)
    second = due_ticket(world, "95598-20261208-0002", MORNING + timedelta(hours=1))
    deadlines_sweep(now=MORNING + timedelta(hours=2))
    deadlines_sweep(now=MORNING + timedelta(hours=3))  # nothing new: nothing changes
    digest = Notification.objects.get(organisation=world.county_x, key__startswith="overdue:")
    assert digest.subject.startswith("2 ")
    assert [i["url"] for i in digest.items] == [first.get_absolute_url(), second.get_absolute_url()]
    assert all(i["utility"] == world.county_x.name for i in digest.items)
    assert "95598-20261207-0001" in digest.items[0]["record"]
    assert Notification.objects.filter(organisation=world.office_a, key__startswith="overdue:").count() == 1
    html = client_for(world.user("submitter_x")).get("/notifications/").content.decode()
    assert f'class="digest-link" href="{first.get_absolute_url()}"' in html
    assert "95598-20261208-0002" in html and world.county_x.name in html
    assert "2026-12-08 10:00" in html  # the second's due instant, Asia/Shanghai


def test_digests_are_e_mailed_once_per_organisation_and_each_record_once(world, calendar, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.gov.cn"
    for n in range(5):
        due_ticket(world, f"95598-20261207-01{n:02d}", MORNING - timedelta(hours=1, minutes=n))
    deadlines_sweep(now=MORNING)
    mail.outbox.clear()
    assert send_notification_digests() == 3  # county X, office A and the national office: one e-mail each
    to_county = [m for m in mail.outbox if "submitter_x@example.org" in m.to]
    assert len(to_county) == 1
    body = to_county[0].body
    assert body.count("95598-20261207-01") == 5 and world.county_x.name in body
    assert "https://portal.example.gov.cn/complaints/" in body
    mail.outbox.clear()
    assert send_notification_digests() == 0 and not mail.outbox  # nothing new
    due_ticket(world, "95598-20261208-0999", MORNING + timedelta(minutes=30))
    deadlines_sweep(now=MORNING + timedelta(hours=1))
    send_notification_digests()
    body = next(m for m in mail.outbox if "submitter_x@example.org" in m.to).body
    assert "95598-20261208-0999" in body and "95598-20261207-0100" not in body  # only what is new


def test_a_backlog_is_counted_in_full_and_names_the_first_records(world, calendar, client_for, monkeypatch):
    """A sweep catching up on a backlog: the digest counts every record, names the first ones and links the
    worklist for the rest (it stays one small row, not every record of the day rewritten at each sweep)."""
    monkeypatch.setattr("portal.services.DIGEST_NAMED", 3)
    for n in range(5):
        due_ticket(world, f"95598-20261207-02{n:02d}", MORNING - timedelta(hours=2, minutes=n))
    deadlines_sweep(now=MORNING)
    due_ticket(world, "95598-20261208-0300", MORNING + timedelta(minutes=10))
    deadlines_sweep(now=MORNING + timedelta(hours=1))
    digest = Notification.objects.get(organisation=world.county_x, key__startswith="overdue:")
    assert digest.total == 6 and len(digest.items) == 3 and digest.subject.startswith("6 ")
    html = client_for(world.user("submitter_x")).get("/notifications/").content.decode()
    digest_html = html[html.index('class="table table-sm small mb-0 cards-sm digest-items"') :]
    digest_html = digest_html[: digest_html.index("</table>")]
    assert digest_html.count('class="digest-link"') == 3
    assert '<a href="/worklist/">' in digest_html and "6" in digest_html.split('<a href="/worklist/">')[1]
    mail.outbox.clear()
    send_notification_digests()
    body = next(m for m in mail.outbox if "submitter_x@example.org" in m.to).body
    with translation.override(settings.LANGUAGE_CODE):
        more = gettext("… and %(n)d more") % {"n": 3}
    assert body.count("95598-2026120") == 3 and more in body
