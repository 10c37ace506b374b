"""The intakes' set-based inserts (`portal.bulk`: COPY and multi-row INSERTs on PostgreSQL) write exactly what the ORM's
`bulk_create` path writes: the same records, history rows, deadlines and violations, column by column."""

import pytest
from django.db import connection

from complaints.models import Complaint
from complaints.services import complaints_intake
from outages.arrears import arrears_intake
from outages.models import ArrearsCase
from portal import bulk
from portal.models import TrackedDeadline, Violation
from tests.complaints.factories import ticket_data
from tests.outages.test_arrears import case_data

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-based path is PostgreSQL's"),
]
SKIP = {
    "id",
    "history_id",
    "object_id",
    "external_id",
    "fingerprint",
    "created_at",
    "updated_at",
    "history_date",
    "deadline_id",
}


@pytest.fixture(autouse=True, params=["copy", "insert"])
def statement(request, monkeypatch):
    """Each comparison twice: through COPY (a batch's statement) and through INSERT (a single create's)."""
    monkeypatch.setattr(bulk, "COPY_FROM", 1 if request.param == "copy" else 10**6)
    return request.param


def _rows(model, records) -> list[dict]:
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in SKIP]
    return [{name: getattr(record, name) for name in fields} for record in records]


def _written(model, pk: int) -> dict:
    record = model.objects.get(pk=pk)
    deadlines = TrackedDeadline.objects.for_object(record).order_by("code")
    violations = Violation.objects.filter(object_id=pk, content_type__model=model._meta.model_name).order_by("code")
    return {
        "record": _rows(model, [record]),
        "history": _rows(model.history.model, model.history.filter(id=pk)),
        "deadlines": _rows(TrackedDeadline, deadlines),
        "violations": _rows(Violation, violations),
        "violated": [v.deadline.code if v.deadline_id else None for v in violations],  # each its own deadline
    }


def _both_paths(monkeypatch, intake, user, make):
    fast = intake(items=[make("A")], acting_user=user)[0]
    monkeypatch.setattr(bulk, "_set_based", lambda: False)
    orm = intake(items=[make("B")], acting_user=user)[0]
    assert fast.status == orm.status == 201
    return fast.id, orm.id


def test_a_ticket_is_written_the_same_by_both_paths(world, calendar, monkeypatch):
    user = world.user("system_x")
    fast, orm = _both_paths(
        monkeypatch, complaints_intake, user, lambda x: ticket_data(external_id=f"BULK-{x}", accepted_at=None)
    )
    a, b = _written(Complaint, fast), _written(Complaint, orm)
    assert a == b
    assert len(a["deadlines"]) >= 3 and a["history"][0]["history_change_reason"] == "intake"


def test_text_that_copy_would_read_as_its_own_syntax_is_stored_as_sent(world, calendar, monkeypatch):
    # COPY's text format gives tab, newline, carriage return and backslash a meaning, and \N means NULL.
    content = "停电\t两次\n第二行\r\n路径 C:\\电表\\N 结束 \\N"
    address = "\\N"

    def make(x):
        return ticket_data(external_id=f"BULK-{x}", content=content, address=address, accepted_at=None)

    fast, orm = _both_paths(monkeypatch, complaints_intake, world.user("system_x"), make)
    assert _written(Complaint, fast) == _written(Complaint, orm)
    stored = Complaint.objects.get(pk=fast)
    assert (stored.content, stored.address) == (content, address)
    assert Complaint.history.get(id=fast).content == content


def test_an_arrears_case_with_its_reminders_and_violations_is_written_the_same(world, calendar, monkeypatch):
    user = world.user("system_x")

    def make(x):  # paid late, cut without notice: deadlines met late and violations on intake (JSON reminders)
        return case_data(
            external_id=f"BULK-{x}",
            reminders=["2026-03-24T09:00:00+08:00", "2026-03-30T09:00:00+08:00"],
            disconnected_at="2026-04-02T09:00:00+08:00",
            paid_at="2026-04-03T09:00:00+08:00",
            reconnected_at="2026-04-03T15:00:00+08:00",
        )

    fast, orm = _both_paths(monkeypatch, arrears_intake, user, make)
    a, b = _written(ArrearsCase, fast), _written(ArrearsCase, orm)
    assert a == b
    assert a["record"][0]["reminders"] and a["violations"]
