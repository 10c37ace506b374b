"""Arrears cases over REST: reminders, the written notice, the re-notice, the cut, payment and reconnection —
each failure a violation of the rule that says so (statute and commitment apart)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from outages.models import ArrearsCase
from portal.models import Rule, Violation
from portal.services import deadlines_sweep

pytestmark = pytest.mark.django_db
URL = "/api/v1/arrears-cases/"


def case_data(**overrides) -> dict:
    data = {
        "source": "营销系统",
        "external_id": "QF-2026-0001",
        "utility": "T-X-C-K",
        "customer_name": "孙国庆",
        "address": "汶源县汶阳镇北王庄8号",
        "amount_yuan": "386.40",
        "overdue_since": "2026-03-01T00:00:00+08:00",  # the 30-day cut-off: 03-31 00:00
    }
    data.update(overrides)
    return data


def violations_of(pk: int) -> set[tuple[str, str]]:
    ct = ContentType.objects.get_for_model(ArrearsCase)
    return set(Violation.objects.filter(content_type=ct, object_id=pk).values_list("code", "source_class"))


def step(client, pk, name, when, **extra):
    r = client.post(f"{URL}{pk}/{name}/", {"at": when, **extra}, format="json")
    assert r.status_code == 200, r.content
    return r.json()


def test_the_new_rules_are_in_the_catalogue_with_their_source(world):
    for code in ("arrears.reminder.7d", "arrears.reminder.3d", "arrears.reminder.1d"):
        rule = Rule.objects.get(code=code)
        assert rule.source_class == "commitment" and "前7、3、1天" in rule.source_text
    assert Rule.objects.get(code="arrears.renotice").value == 30
    assert Rule.objects.get(code="arrears.disconnection.as_announced").source_class == "statute"


def test_one_by_the_rules_and_one_breaking_each_over_rest(world, calendar, api):
    client = api(world.user("system_x"))
    good = client.post(URL, case_data(), format="json")
    assert good.status_code == 201, good.content
    pk = good.json()["id"]
    for when in ("2026-03-23T09:00:00+08:00", "2026-03-27T09:00:00+08:00", "2026-03-29T09:00:00+08:00"):
        step(client, pk, "remind", when)
    step(client, pk, "notify", "2026-03-24T10:00:00+08:00", announced_cut_at="2026-04-01T09:00:00+08:00")
    step(client, pk, "renotice", "2026-04-01T08:00:00+08:00")
    step(client, pk, "disconnect", "2026-04-01T09:10:00+08:00")
    step(client, pk, "pay", "2026-04-01T23:10:00+08:00")  # after 22:00: reconnect by 10:00 next morning
    body = step(client, pk, "reconnect", "2026-04-02T09:30:00+08:00")
    assert body["status"] == "reconnected"
    assert {d["code"]: d["status"] for d in body["deadlines"]} == {
        "arrears.reminder.7d": "met",
        "arrears.reminder.3d": "met",
        "arrears.reminder.1d": "met",
        "outage.notice.arrears": "met",
        "outage.notice.arrears.statutory": "met",
        "arrears.reconnection": "met",
    }
    # The bad one: one reminder only, late for the 7-day one; the notice 4 days ahead (commitment 7 broken,
    # statute 3 kept); cut before the announced time and before 30 days, with no re-notice; reconnected
    # 3 hours after a payment at 15:00.
    bad = client.post(URL, case_data(external_id="QF-2026-0002"), format="json").json()["id"]
    step(client, bad, "remind", "2026-03-26T09:00:00+08:00")
    step(client, bad, "notify", "2026-03-26T10:00:00+08:00", announced_cut_at="2026-03-31T09:00:00+08:00")
    step(client, bad, "disconnect", "2026-03-30T16:00:00+08:00")
    step(client, bad, "pay", "2026-04-02T15:00:00+08:00")
    step(client, bad, "reconnect", "2026-04-02T18:00:00+08:00")
    deadlines_sweep()
    assert violations_of(pk) == set()
    assert violations_of(bad) == {
        ("arrears.reminder.7d", "commitment"),  # sent 03-26, due by 03-24 00:00
        ("arrears.reminder.3d", "commitment"),  # never sent (swept)
        ("arrears.reminder.1d", "commitment"),  # never sent (swept)
        ("outage.notice.arrears", "commitment"),
        ("arrears.overdue_before_disconnection", "statute"),
        ("arrears.disconnection.as_announced", "statute"),
        ("arrears.renotice", "statute"),
        ("arrears.reconnection", "commitment"),
    }


def test_paying_early_owes_no_more_reminders_and_a_push_is_judged_at_once(world, calendar, api):
    client = api(world.user("manager_x"))
    # Paid on 03-25 after the 7-day reminder: the 3- and 1-day ones are no longer owed.
    paid = case_data(external_id="QF-B-1", reminders=["2026-03-23T09:00:00+08:00"], paid_at="2026-03-25T10:00:00+08:00")
    # Pushed with its whole story: the notice only 2 days ahead (both notice rules broken), reconnected in time.
    story = case_data(
        external_id="QF-B-2",
        reminders=["2026-03-23T09:00:00+08:00", "2026-03-27T09:00:00+08:00", "2026-03-30T09:00:00+08:00"],
        notice_delivered_at="2026-03-30T10:00:00+08:00",
        announced_cut_at="2026-04-01T09:00:00+08:00",
        renoticed_at="2026-04-01T08:00:00+08:00",
        disconnected_at="2026-04-01T09:00:00+08:00",
        paid_at="2026-04-01T11:00:00+08:00",
        reconnected_at="2026-04-01T12:30:00+08:00",
    )
    r = client.post(f"{URL}bulk/", {"items": [paid, story]}, format="json").json()
    assert r["counts"] == {"created": 2, "unchanged": 0, "updated": 0, "error": 0}
    deadlines_sweep()
    assert violations_of(r["results"][0]["id"]) == set()
    assert violations_of(r["results"][1]["id"]) == {
        ("outage.notice.arrears", "commitment"),
        ("outage.notice.arrears.statutory", "statute"),
        ("arrears.reminder.1d", "commitment"),  # sent 03-30 09:00, due by 03-30 00:00
    }
    again = client.post(f"{URL}bulk/", {"items": [paid, story]}, format="json").json()
    assert again["counts"]["unchanged"] == 2 and ArrearsCase.objects.count() == 2


def test_bad_input_and_who_may_write(world, calendar, api):
    client = api(world.user("system_x"))
    for override, field in [
        ({"amount_yuan": "-1"}, "amount_yuan"),
        ({"overdue_since": "someday"}, "overdue_since"),
        ({"notice_delivered_at": "2026-03-24T10:00:00+08:00"}, "announced_cut_at"),
        ({"reconnected_at": "2026-04-02T10:00:00+08:00"}, "reconnected_at"),
        ({"reminders": "2026-03-23"}, "reminders"),
    ]:
        r = client.post(URL, case_data(**override), format="json")
        assert r.status_code == 400 and field in r.json()["errors"], (override, r.content)
    assert api(world.user("reg_staff_a")).post(URL, case_data(), format="json").status_code == 403
    pk = client.post(URL, case_data(), format="json").json()["id"]
    assert api(world.user("manager_y")).get(f"{URL}{pk}/").status_code == 404
    assert api(world.user("reg_staff_a")).get(f"{URL}{pk}/").status_code == 200
    r = api(world.user("reg_staff_a")).post(
        f"{URL}{pk}/disconnect/", {"at": "2026-04-01T09:00:00+08:00"}, format="json"
    )
    assert r.status_code == 403
    r = client.post(f"{URL}{pk}/reconnect/", {"at": "2026-04-01T09:00:00+08:00"}, format="json")
    assert r.status_code == 409  # never disconnected: the case's state refuses the step


def test_a_utility_code_with_a_nul_or_an_amount_below_one_fen_is_a_400(world, calendar, api):
    # PostgreSQL refuses a NUL in any query: the intake must never send one (it answered 500 there).
    client = api(world.user("manager_x"))
    body = {"source": "s", "external_id": "NUL-1", "amount_yuan": "10", "overdue_since": "2026-01-01T00:00:00+08:00"}
    r = client.post("/api/v1/arrears-cases/", body | {"utility": "T-X\x00"}, format="json")
    assert r.status_code == 400 and "utility" in r.json()["errors"]
    r = client.post(
        "/api/v1/arrears-cases/", body | {"utility": world.county_x.code, "amount_yuan": "0.001"}, format="json"
    )
    assert r.status_code == 400 and "amount_yuan" in r.json()["errors"]


def test_a_page_of_cases_reads_their_deadlines_and_violations_in_a_fixed_number_of_queries(
    world, calendar, api, django_assert_max_num_queries
):
    """A long page (page_size up to 500) was one query per case for its violations and one per deadline and
    violation for its utility: 200 demo cases took ~1,900 queries, over ten seconds on a loaded server."""
    client = api(world.user("system_x"))
    for n in range(6):
        pk = client.post(URL, case_data(external_id=f"QF-P-{n}"), format="json").json()["id"]
        step(client, pk, "disconnect", "2026-03-20T09:00:00+08:00")  # before 30 days: a violation each
    assert all(violations_of(case.pk) for case in ArrearsCase.objects.all())
    with django_assert_max_num_queries(12):
        page = client.get(f"{URL}?page_size=100")
    rows = page.json()["results"]
    assert len(rows) == 6 and all(row["violations"] and row["deadlines"] for row in rows)
    assert {v["utility"] for row in rows for v in row["violations"]} == {"T-X-C-K"}
    single = client.get(f"{URL}{rows[0]['id']}/").json()
    assert single["violations"] == rows[0]["violations"]


def test_the_list_filters_are_published_and_held_to_their_type(world, calendar, api):
    """`status` and `source` were read by hand and published nowhere (a client could not know them, and
    `?status=bogus` quietly matched nothing): now in the schema, the enum refused outside its values."""
    client = api(world.user("system_x"))
    params = {
        p["name"]: p["schema"]
        for p in client.get("/api/v1/schema/?format=json").json()["paths"][URL]["get"]["parameters"]
    }
    assert "paid" in params["status"]["enum"] and params["source"]["type"] == "string"
    paid = client.post(URL, case_data(external_id="QF-F-1"), format="json").json()["id"]
    step(client, paid, "pay", "2026-03-10T09:00:00+08:00")
    client.post(URL, case_data(external_id="QF-F-2"), format="json")
    assert [r["id"] for r in client.get(f"{URL}?status=paid").json()["results"]] == [paid]
    assert len(client.get(f"{URL}?source=营销系统").json()["results"]) == 2
    assert client.get(f"{URL}?status=bogus").status_code == 400
    assert client.get(f"{URL}?status=").status_code == 400
