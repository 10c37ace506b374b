"""Pages: the permission matrix, registering through the form, workflow buttons, export,
dashboard, the violations page with disposition, and query counts on the list."""

import io

import pytest
from openpyxl import load_workbook

from outages.choices import ComplianceState
from outages.models import OutageNotice
from portal.models import Violation
from tests.outages.factories import OutageNoticeFactory, at, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(world, calendar):
    return register(world.user("submitter_x"), world.county_x, published_at=at("2026-03-05 09:00"))


READ_PAGES = ["/outages/", "/outages/dashboard/", "/outages/violations/", "/outages/export.xlsx"]


@pytest.mark.parametrize("url", READ_PAGES)
def test_anonymous_is_sent_to_login(client_for, url):
    r = client_for(None).get(url)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_detail_permission_matrix(world, client_for, notice):
    url = f"/outages/{notice.pk}/"
    assert client_for(None).get(url).status_code == 302
    assert client_for(world.user("manager_y")).get(url).status_code == 404
    assert client_for(world.user("reg_staff_b")).get(url).status_code == 404
    assert client_for(world.user("reg_staff_a")).get(url).status_code == 200
    assert client_for(world.user("submitter_x")).get(url).status_code == 200


def test_write_pages_permission_matrix(world, client_for, notice):
    edit = f"/outages/{notice.pk}/edit/"
    cancel = f"/outages/{notice.pk}/cancel/"
    assert client_for(world.user("reg_staff_a")).get("/outages/new/").status_code == 403
    assert client_for(world.user("reg_staff_a")).get(edit).status_code == 403
    assert client_for(world.user("reg_staff_a")).post(cancel).status_code == 403
    assert client_for(world.user("manager_y")).get(edit).status_code == 404
    assert client_for(world.user("manager_y")).post(cancel).status_code == 404
    assert client_for(world.user("submitter_x")).get(edit).status_code == 200
    assert client_for(world.user("manager_x")).get("/outages/new/").status_code == 200
    notice.refresh_from_db()
    assert notice.status == "scheduled"


def test_register_through_the_form(world, client_for, calendar):
    c = client_for(world.user("submitter_x"))
    r = c.post(
        "/outages/new/",
        {
            "utility": world.county_x.pk,
            "kind": "temporary",
            "external_id": "",
            "area": "城关镇东关村",
            "lines": "10kV东关线",
            "start_at": "2026-03-10T08:00",
            "end_at": "2026-03-10T12:00",
            "published_at": "2026-03-09T09:00",
            "channels": ["sms"],
        },
    )
    notice = OutageNotice.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/outages/{notice.pk}/"
    assert notice.external_id.startswith("PORTAL-") and notice.compliance_state == ComplianceState.VIOLATION
    page = c.get(r["Location"]).content.decode()
    assert "违规" in page and "outage.notice.temporary" in page


def test_form_shows_field_errors_from_the_service(world, client_for, calendar):
    r = client_for(world.user("submitter_x")).post(
        "/outages/new/",
        {
            "utility": world.county_x.pk,
            "kind": "planned",
            "area": "东关村",
            "start_at": "2026-03-10T08:00",
            "end_at": "2026-03-10T07:00",
        },
    )
    assert r.status_code == 200
    assert "送电时间须晚于停电时间" in r.content.decode()
    assert not OutageNotice.objects.exists()


def test_workflow_buttons(world, client_for, notice):
    c = client_for(world.user("submitter_x"))
    c.post(f"/outages/{notice.pk}/start/", {"at": "2026-03-10T08:00"})
    c.post(f"/outages/{notice.pk}/restore/", {"at": "2026-03-10T19:00"})
    notice.refresh_from_db()
    assert notice.status == "restored"
    assert {r["rule"]: r["state"] for r in notice.compliance["rules"]}[
        "outage.restoration.scheduled_end"
    ] == "violation"


def test_export_uses_the_filters(world, client_for, notice, calendar):
    register(world.user("submitter_x"), world.county_x, external_id="OK-1", published_at=at("2026-03-01 09:00"))
    r = client_for(world.user("reg_staff_a")).get("/outages/export.xlsx?compliance=violation")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert "通知编号" in rows[1]
    ids = [row[0] for row in rows[2:]]
    assert ids == [notice.external_id]


def test_violations_page_lets_regulators_dispose(world, client_for, notice):
    v = Violation.objects.get(object_id=notice.pk, code="outage.notice.planned")
    page = client_for(world.user("reg_staff_a")).get("/outages/violations/").content.decode()
    assert notice.external_id in page and "dispose-form" in page
    assert "dispose-form" not in client_for(world.user("submitter_x")).get("/outages/violations/").content.decode()
    r = client_for(world.user("reg_staff_a")).post(
        f"/violations/{v.pk}/dispose/",
        {"disposition": "excused", "reason": "暴雨抢险，经核实", "next": "/outages/violations/"},
    )
    assert r.status_code == 302 and r["Location"] == "/outages/violations/"
    v.refresh_from_db()
    assert v.disposition == "excused"
    assert (
        client_for(world.user("reg_staff_b")).get("/outages/violations/").content.decode().count("violation-row") == 0
    )


def test_dashboard_numbers(world, client_for, notice):
    page = client_for(world.user("reg_staff_a")).get("/outages/dashboard/").content.decode()
    assert "国网汶源县供电公司" in page and "100.0%" in page


def test_list_query_count(world, client_for, calendar, django_assert_max_num_queries):
    for _ in range(40):
        OutageNoticeFactory(utility=world.county_x)
    c = client_for(world.user("reg_staff_a"))
    with django_assert_max_num_queries(12):
        r = c.get("/outages/")
    assert r.content.decode().count("compliance-badge") == 40


def test_workbench_panel(world, client_for, notice):
    page = client_for(world.user("reg_staff_a")).get("/").content.decode()
    assert "outages-panel" in page


def test_lead_time_in_words_with_what_the_rule_asks(world, client_for, calendar):
    """Issue 20: "提前9天23小时，规定≥7天", not "提前239.0小时"."""
    register(world.user("submitter_x"), world.county_x, published_at=at("2026-02-28 09:00"))
    page = client_for(world.user("reg_staff_a")).get("/outages/").content.decode()
    assert "提前9天23小时，规定≥7天" in page and "239.0" not in page
