"""Meter test and abnormal-reading requests over REST: intake, the answer with its result, the catalogue's
clocks (5 / 7 working days) and violations, the sweep, idempotence, who may write."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from complaints.connection_selectors import on_time_by_utility
from complaints.models import MeterRequest
from portal.models import Violation
from portal.services import deadlines_sweep

pytestmark = pytest.mark.django_db
URL = "/api/v1/meter-requests/"


def request_data(**overrides) -> dict:
    data = {
        "source": "营销系统",
        "external_id": "JL-2026-0001",
        "utility": "T-X-C-K",
        "kind": "电能表校验",
        "meter_number": "3701000123456",
        "customer_name": "赵玉兰",
        "address": "汶源县城关镇西关村2组7号",
        "requested_at": "2026-03-02T10:00:00+08:00",
    }
    data.update(overrides)
    return data


def violations_of(pk: int) -> set[tuple[str, str]]:
    ct = ContentType.objects.get_for_model(MeterRequest)
    return set(Violation.objects.filter(content_type=ct, object_id=pk).values_list("code", "source_class"))


def answer(client, pk, when, **result):
    response = client.post(f"{URL}{pk}/answer/", {"at": when, **result}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_one_on_time_and_two_late_over_rest_give_exactly_the_catalogues_violations(world, calendar, api):
    client = api(world.user("system_x"))
    # A meter test answered on 03-06: the result is due by the end of the 5th working day (03-09).
    test = client.post(URL, request_data(), format="json")
    assert test.status_code == 201, test.content
    body = answer(client, test.json()["id"], "2026-03-06T15:00:00+08:00", within_tolerance="yes", error_percent="0.8")
    assert body["status"] == "answered" and body["within_tolerance"] is True and body["error_percent"] == "0.800"
    assert [(d["code"], d["due"], d["status"]) for d in body["deadlines"]] == [
        ("meter.test_result", "2026-03-09T23:59:59.999999+08:00", "met")
    ]
    # An abnormal reading answered on 03-16, after its 7 working days (03-11): wrong, with a refund.
    reading = client.post(URL, request_data(external_id="JL-2026-0002", kind="抄表数据异常"), format="json").json()
    body = answer(client, reading["id"], "2026-03-16T10:00:00+08:00", within_tolerance="no", refund_yuan="36.50")
    assert body["refund_yuan"] == "36.50"
    assert [(d["code"], d["due"], d["status"]) for d in body["deadlines"]] == [
        ("meter.abnormal_reading", "2026-03-11T23:59:59.999999+08:00", "met_late")
    ]
    # A meter test never answered: the sweep finds it overdue.
    open_test = client.post(URL, request_data(external_id="JL-2026-0003"), format="json").json()
    deadlines_sweep()
    assert violations_of(test.json()["id"]) == set()
    assert violations_of(reading["id"]) == {("meter.abnormal_reading", "commitment")}
    assert violations_of(open_test["id"]) == {("meter.test_result", "commitment")}
    rates = {r["utility"].code: r for r in on_time_by_utility(MeterRequest)}["T-X-C-K"]
    assert (rates["met"], rates["late"], rates["overdue"], rates["rate"]) == (1, 1, 1, Decimal("33.3"))
    # A result out of order is refused: a refund for a meter within tolerance, a test without its error.
    r = client.post(
        f"{URL}{open_test['id']}/answer/",
        {"at": "2026-03-20T10:00:00+08:00", "within_tolerance": "yes", "error_percent": "0.2", "refund_yuan": "5"},
        format="json",
    )
    assert r.status_code == 400 and "refund_yuan" in r.json()["errors"]
    r = client.post(
        f"{URL}{open_test['id']}/answer/", {"at": "2026-03-20T10:00:00+08:00", "within_tolerance": "no"}, format="json"
    )
    assert r.status_code == 400 and "error_percent" in r.json()["errors"]
    history = [
        h.history_change_reason for h in MeterRequest.objects.get(pk=reading["id"]).history.order_by("history_date")
    ]
    assert history == ["intake", "answer"]


def test_pushed_with_the_answer_judged_at_once_and_idempotent(world, calendar, api):
    client = api(world.user("manager_x"))
    late = request_data(
        external_id="JL-B-1",
        answered_at="2026-03-13T10:00:00+08:00",
        within_tolerance=False,
        error_percent="-2.6",
        refund_yuan="120",
    )
    on_time = request_data(
        external_id="JL-B-2", answered_at="2026-03-03T10:00:00+08:00", within_tolerance="合格", error_percent="0.3"
    )
    r = client.post(f"{URL}bulk/", {"items": [late, on_time]}, format="json").json()
    assert r["counts"] == {"created": 2, "unchanged": 0, "updated": 0, "error": 0}
    assert violations_of(r["results"][0]["id"]) == {("meter.test_result", "commitment")}
    assert violations_of(r["results"][1]["id"]) == set()
    again = client.post(f"{URL}bulk/", {"items": [late, on_time]}, format="json").json()
    assert again["counts"]["unchanged"] == 2 and MeterRequest.objects.count() == 2
    # A later push that adds the answer takes the step at its instant.
    pk = client.post(URL, request_data(external_id="JL-B-3"), format="json").json()["id"]
    with_answer = request_data(
        external_id="JL-B-3", answered_at="2026-03-05T10:00:00+08:00", within_tolerance=True, error_percent="0.1"
    )
    assert client.post(f"{URL}bulk/", {"items": [with_answer]}, format="json").json()["results"][0]["status"] == 409
    updated = client.post(f"{URL}bulk/", {"items": [with_answer], "update": True}, format="json").json()
    assert updated["counts"]["updated"] == 1
    req = MeterRequest.objects.get(pk=pk)
    assert req.status == "answered" and req.error_percent == Decimal("0.100") and violations_of(pk) == set()


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"kind": "换表"}, "kind"),
        ({"within_tolerance": True}, "answered_at"),  # a result without the answer's instant
        ({"answered_at": "2026-03-05T10:00:00+08:00"}, "within_tolerance"),
        ({"answered_at": "2026-03-05T10:00:00+08:00", "within_tolerance": True}, "error_percent"),
        ({"answered_at": "2026-03-01T10:00:00+08:00", "within_tolerance": True, "error_percent": 1}, "answered_at"),
        (
            {"answered_at": "2026-03-05T10:00:00+08:00", "within_tolerance": "no", "error_percent": "500"},
            "error_percent",
        ),
        ({"utility": "NOPE"}, "utility"),
        ({"requested_at": None}, "requested_at"),
    ],
)
def test_bad_input_is_400_with_field_messages(world, calendar, api, override, field):
    r = api(world.user("system_x")).post(URL, request_data(**override), format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()["errors"]
    assert MeterRequest.objects.count() == 0


def test_who_may_push_read_and_answer(world, calendar, api):
    assert api(world.user("reg_staff_a")).post(URL, request_data(), format="json").status_code == 403
    assert api(world.user("manager_y")).post(URL, request_data(), format="json").status_code == 403
    pk = api(world.user("submitter_x")).post(URL, request_data(), format="json").json()["id"]
    assert api(world.user("reg_staff_a")).get(f"{URL}{pk}/").status_code == 200
    assert api(world.user("manager_y")).get(f"{URL}{pk}/").status_code == 404
    body = {"at": "2026-03-03T10:00:00+08:00", "within_tolerance": "yes", "error_percent": "0.1"}
    assert api(world.user("reg_staff_a")).post(f"{URL}{pk}/answer/", body, format="json").status_code == 403
    assert api(world.user("manager_x")).post(f"{URL}{pk}/answer/", body, format="json").status_code == 200
