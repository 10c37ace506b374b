"""The ticket field spec (complaints.fields): it maps onto the model, one line in it reaches every door
(intake, import, export, API output), and adding a field keeps old retries "unchanged"."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from openpyxl import load_workbook

from complaints import fields, intake
from complaints.fields import COMPLAINT_FIELDS
from complaints.imports import import_ticket_row
from complaints.models import Complaint
from portal.fieldspec import Export, Field, FieldSpec
from tests.complaints.factories import push, recent, ticket_data

URL = "/api/v1/complaints/"
SH = ZoneInfo("Asia/Shanghai")


def _spec(fields_):
    return FieldSpec(Complaint, fields_, export_order=COMPLAINT_FIELDS.export_order)


# A spec as it was before `reply_opinion` came in, and the same spec with the one line that brings it.
BEFORE = _spec([f for f in COMPLAINT_FIELDS if f.name != "reply_opinion"])
NEW_FIELD = Field("reply_opinion", intake=True, max_length=2000, column="处理意见", export=Export(width=30))
AFTER = _spec([*BEFORE, NEW_FIELD])


def test_every_field_maps_onto_the_model():
    model_fields = set(Complaint._meta.get_fields())
    for f in COMPLAINT_FIELDS:
        # Its own model field, or the one its source starts from (utility_name: utility.name).
        assert f.computed or f.model_field in model_fields, f.name
    # The intake reads every kind the spec declares, and bounds every text it stores.
    for f in COMPLAINT_FIELDS.intake_fields:
        assert f.kind in intake.READS, f.name
        assert f.kind not in ("text", "phone", "org") or f.max_length, f.name
    assert set(intake.FINGERPRINT_V1_FIELDS) <= set(COMPLAINT_FIELDS.intake_names)


@pytest.mark.django_db
def test_every_output_reader_reads_a_real_ticket(world, calendar):
    ticket = push(world.user("system_x"), received_at=recent(1))
    ticket._personal = {"customer_name": "x", "customer_phone": "y", "address": "z"}
    for _name, get, _instant in COMPLAINT_FIELDS.api_output:
        if get is not None:
            get(ticket)  # no AttributeError: the source exists
    for column in COMPLAINT_FIELDS.export_columns():
        column.get(ticket)


def test_fingerprints_stored_before_the_spec_still_match():
    """The hashes the first fingerprint gave (over every intake key, blanks as ""), computed by the
    code before the field spec: tickets stored then keep answering their identical retries."""
    utility = type("Org", (), {"code": "T-X"})()
    full = {
        "channel": "95598",
        "kind": "complaint",
        "external_id": "X-1",
        "received_at": datetime(2026, 9, 30, 14, tzinfo=SH),
        "accepted_at": datetime(2026, 9, 30, 15, tzinfo=SH),
        "utility": utility,
        "region": "r",
        "category": "outage",
        "content": "c",
        "customer_name": "n",
        "customer_phone": "13805381234",
        "address": "a",
    }
    part = {k: v for k, v in full.items() if k not in ("accepted_at", "region", "address")}
    assert intake.fingerprint(full) == "5396d1f3b4182ab992cda29b001e8ecd0c51e7373bd56d16cce54e3b541cb48f"
    assert intake.fingerprint(part) == "714e9151a7c241b1467a1450a8c999e7c12cdee553eaa4084e8a13506c4eda81"
    assert intake.fingerprint({"external_id": "E-1"}) == (
        "352a87e94cda29e49b892e9ba2e326354f81cc14d507af2e15ea0fc2375fce49"
    )


@pytest.mark.django_db
def test_a_new_optional_field_keeps_old_retries_unchanged(world, calendar, api, monkeypatch):
    client = api(world.user("system_x"))
    old = ticket_data(external_id="OLD-1", received_at=recent(2))
    monkeypatch.setattr(fields, "COMPLAINT_FIELDS", BEFORE)
    created = client.post(URL, old, format="json")
    assert created.status_code == 201, created.content

    monkeypatch.setattr(fields, "COMPLAINT_FIELDS", AFTER)  # the field is added
    retry = client.post(URL, old, format="json")
    assert retry.status_code == 200, retry.content
    assert retry.json()["id"] == created.json()["id"]
    blank = client.post(URL, {**old, "reply_opinion": ""}, format="json")  # blank is not content
    assert blank.status_code == 200, blank.content
    bulk = client.post(URL + "bulk/", {"items": [old]}, format="json").json()
    assert bulk["results"][0]["result"] == "unchanged"
    # A value for the new field, or another value of an old one, is different content.
    assert client.post(URL, {**old, "reply_opinion": "已处理"}, format="json").status_code == 409
    assert client.post(URL, {**old, "region": "泰安市"}, format="json").status_code == 409
    # A ticket created with the new field answers its own identical retry.
    new = ticket_data(external_id="NEW-1", received_at=recent(2), reply_opinion="已处理")
    assert client.post(URL, new, format="json").status_code == 201
    assert client.post(URL, new, format="json").status_code == 200
    assert client.post(URL, {**new, "reply_opinion": "未处理"}, format="json").status_code == 409
    assert Complaint.objects.count() == 2


def _export(client) -> dict:
    response = client.get("/complaints/export.xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    return dict(zip(rows[1], rows[2], strict=True))


@pytest.mark.django_db
def test_one_line_in_the_spec_reaches_every_door(world, calendar, api, client_for, monkeypatch):
    """docs/fields.md's claim: with the model field in place, the spec's one line is all it takes."""
    system = world.user("system_x")
    with translation.override("zh-hans"):
        header = str(AFTER["reply_opinion"].label)

    monkeypatch.setattr(fields, "COMPLAINT_FIELDS", BEFORE)
    before = api(system).post(
        URL, ticket_data(external_id="B-1", reply_opinion="甲", received_at=recent(1)), format="json"
    )
    assert before.status_code == 201
    assert "reply_opinion" not in before.json()
    assert Complaint.objects.get(external_id="B-1").reply_opinion == ""  # not accepted: ignored
    assert "处理意见" not in BEFORE.import_columns
    assert header not in _export(client_for(world.user("manager_x")))
    assert "reply_opinion" not in BEFORE.input_serializer("Probe")().fields

    monkeypatch.setattr(fields, "COMPLAINT_FIELDS", AFTER)
    # Intake (REST) stores it, and the API outputs it.
    after = api(system).post(
        URL, ticket_data(external_id="A-1", reply_opinion="乙", received_at=recent(0.5)), format="json"
    )
    assert after.status_code == 201, after.content
    assert after.json()["reply_opinion"] == "乙"
    assert list(after.json()) == list(AFTER.api_names)
    # Its limit is enforced with the intake's message.
    too_long = api(system).post(URL, ticket_data(external_id="A-2", reply_opinion="长" * 2001), format="json")
    assert too_long.status_code == 400 and "reply_opinion" in too_long.json()["errors"]
    # The import template has its column, and a row stores it.
    row = {h: ticket_data(external_id="I-1", received_at=recent(0.2)).get(n) for h, n in AFTER.import_columns.items()}
    assert import_ticket_row({**row, "处理意见": "丙"}, job=None, acting_user=system) == "created"
    assert Complaint.objects.get(external_id="I-1").reply_opinion == "丙"
    # The export has its column (last: the export order does not name it), with the value.
    exported = _export(client_for(world.user("manager_x")))  # newest first: I-1
    assert list(exported)[-1] == header and exported[header] == "丙"
    # The API schema's input serializer documents it.
    assert AFTER.input_serializer("Probe")().fields["reply_opinion"].max_length == 2000
