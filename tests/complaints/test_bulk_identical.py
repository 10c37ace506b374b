"""The set-based bulk intake of tickets registers exactly what single creates do, item by item in the batch's
order: the same tickets, history rows and tracked deadlines, and the same answers (issue 14)."""

from unittest import mock

import pytest

from complaints.models import Complaint
from portal.models import TrackedDeadline
from tests.complaints.factories import at, ticket_data
from tests.factories import derived_rows, forget_records

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaints/"
NOW = at("2026-10-09 10:00")


def _items() -> list[dict]:
    """A batch with what the intake tells apart: channels and kinds with their own rules (12345, an inquiry, a
    whistle-blowing report), receipt before a holiday (the National Day week), an accepted time apart from the
    receipt, bad input, another company's utility, a key repeated in the batch with other content, and a key
    already stored (identical: unchanged)."""
    return [
        ticket_data(external_id="C-1"),
        ticket_data(external_id="C-HOLIDAY", received_at="2026-09-30T17:30:00+08:00"),
        ticket_data(external_id="C-12345", channel="12345", category="billing"),
        ticket_data(external_id="C-INQ", kind="inquiry", received_at="2026-10-08T09:00:00+08:00"),
        ticket_data(external_id="C-REPORT", kind="report", received_at="2026-10-08T11:00:00+08:00"),
        ticket_data(
            external_id="C-ACCEPTED", received_at="2026-10-08T16:00:00+08:00", accepted_at="2026-10-08T18:00:00+08:00"
        ),
        ticket_data(external_id="C-BAD", received_at="not a time"),
        ticket_data(external_id="C-OTHER", utility="T-B"),
        ticket_data(external_id="C-1", content="同一编号、不同内容"),
        ticket_data(external_id="C-STORED"),
    ]


def _state() -> dict:
    """Everything the intake wrote, keyed by external id (row ids and the primary keys in them left out)."""
    skip = {"id", "case_id", "created_at", "updated_at"}
    fields = [f.attname for f in Complaint._meta.concrete_fields if f.attname not in skip]
    tickets = {t.external_id: {f: getattr(t, f) for f in fields} for t in Complaint.objects.all()}
    history = sorted(
        (h.external_id, h.history_type, h.history_change_reason, h.history_user_id, h.status, h.history_date)
        for h in Complaint.history.all()
    )
    deadlines, violations = derived_rows(Complaint)
    return {"tickets": tickets, "history": history, "deadlines": deadlines, "violations": violations}


def test_bulk_and_single_creates_write_the_same(world, calendar, api):
    client = api(world.user("system_x"))
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        assert client.post(URL, ticket_data(external_id="C-STORED"), format="json").status_code == 201
        single = [client.post(URL, item, format="json") for item in _items()]
        by_single = _state()
        forget_records(Complaint)
        assert client.post(URL, ticket_data(external_id="C-STORED"), format="json").status_code == 201
        bulk = client.post(f"{URL}bulk/", {"items": _items()}, format="json")
        by_bulk = _state()
    statuses = [r["status"] for r in bulk.json()["results"]]
    assert [r.status_code for r in single] == statuses == [201, 201, 201, 201, 201, 201, 400, 403, 409, 200]
    assert by_bulk == by_single
    # What the comparison covers is there to compare: each kind's own clocks, the holiday pushing a due.
    ext = dict(Complaint.objects.values_list("pk", "external_id"))
    codes = {(ext[pk], code) for pk, code in TrackedDeadline.objects.values_list("object_id", "code")}
    assert ("C-REPORT", "complaint.reply.95598.report") in codes
    assert not any(e == "C-INQ" for e, _code in codes)  # an inquiry runs no clock
    contact = TrackedDeadline.objects.get(
        object_id=Complaint.objects.get(external_id="C-HOLIDAY").pk, code="complaint.contact"
    )
    assert contact.due == at("2026-10-08 23:59:59.999999")  # one working day after the National Day week
    assert len({row[0] for row in by_bulk["history"]}) == 7
