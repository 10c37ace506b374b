"""Issue 3 'Done when', end to end over REST: deadlines of a 95598 complaint received before the
National Day holiday, idempotent retry, the sweep marking it overdue, scoping."""

from datetime import timedelta

import pytest

from complaints.models import Complaint
from portal.choices import DeadlineStatus
from portal.models import Notification, TrackedDeadline, Violation
from portal.services import deadlines_sweep
from tests.complaints.factories import at, ticket_data

pytestmark = pytest.mark.django_db


def test_done_when(world, calendar, api, settings):
    client = api(world.user("system_x"))
    response = client.post("/api/v1/complaints/", ticket_data(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["contact_due"] == "2026-10-08T23:59:59.999999+08:00"  # 24:00 of 2026-10-08
    assert body["reply_due"] == "2026-10-15T23:59:59.999999+08:00"  # end of 2026-10-15 (10-10 is a working Saturday)
    codes = {d["rule"]: d for d in body["deadlines"]}
    assert {"complaint.contact", "complaint.reply", "complaint.reply.statutory"} <= set(codes)
    assert codes["complaint.reply.statutory"]["due"] == "2026-10-20T23:59:59.999999+08:00"  # 10 WD: 10-16, 10-19, 10-20
    assert codes["complaint.reply.statutory"]["statutory"] is True
    assert codes["complaint.reply"]["statutory"] is False

    again = client.post("/api/v1/complaints/", ticket_data(), format="json")
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert Complaint.objects.count() == 1

    conflicting = client.post("/api/v1/complaints/", ticket_data(content="另一件事"), format="json")
    assert conflicting.status_code == 409

    # The clock passes the contact due: the sweep marks it overdue, records one violation, notifies.
    counts = deadlines_sweep(now=at("2026-10-09 00:00") + timedelta(seconds=1))
    assert counts["overdue"] >= 1
    ticket = Complaint.objects.get(pk=body["id"])
    assert ticket.overdue_now is True
    assert Complaint.objects.overdue().filter(pk=ticket.pk).exists()
    contact = TrackedDeadline.objects.get(object_id=ticket.pk, code="complaint.contact")
    assert contact.status == DeadlineStatus.OVERDUE
    assert Violation.objects.filter(object_id=ticket.pk, code="complaint.contact").count() == 1
    deadlines_sweep(now=at("2026-10-09 00:05"))
    assert Violation.objects.filter(object_id=ticket.pk, code="complaint.contact").count() == 1
    assert Notification.objects.filter(organisation=world.county_x).exists()
    assert Notification.objects.filter(organisation=world.office_a).exists()
    listed = api(world.user("reg_staff_a")).get("/api/v1/complaints/?overdue=true").json()["results"]
    assert [t["id"] for t in listed] == [ticket.pk]

    # Another company's utility user: 404.
    assert api(world.user("manager_y")).get(f"/api/v1/complaints/{ticket.pk}/").status_code == 404
    assert api(world.user("manager_x")).get(f"/api/v1/complaints/{ticket.pk}/").status_code == 200
