"""The set-based bulk intake registers exactly what the single create does, item by item in the batch's order:
the same notices, history rows, tracked deadlines and violations (issue 14)."""

from unittest import mock

import pytest

from outages.models import OutageNotice
from tests.factories import derived_rows, forget_records
from tests.outages.factories import at
from tests.outages.test_api import URL, payload

pytestmark = pytest.mark.django_db

NOW = at("2026-03-05 10:00")


def _items() -> list[dict]:
    """A batch with every case the judgement knows: on time, late, unpublished (publish-by running), a
    temporary outage repeated on one line (with a stored one, with batch mates, on another line), an arrears
    cut too early, a fault, bad input, a repeat of a key in the batch and a key already stored."""
    temp = {"kind": "temporary", "lines": "10kV城关线、10kV东关支线", "published_at": "2026-03-04T09:00:00+08:00"}
    return [
        payload(external_id="P-ON-TIME"),
        payload(external_id="P-LATE", published_at="2026-03-05T09:00:00+08:00"),
        payload(
            external_id="P-UNPUBLISHED",
            published_at=None,
            start_at="2026-03-20T08:00:00+08:00",
            end_at="2026-03-20T18:00:00+08:00",
        ),
        payload(external_id="T-1", start_at="2026-03-06T08:00:00+08:00", end_at="2026-03-06T12:00:00+08:00", **temp),
        payload(external_id="BAD", end_at="2026-03-09T00:00:00+08:00"),
        payload(external_id="T-2", start_at="2026-03-08T08:00:00+08:00", end_at="2026-03-08T12:00:00+08:00", **temp),
        payload(
            external_id="T-OTHER-LINE",
            start_at="2026-03-08T08:00:00+08:00",
            end_at="2026-03-08T12:00:00+08:00",
            **{**temp, "lines": "10kV西关线"},
        ),
        payload(
            external_id="T-W2",
            start_at="2026-03-09T08:00:00+08:00",
            end_at="2026-03-09T12:00:00+08:00",
            **{**temp, "lines": "10kV西关线"},
        ),
        payload(
            external_id="T-FAR",
            start_at="2026-04-20T08:00:00+08:00",
            end_at="2026-04-20T12:00:00+08:00",
            **{**temp, "lines": "10kV南关线"},
        ),
        payload(external_id="T-2"),  # the same key again, different content: a conflict
        payload(external_id="STORED"),  # stored before the batch, identical: unchanged
        payload(
            external_id="A-EARLY",
            kind="arrears",
            start_at="2026-03-02T09:00:00+08:00",
            end_at=None,
            published_at="2026-02-20T09:00:00+08:00",
            channels=["written"],
            arrears_overdue_since="2026-02-25T00:00:00+08:00",
            arrears_amount="356.20",
        ),
        payload(
            external_id="F-1",
            kind="fault",
            published_at=None,
            start_at="2026-03-05T07:00:00+08:00",
            end_at=None,
            actual_start_at="2026-03-05T07:00:00+08:00",
            status="in_progress",
            area_class="urban",
            repair_reported_at="2026-03-05T07:05:00+08:00",
            repair_arrived_at="2026-03-05T08:30:00+08:00",
        ),
    ]


def _state() -> dict:
    """Everything the intake wrote, keyed by external id (row ids and the primary keys in them left out)."""
    fields = [f.attname for f in OutageNotice._meta.concrete_fields if f.attname != "id"]
    notices = {n.external_id: {f: getattr(n, f) for f in fields} for n in OutageNotice.objects.all()}
    history = sorted(
        (
            h.external_id,
            h.history_type,
            h.history_change_reason,
            h.history_user_id,
            h.compliance_state,
            h.repeated_temporary,
            str(h.compliance),
            h.history_date,
        )
        for h in OutageNotice.history.all()
    )
    deadlines, violations = derived_rows(OutageNotice)
    return {"notices": notices, "history": history, "deadlines": deadlines, "violations": violations}


def _prepare(client) -> None:
    """A stored temporary outage on the line, and a notice the batch repeats identically."""
    stored = payload(
        external_id="T-0",
        kind="temporary",
        lines="10kV城关线",
        start_at="2026-02-20T08:00:00+08:00",
        end_at="2026-02-20T12:00:00+08:00",
        published_at="2026-02-19T09:00:00+08:00",
    )
    assert client.post(URL, stored, format="json").status_code == 201
    assert client.post(URL, payload(external_id="STORED"), format="json").status_code == 201


def test_bulk_and_single_creates_write_the_same(world, calendar, api):
    client = api(world.user("system_x"))
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        _prepare(client)
        single = [client.post(URL, item, format="json") for item in _items()]
        by_single = _state()
        forget_records(OutageNotice)
        _prepare(client)
        bulk = client.post(f"{URL}bulk/", {"items": _items()}, format="json")
        by_bulk = _state()
    assert [r.status_code for r in single] == [r["status"] for r in bulk.json()["results"]]
    statuses = [r["status"] for r in bulk.json()["results"]]
    assert statuses == [201, 201, 201, 201, 400, 201, 201, 201, 201, 409, 200, 201, 201]
    assert by_bulk == by_single
    notices = by_bulk["notices"]
    # What the comparison covers is there to compare: repeats, a publish-by deadline, violations.
    assert notices["T-0"]["repeated_temporary"] and notices["T-1"]["repeated_temporary"]
    assert notices["T-2"]["repeated_temporary"] and not notices["T-FAR"]["repeated_temporary"]
    # Made a repeat only by a later notice of the batch, after its own judgement.
    assert notices["T-OTHER-LINE"]["repeated_temporary"] and notices["T-W2"]["repeated_temporary"]
    assert any(d[0] == "P-UNPUBLISHED" for d in by_bulk["deadlines"])
    assert {v[0] for v in by_bulk["violations"]} >= {"P-LATE", "A-EARLY"}
