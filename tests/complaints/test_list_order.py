"""The complaints list worked urgent-first (issue 20): open tickets by default, the earliest open due instant
first (an overdue one first of all), keyset pages exact in every order, the breached or next deadline shown
with its rule's name, sortable columns, a position and a total."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints import views
from portal import paging
from complaints.choices import Status
from complaints.models import Complaint
from portal.models import Rule
from tests.complaints.factories import ComplaintFactory, push, recent

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    return [t.pk for t, _s, _p in response.context["tickets"]]


def test_open_tickets_by_default_urgent_first_with_the_breached_rule_named(world, calendar, client_for):
    late = push(world.user("system_x"), external_id="95598-LATE", received_at=recent(3))
    fresh = push(world.user("system_x"), external_id="95598-FRESH", received_at=recent(0.01))
    closed = ComplaintFactory(utility=world.county_x, status=Status.CLOSED)
    client = client_for(world.user("reg_staff_a"))
    page = client.get("/complaints/")
    ids = _ids(page)
    assert ids[:2] == [late.pk, fresh.pk] and closed.pk not in ids
    assert page.context["list_total"] == 2 and not page.context["total_estimated"]
    html = page.content.decode()
    first = page.context["tickets"][0][0].shown_deadline
    assert first.breached and first.due < timezone.now()
    rule = Rule.objects.filter(code=first.code).first()
    assert f'title="{first.code}">{rule.title if rule else first.label}</div>' in html
    everything = client.get("/complaints/?scope=all")
    assert closed.pk in _ids(everything) and everything.context["list_total"] == 3
    assert closed.pk in _ids(client.get("/complaints/?status=closed"))


@pytest.mark.parametrize("sort", list(views.SORTS))
def test_keyset_pages_are_exact_in_every_order(world, client_for, sort):
    now = timezone.now()
    for i in range(70):
        # Some with a due instant (several sharing one), some without: nulls come last in both directions.
        due = now + timedelta(hours=i // 3) if i % 4 else None
        ComplaintFactory(utility=world.county_x, next_due=due, received_at=now - timedelta(minutes=i // 2))
    client = client_for(world.user("reg_staff_a"))
    first = client.get(f"/complaints/?sort={sort}")
    seen = _ids(first)
    second = client.get(f"/complaints/?sort={sort}&before={first.context['next_before']}&n=2")
    rest = _ids(second)
    assert len(seen) == 50 and len(rest) == 20 and not set(seen) & set(rest)
    assert second.context["first_row"] == 51 and second.context["last_row"] == 70
    field, desc = views.SORTS[sort]
    values = list(Complaint.objects.in_bulk(seen + rest).values())
    order = {t.pk: t for t in values}
    keys = [getattr(order[pk], field) for pk in seen + rest]
    dated = [k for k in keys if k is not None]
    assert keys[: len(dated)] == dated  # the empty ones last
    assert dated == sorted(dated, reverse=desc)


def test_the_total_is_estimated_above_the_threshold(world, client_for, monkeypatch):
    monkeypatch.setattr(paging, "TOTAL_EXACT_UP_TO", 5)
    ComplaintFactory.create_batch(8, utility=world.county_x)
    page = client_for(world.user("reg_staff_a")).get("/complaints/")
    assert page.context["total_estimated"] and page.context["list_total"] >= 6
