"""Outcome and responsibility on the ticket (issue 13, part 1): 不予受理 with its reason, the finding
(属实 / 部分属实 / 不属实), the responsible department and the fault outage a repair complaint was about —
through the API and the pages, in the history, the filters, the import, the export and the bulletin."""

import io
import re
from datetime import date

from django.conf import settings
from openpyxl import load_workbook

from complaints.choices import Status
from complaints.imports import import_ticket_row
from complaints.lifecycle import complaint_accept, complaint_decline, complaint_finding
from complaints.models import Complaint
from complaints.selectors import tickets_received_between
from outages.choices import OutageKind
from portal.choices import DeadlineStatus
from portal.models import TrackedDeadline
from reporting.kinds.complaint_bulletin import build_complaint_bulletin
from tests.complaints.factories import push, recent
from tests.outages.factories import at as outage_at
from tests.outages.factories import register


def _fault(world, **overrides):
    return register(
        world.user("submitter_x"),
        world.county_x,
        **{
            "kind": OutageKind.FAULT,
            "external_id": "TA-FAULT-1",
            "reason": "10kV城关线外线故障",
            "published_at": None,
            "start_at": outage_at("2026-09-30 13:20"),
            "end_at": None,
            "channels": [],
            "area_class": "urban",
            "repair_reported_at": outage_at("2026-09-30 13:25"),
            **overrides,
        },
    )


def test_decline_with_reason_stops_the_clocks_and_is_in_the_history(world, calendar, api):
    utility = world.user("submitter_x")
    ticket = push(world.user("system_x"), external_id="95598-DECL", category="billing", received_at=recent(0.2))
    assert TrackedDeadline.objects.for_object(ticket).filter(status=DeadlineStatus.OPEN).exists()
    client = api(utility)
    missing = client.post(f"/api/v1/complaints/{ticket.pk}/decline/", {}, format="json")
    assert missing.status_code == 400 and "note" in missing.json()["errors"]
    reason = "补卡须带房产证明，属正常业务要求，我公司无过失，不予受理"
    r = client.post(f"/api/v1/complaints/{ticket.pk}/decline/", {"note": reason}, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "declined" and body["declined_reason"] == reason and body["declined_at"]
    ticket.refresh_from_db()
    assert not TrackedDeadline.objects.for_object(ticket).filter(status=DeadlineStatus.OPEN).exists()
    assert ticket.next_due is None and not ticket.is_open
    last = ticket.history.first()
    assert last.history_user == utility and last.history_change_reason.startswith("decline: ")
    assert last.status == "declined"
    # Declined once, never again; and nothing can be handled on it.
    again = client.post(f"/api/v1/complaints/{ticket.pk}/decline/", {"note": "再次"}, format="json")
    assert again.status_code == 409  # the ticket's state refuses it (409), whatever the body
    assert client.post(f"/api/v1/complaints/{ticket.pk}/contact/", {}, format="json").status_code == 409
    # The regulator only supervises a 95598 ticket: it does not decline it.
    other = push(world.user("system_x"), external_id="95598-DECL-2", received_at=recent(0.2))
    refused = api(world.user("reg_staff_a")).post(f"/api/v1/complaints/{other.pk}/decline/", {"note": "x"})
    assert refused.status_code == 403


def test_finding_department_and_fault_outage(world, calendar, api, client_for):
    ticket = push(world.user("system_x"), external_id="95598-REPAIR", category="repair", received_at=recent(0.3))
    fault = _fault(world)
    planned = register(world.user("submitter_x"), world.county_x, external_id="TA-PLANNED-1")
    elsewhere = register(
        world.user("submitter_y"),
        world.company_y,
        kind=OutageKind.FAULT,
        external_id="HB-F-1",
        published_at=None,
        channels=[],
        area_class="rural",
        end_at=None,
    )
    client = api(world.user("submitter_x"))
    url = f"/api/v1/complaints/{ticket.pk}/finding/"
    # Received, not yet accepted: no finding yet.
    assert client.post(url, {"finding": "founded"}, format="json").status_code == 409
    client.post(f"/api/v1/complaints/{ticket.pk}/accept/", {}, format="json")
    assert client.post(url, {"finding": "maybe"}, format="json").status_code == 400
    assert "outage" in client.post(url, {"finding": "founded", "outage": planned.pk}, format="json").json()["errors"]
    assert "outage" in client.post(url, {"finding": "founded", "outage": elsewhere.pk}, format="json").json()["errors"]
    r = client.post(
        url,
        {"finding": "partly", "responsible_department": "城关供电所", "outage": fault.pk, "note": "外线故障"},
        format="json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["finding"], body["responsible_department"], body["outage"]) == ("partly", "城关供电所", fault.pk)
    ticket.refresh_from_db()
    row = ticket.history.first()
    assert row.history_user == world.user("submitter_x") and row.finding == "partly" and row.outage_id == fault.pk
    assert ticket.events.filter(action="finding", data__outage=fault.pk).exists()
    page = client_for(world.user("reg_staff_a")).get(f"/complaints/{ticket.pk}/").content.decode()
    assert "部分属实" in page and "城关供电所" in page and fault.get_absolute_url() in page
    # A billing complaint is not linked to an outage.
    billing = push(world.user("system_x"), external_id="95598-BILL", category="billing", received_at=recent(0.3))
    client.post(f"/api/v1/complaints/{billing.pk}/accept/", {}, format="json")
    r = client.post(f"/api/v1/complaints/{billing.pk}/finding/", {"finding": "founded", "outage": fault.pk})
    assert r.status_code == 400 and "outage" in r.json()["errors"]


def test_outcome_filters_in_the_list_the_api_and_the_export(world, calendar, api, client_for):
    system, submitter = world.user("system_x"), world.user("submitter_x")
    fault = _fault(world)
    a = push(system, external_id="95598-F-A", category="repair", received_at=recent(0.3))
    b = push(system, external_id="95598-F-B", category="conduct", received_at=recent(0.3))
    c = push(system, external_id="95598-F-C", category="billing", received_at=recent(0.3))
    for t in (a, b):
        api(submitter).post(f"/api/v1/complaints/{t.pk}/accept/", {}, format="json")
    complaint_finding(
        ticket=a, acting_user=submitter, finding="founded", responsible_department="抢修班", outage=fault.pk
    )
    complaint_finding(ticket=b, acting_user=submitter, finding="unfounded", responsible_department="营业厅")
    api(submitter).post(f"/api/v1/complaints/{c.pk}/decline/", {"note": "无过失"}, format="json")
    reg = api(world.user("reg_staff_a"))

    def ids(query):
        r = reg.get(f"/api/v1/complaints/?{query}")
        assert r.status_code == 200, r.content
        return {t["id"] for t in r.json()["results"]}

    assert ids("finding=founded") == {a.pk}
    assert ids("finding=unfounded") == {b.pk}
    assert ids("responsible_department=营业") == {b.pk}
    assert ids(f"outage={fault.pk}") == {a.pk}
    assert ids("has_outage=true") == {a.pk}
    assert ids("has_outage=false") >= {b.pk, c.pk} and a.pk not in ids("has_outage=false")
    assert ids("status=declined") == {c.pk}
    assert reg.get("/api/v1/complaints/?finding=nonsense").status_code == 400
    page = client_for(world.user("reg_staff_a")).get("/complaints/?finding=founded")
    assert [t.pk for t, _s, _p in page.context["tickets"]] == [a.pk]
    assert "属实" in page.content.decode()
    response = client_for(world.user("reg_staff_a")).get("/complaints/export.xlsx?has_outage=true")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    header, data = list(rows[1]), rows[2:]  # a title row, the headers, the tickets
    assert len(data) == 1
    assert "核实结论" in header
    assert data[0][header.index("核实结论")] == "属实"
    assert data[0][header.index("责任部门")] == "抢修班"
    assert data[0][header.index("故障停电")] == fault.pk


def test_import_reads_the_finding_and_the_department(world, calendar):
    system = world.user("system_x")
    row = {
        "渠道": "95598",
        "类型": "投诉",
        "外部编号": "95598-IMP-OUT",
        "受理时间": "2026-09-30 14:00",
        "责任单位编码": "T-X-C-K",
        "诉求分类": "抢修",
        "诉求内容": "抢修人员迟迟未到",
        "核实结论": "部分属实",
        "责任部门": "抢修班",
    }
    assert import_ticket_row(row, job=None, acting_user=system) == "created"
    ticket = Complaint.objects.get(external_id="95598-IMP-OUT")
    assert (ticket.finding, ticket.responsible_department) == ("partly", "抢修班")
    assert import_ticket_row(row, job=None, acting_user=system) == "unchanged"
    assert import_ticket_row({**row, "核实结论": "不属实"}, job=None, acting_user=system) == "updated"
    ticket.refresh_from_db()
    assert ticket.finding == "unfounded"
    assert ticket.history.first().history_change_reason == "updated by the source system"


def test_the_bulletin_counts_outcomes_per_utility(world, calendar):
    system, submitter = world.user("system_x"), world.user("submitter_x")
    fault = _fault(world)
    tickets = [
        push(system, external_id=f"95598-BUL-{i}", category="repair", received_at=f"2026-10-{10 + i}T10:00:00+08:00")
        for i in range(4)
    ]
    # The pushed tickets are received, not accepted: accept, then record.
    for t, finding in zip(tickets[:3], ["founded", "partly", "unfounded"], strict=True):
        complaint_accept(ticket=t, acting_user=submitter, at=outage_at("2026-10-20 09:00"))
        complaint_finding(
            ticket=t, acting_user=submitter, finding=finding, outage=fault.pk if finding == "founded" else None
        )
    complaint_decline(ticket=tickets[3], acting_user=submitter, note="无过失", at=outage_at("2026-10-20 09:00"))
    content = build_complaint_bulletin(office=world.office_a, start=date(2026, 10, 1), end=date(2026, 10, 31))
    table = content.tables["complaint_outcomes"]
    row = next(r for r in table.rows if r[0] == world.county_x.name)
    # received, declined, 属实, 部分属实, 不属实, justified rate, linked to a fault outage
    assert row[1:6] == [4, 1, 1, 1, 1]
    assert row[6] == 66.7 and row[7] == 1
    received = tickets_received_between(
        utility_ids=[world.county_x.pk], lo=outage_at("2026-10-01 00:00"), hi=outage_at("2026-11-01 00:00")
    )
    assert received.filter(status=Status.DECLINED).count() == 1


def test_the_history_says_each_step_in_the_readers_language(world, calendar, api, client_for):
    """Stored reasons are step names and keys ("decline: note", "intake"); the page reads them out."""
    ticket = push(world.user("system_x"), external_id="95598-HIST", received_at=recent(0.2))
    note = "不予受理的理由"
    assert (
        api(world.user("submitter_x")).post(f"/api/v1/complaints/{ticket.pk}/decline/", {"note": note}).status_code
        == 200
    )
    client = client_for(world.user("submitter_x"))
    zh = client.get(f"/complaints/{ticket.pk}/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(f"/complaints/{ticket.pk}/").content.decode()
    assert "decline:" not in zh and "intake" not in zh
    assert re.search(r"修改: \S+: " + note, zh) and "接收登记" in zh
    assert re.search(r"changed: [A-Z][a-z]+[^:]*: " + note, en) and "received from the source system" in en
