"""Pages: the list (highlighting, counts, keyset pages), the ticket page and its forms, the 12398
queue, the Excel export (Chinese headers, masked personal data), the import job with errors and resume."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from complaints.models import Complaint
from portal.imports import import_job_create, import_job_run
from portal.models import ImportJob, ImportStatus
from portal.services import deadlines_sweep
from tests.complaints.factories import ComplaintFactory, push, recent

pytestmark = pytest.mark.django_db


def test_list_highlights_overdue_and_counts(world, calendar, client_for):
    overdue = push(world.user("system_x"))  # 2026-09-30: overdue now
    fresh = push(world.user("system_x"), external_id="F", received_at=recent(0.01))
    deadlines_sweep()
    page = client_for(world.user("reg_staff_a")).get("/complaints/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'class="ticket-row table-danger" data-state="overdue" data-id="{overdue.pk}"' in html
    assert f'data-state="on_time" data-id="{fresh.pk}"' in html
    assert page.context["counts"]["overdue_now"] == 1 and page.context["counts"]["total"] == 2
    assert "138****1234" in html and "13805381234" not in html  # masked for the regulator
    filtered = client_for(world.user("reg_staff_a")).get("/complaints/?deadline_state=overdue")
    assert [t.pk for t, _s, _p in filtered.context["tickets"]] == [overdue.pk]
    assert client_for(world.user("manager_y")).get("/complaints/").context["counts"]["total"] == 0


def test_list_pages_by_keyset(world, client_for):
    ComplaintFactory.create_batch(60, utility=world.county_x)
    client = client_for(world.user("reg_staff_a"))
    first = client.get("/complaints/")
    seen = [t.pk for t, _s, _p in first.context["tickets"]]
    assert len(seen) == 50 and first.context["next_before"] == seen[-1]
    second = client.get(f"/complaints/?before={seen[-1]}")
    rest = [t.pk for t, _s, _p in second.context["tickets"]]
    assert len(rest) == 10 and not set(rest) & set(seen)
    assert client.get("/complaints/?before=abc").status_code == 200


def test_ticket_page_actions_and_scoping(world, calendar, client_for):
    regulator = world.user("reg_staff_a")
    ticket = push(regulator, channel="12398", external_id="12398-1", received_at=recent(0.1))
    reg = client_for(regulator)
    page = reg.get(f"/complaints/{ticket.pk}/")
    assert page.status_code == 200
    offered = {step.name for step, _form, _hint in page.context["steps"]}
    assert offered == {"forward", "accept", "contact", "reply", "supervise", "decline"}
    assert "complaint.reply.statutory" in page.content.decode()
    assert page.context["explanations"]  # every rule deadline with its trace
    assert client_for(world.user("manager_x")).get(f"/complaints/{ticket.pk}/").status_code == 404
    assert reg.get("/complaints/queue/").context["tickets"][0][0] == ticket
    response = reg.post(f"/complaints/{ticket.pk}/forward/", {"note": "请核实"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "forwarded"
    assert reg.get("/complaints/queue/").context["tickets"] == []
    util = client_for(world.user("submitter_x"))
    page = util.get(f"/complaints/{ticket.pk}/")
    assert {step.name for step, _form, _hint in page.context["steps"]} == {"contact", "reply", "finding"}
    assert page.context["personal"]["customer_phone"] == "13805381234"
    util.post(f"/complaints/{ticket.pk}/contact/", {})
    util.post(f"/complaints/{ticket.pk}/close/", {})  # refused: message, nothing changes
    ticket.refresh_from_db()
    assert ticket.status == "contacted"
    util.post(f"/complaints/{ticket.pk}/reply/", {"opinion": "已处理完毕"})
    ticket.refresh_from_db()
    assert ticket.status == "replied"
    assert util.post(f"/complaints/{ticket.pk}/forward/", {}).status_code == 403  # regulators only
    ticket.refresh_from_db()
    assert ticket.status == "replied"
    assert client_for(world.user("manager_y")).post(f"/complaints/{ticket.pk}/contact/", {}).status_code == 404
    assert util.get("/complaints/queue/").status_code == 403


def test_export_has_chinese_headers_and_masks_personal_data(world, calendar, client_for):
    push(world.user("system_x"), received_at=recent(0.1))
    response = client_for(world.user("reg_staff_a")).get("/complaints/export.xlsx?channel=95598")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows[1]
    assert "渠道" in header and "联系电话" in header and "答复时限" in header
    data = dict(zip(header, rows[2], strict=False))
    assert data["联系电话"] == "138****1234"
    own = client_for(world.user("manager_x")).get("/complaints/export.xlsx")
    ws = load_workbook(io.BytesIO(b"".join(own.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert dict(zip(rows[1], rows[2], strict=False))["联系电话"] == "13805381234"


CSV_HEADER = "渠道,类型,外部编号,受理时间,责任单位编码,地区,诉求分类,诉求内容,客户姓名,联系电话,地址\n"


def _csv(rows: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("tickets.csv", (CSV_HEADER + "\n".join(rows) + "\n").encode("utf-8"))


def _row(i: int, **kw) -> str:
    values = {
        "channel": "95598",
        "kind": "投诉",
        "ext": f"IMP-{i:05d}",
        "at": "2026-11-20 09:30",
        "utility": "T-X-C-K",
        "category": "停限电",
        "phone": "13805381234",
    } | kw
    return (
        f"{values['channel']},{values['kind']},{values['ext']},{values['at']},{values['utility']},汶源县,"
        f"{values['category']},东关村停电{i},王五,{values['phone']},东关村{i}号"
    )


def test_import_job_with_errors_report_and_resume(world, calendar, client_for, monkeypatch, settings):
    user = world.user("system_x")
    rows = [_row(i) for i in range(450)]
    rows[10] = _row(10, category="天气")
    rows[20] = _row(20, phone="12")
    rows[30] = _row(30, utility="T-Y")
    job = import_job_create(kind="complaints.tickets", file=_csv(rows), acting_user=user)
    # The worker dies in the third chunk of 200: the first two chunks stay committed.
    from complaints import imports

    settings.IMPORT_CHUNK_ROWS = 200

    real = imports.import_ticket_rows
    calls = {"n": 0}

    def flaky(rows, *, job, acting_user):
        calls["n"] += len(rows)
        if calls["n"] >= 420:
            raise RuntimeError("worker killed")
        return real(rows, job=job, acting_user=acting_user)

    from portal.imports import IMPORT_KINDS

    monkeypatch.setitem(
        IMPORT_KINDS,
        "complaints.tickets",
        IMPORT_KINDS["complaints.tickets"].__class__(
            **{**IMPORT_KINDS["complaints.tickets"].__dict__, "handler": flaky}
        ),
    )
    with pytest.raises(RuntimeError):
        import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.processed_rows == 400
    assert Complaint.objects.count() == 397
    monkeypatch.undo()
    job = import_job_run(job.pk)  # resumed
    assert job.status == ImportStatus.DONE
    assert Complaint.objects.count() == 447 and job.created_count == 447 and job.error_count == 3
    reader = client_for(world.user("manager_x"))  # system accounts hold no browser session
    page = reader.get(f"/imports/{job.pk}/?format=json")
    assert page.json()["status"] == "done"
    report = reader.get(f"/imports/{job.pk}/errors.xlsx")
    ws = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    text = " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "诉求分类" in text and "联系电话" in text and "责任单位编码" in text
    # Re-running the whole file creates nothing twice.
    again = import_job_create(kind="complaints.tickets", file=_csv(rows), acting_user=user)
    again = import_job_run(again.pk)
    assert again.unchanged_count == 447 and Complaint.objects.count() == 447
    assert ImportJob.objects.count() == 2


def test_history_shows_who_when_what_in_shanghai_time(world, calendar, client_for):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from complaints.lifecycle import complaint_contact

    ticket = push(world.user("system_x"), received_at=recent(0.1))
    contacted = datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    ticket.received_at = contacted.replace(hour=8)
    Complaint.objects.filter(pk=ticket.pk).update(received_at=ticket.received_at)
    complaint_contact(ticket=ticket, acting_user=world.user("submitter_x"), at=contacted, note="电话联系")
    html = client_for(world.user("submitter_x")).get(f"/complaints/{ticket.pk}/").content.decode()
    assert "2026-12-01 09:30:00" in html  # stored 01:30 UTC, shown in Asia/Shanghai
    assert "submitter_x" in html and "已联系客户: 电话联系" in html  # the step read out, not its code


def test_history_names_values_and_never_replays_personal_data(world, calendar, client_for):
    from complaints.lifecycle import complaint_forward

    regulator = world.user("reg_staff_a")
    ticket = push(regulator, channel="12398", external_id="12398-H-1", received_at=recent(0.1))
    complaint_forward(ticket=ticket, acting_user=regulator, note="转办")
    Complaint.objects.filter(pk=ticket.pk).update(customer_phone="13900001111")
    ticket.refresh_from_db()
    ticket.customer_phone = "13622223333"
    ticket._change_reason = "source corrected the phone"
    ticket.save()
    html = client_for(regulator).get(f"/history/complaints/complaint/{ticket.pk}/").content.decode()
    assert "已转办" in html and "forwarded" not in html  # the status by its label, not its code
    assert world.office_a.name in html  # the forwarding office by name, not by id
    assert "13622223333" not in html and "13900001111" not in html and "***" in html
