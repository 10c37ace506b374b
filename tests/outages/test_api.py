"""REST intake of outage notices: idempotency, conflicts, bad input, bulk, filters, scoping."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from outages.models import OutageNotice
from portal.models import Violation
from tests.outages.factories import OutageNoticeFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/outage-notices/"


def payload(**overrides):
    data = {
        "kind": "planned",
        "external_id": "WY-TD-2026-0310",
        "utility": "T-X-C-K",
        "reason": "10kV城关线设备检修",
        "area": "汶源县城关镇东关村、西关村",
        "lines": "10kV城关线",
        "published_at": "2026-03-03T09:00:00+08:00",
        "start_at": "2026-03-10T08:00:00+08:00",
        "end_at": "2026-03-10T18:00:00+08:00",
        "channels": ["media", "sms", "95598"],
        "important_customers_notified_at": None,
        "status": "scheduled",
    }
    data.update(overrides)
    return data


def test_rest_shows_the_same_judgement_as_notice_check(world, calendar, api):
    out = StringIO()
    call_command(
        "notice_check",
        "planned",
        "--notice",
        "2026-03-03T09:00:00+08:00",
        "--start",
        "2026-03-10T08:00:00+08:00",
        "--json",
        stdout=out,
    )
    cli = json.loads(out.getvalue())
    r = api(world.user("system_x")).post(URL, payload(), format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert cli["state"] == "borderline"
    assert body["compliance_state"] == "borderline" and body["compliance"]["notice_state"] == "borderline"
    assert {x["rule"]: x["state"] for x in body["compliance"]["rules"]} == {x["rule"]: x["state"] for x in cli["rules"]}
    assert body["compliance"]["lead_hours"] == cli["lead_hours"] == 167.0


def test_temporary_23_hours_ahead_over_rest_is_a_violation(world, calendar, api):
    r = api(world.user("submitter_x")).post(
        URL, payload(kind="temporary", published_at="2026-03-09T09:00:00+08:00"), format="json"
    )
    assert r.status_code == 201
    assert r.json()["compliance_state"] == "violation"
    assert Violation.objects.filter(object_id=r.json()["id"], code="outage.notice.temporary").exists()


def test_identical_retry_is_200_with_the_same_id_and_different_content_is_409(world, calendar, api):
    client = api(world.user("system_x"))
    first = client.post(URL, payload(), format="json")
    again = client.post(URL, payload(), format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    clash = client.post(URL, payload(area="另一个区域"), format="json")
    assert clash.status_code == 409
    assert "PUT" in clash.json()["detail"]
    assert OutageNotice.objects.count() == 1
    patched = client.patch(f"{URL}{first.json()['id']}/", {"area": "另一个区域"}, format="json")
    assert patched.status_code == 200 and patched.json()["area"] == "另一个区域"


def test_bad_input_gives_field_messages_and_writes_nothing(world, calendar, api):
    client = api(world.user("system_x"))
    r = client.post(URL, payload(end_at="2026-03-10T07:00:00+08:00"), format="json")
    assert r.status_code == 400 and "end_at" in r.json()["errors"]
    r = client.post(URL, payload(kind="blackout", utility="NOPE"), format="json")
    assert r.status_code == 400
    assert set(r.json()["errors"]) >= {"kind", "utility"}
    r = client.post(URL, payload(channels=["carrier-pigeon"]), format="json")
    assert r.status_code == 400 and "channels" in r.json()["errors"]
    assert not OutageNotice.objects.exists() and not Violation.objects.exists()


def test_publication_after_start_is_accepted_as_a_violation(world, calendar, api):
    r = api(world.user("system_x")).post(URL, payload(published_at="2026-03-10T09:00:00+08:00"), format="json")
    assert r.status_code == 201 and r.json()["compliance_state"] == "violation"


def test_system_account_writes_only_its_own_organisation(world, calendar, api):
    r = api(world.user("system_x")).post(URL, payload(utility="T-Y"), format="json")
    assert r.status_code == 400 and "utility" in r.json()["errors"]
    assert api(world.user("system_a")).post(URL, payload(), format="json").status_code == 403
    assert api(world.user("reg_staff_a")).post(URL, payload(), format="json").status_code == 403
    assert api().post(URL, payload(), format="json").status_code in (401, 403)
    assert not OutageNotice.objects.exists()


def test_scoping_of_reads_and_updates(world, calendar, api):
    n = OutageNoticeFactory(utility=world.county_x)
    assert api(world.user("manager_y")).get(f"{URL}{n.pk}/").status_code == 404
    assert api(world.user("manager_y")).patch(f"{URL}{n.pk}/", {"area": "x"}, format="json").status_code == 404
    assert api(world.user("reg_staff_b")).get(f"{URL}{n.pk}/").status_code == 404
    assert api(world.user("reg_staff_a")).get(f"{URL}{n.pk}/").status_code == 200
    assert api(world.user("reg_staff_a")).patch(f"{URL}{n.pk}/", {"area": "x"}, format="json").status_code == 403
    assert api(world.user("manager_x")).get(f"{URL}{n.pk}/").status_code == 200
    assert api(world.user("reg_staff_a")).delete(f"{URL}{n.pk}/").status_code in (403, 405)


def test_bulk_keeps_good_items_and_reports_each(world, calendar, api):
    client = api(world.user("system_x"))
    client.post(URL, payload(external_id="EXISTING"), format="json")
    items = [
        payload(external_id="B-1"),
        payload(external_id="B-2", end_at="2026-03-09T00:00:00+08:00"),
        payload(external_id="EXISTING"),
        payload(external_id="EXISTING", area="变了"),
        payload(external_id="B-3", kind="temporary", published_at="2026-03-09T09:00:00+08:00"),
        payload(external_id="B-4", utility="T-B"),
    ]
    r = client.post(f"{URL}bulk/", {"items": items}, format="json")
    assert r.status_code == 200
    body = r.json()
    assert [x["status"] for x in body["results"]] == [201, 400, 200, 409, 201, 400]
    assert body["counts"] == {"created": 2, "updated": 0, "unchanged": 1, "conflict": 1, "error": 2}
    assert "end_at" in body["results"][1]["errors"]
    assert body["results"][4]["compliance_state"] == "violation"
    assert set(OutageNotice.objects.values_list("external_id", flat=True)) == {"EXISTING", "B-1", "B-3"}
    # With update, the differing item is an update.
    r = client.post(
        f"{URL}bulk/", {"items": [payload(external_id="EXISTING", area="变了")], "update": True}, format="json"
    )
    assert r.json()["results"][0]["result"] == "updated"


def test_bulk_refuses_more_than_1000(world, calendar, api):
    r = api(world.user("system_x")).post(f"{URL}bulk/", {"items": [{}] * 1001}, format="json")
    assert r.status_code == 400 and "items" in r.json()["errors"]


def test_filters(world, calendar, api):
    client = api(world.user("system_x"))
    client.post(URL, payload(external_id="A"), format="json")
    client.post(
        URL,
        payload(
            external_id="B",
            kind="temporary",
            published_at="2026-03-09T09:00:00+08:00",
            area="岱岳区粥店街道",
            lines="10kV天平线",
        ),
        format="json",
    )
    client.post(
        URL,
        payload(
            external_id="C",
            utility="T-X",
            start_at="2026-05-10T08:00:00+08:00",
            end_at="2026-05-10T12:00:00+08:00",
            published_at="2026-04-01T08:00:00+08:00",
        ),
        format="json",
    )
    reader = api(world.user("reg_staff_a"))

    def ids(query):
        return sorted(x["external_id"] for x in reader.get(URL + query).json()["results"])

    assert ids("?kind=temporary") == ["B"]
    assert ids("?compliance=violation") == ["B"]
    assert ids("?compliance=borderline") == ["A"]
    assert ids("?area=天平") == ["B"]
    assert ids("?area=东关村") == ["A", "C"]
    assert ids("?utility=T-X-C-K") == ["A", "B"]
    assert ids("?utility=T-X") == ["A", "B", "C"]
    assert ids("?start_after=2026-04-01T00:00:00%2B08:00") == ["C"]
    assert ids("?status=scheduled") == ["A", "B", "C"]


def test_list_query_count_does_not_grow(world, calendar, api, django_assert_max_num_queries):
    for _ in range(30):
        OutageNoticeFactory(utility=world.county_x)
    client = api(world.user("reg_staff_a"))
    with django_assert_max_num_queries(8):
        r = client.get(URL)
    assert r.status_code == 200 and len(r.json()["results"]) == 30


def test_workflow_verbs(world, calendar, api):
    client = api(world.user("submitter_x"))
    n = client.post(
        URL,
        payload(published_at=None, start_at="2027-03-10T08:00:00+08:00", end_at="2027-03-10T18:00:00+08:00"),
        format="json",
    ).json()
    assert n["compliance_state"] == "pending"
    r = client.post(
        f"{URL}{n['id']}/publish/", {"published_at": "2026-11-01T09:00:00+08:00", "channels": ["sms"]}, format="json"
    )
    assert r.status_code == 200 and r.json()["compliance_state"] == "compliant"
    r = client.post(f"{URL}{n['id']}/restore/", {"at": "2027-03-10T17:00:00+08:00"}, format="json")
    assert r.status_code == 400 and "actual_end_at" in r.json()["errors"]  # not yet happened
    r = client.post(f"{URL}{n['id']}/cancel/", {"reason": "天气原因"}, format="json")
    assert r.json()["status"] == "cancelled"
    r = client.post(f"{URL}{n['id']}/start/", {"at": "2027-03-10T08:00:00+08:00"}, format="json")
    assert r.status_code == 409 and "status" in r.json()["errors"]  # a cancelled notice: its state refuses


def test_rates(world, calendar, api):
    client = api(world.user("system_x"))
    client.post(URL, payload(external_id="OK", published_at="2026-03-01T09:00:00+08:00"), format="json")
    client.post(URL, payload(external_id="LATE", published_at="2026-03-08T09:00:00+08:00"), format="json")
    rates = api(world.user("reg_staff_a")).get(f"{URL}rates/").json()
    assert rates == [
        {
            "utility": "国网汶源县供电公司",
            "code": "T-X-C-K",
            "notices": 2,
            "notices_with_violation": 1,
            "rate": 50.0,
            "violations": 2,
            "statutory": 1,
            "commitment": 1,
            "pending": 2,
            "excused": 0,
        }
    ]
