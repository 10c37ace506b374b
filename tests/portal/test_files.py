"""Excel export/import and attachments: what a user uploads and downloads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from complaints.models import Complaint
from portal.excel import Column, read_table, write_xlsx
from portal.imports import import_job_create, import_job_run
from portal.models import Attachment, ImportJob, ImportStatus
from portal.services import attachment_add

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def xlsx_bytes(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_export_has_chinese_headers_and_real_formats():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    buf = io.BytesIO()
    rows = [{"n": 3, "rate": 99.95, "at": datetime(2026, 10, 8, 1, 30, tzinfo=ZoneInfo("UTC"))}]
    cols = [Column("数量", "n", "int"), Column("及时率", "rate", "percent"), Column("时间", "at", "datetime")]
    assert write_xlsx(buf, sheet="测试", columns=cols, rows=rows) == 1
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    assert [c.value for c in ws[1]] == ["数量", "及时率", "时间"]
    assert ws["A2"].value == 3 and ws["B2"].number_format == '0.00"%"'
    assert ws["C2"].value.hour == 9  # shown in Asia/Shanghai


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_read_table_reads_csv_in_both_chinese_encodings(encoding):
    data = "日期,类型,节日\n2027-01-01,法定节假日,元旦\n,,\n".encode(encoding)
    rows = list(read_table(io.BytesIO(data)))
    assert rows == [(2, {"日期": "2027-01-01", "类型": "法定节假日", "节日": "元旦"})]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_a_large_csv_reads_whatever_character_its_64_kib_sample_ends_in(encoding):
    """The encoding is told from the first 65,536 bytes; a character split at that byte must not make a
    good file "neither .xlsx nor CSV" (a 100,000-row UTF-8 import was refused so)."""
    header = "工单号,内容\n".encode(encoding)
    row = "T-{:06d},城关镇东关村频繁停电\n"
    for pad in range(4):  # shift the rows so that every byte of a character falls on the boundary once
        data = header + b"P" + b"x" * pad + b",\n"
        data += "".join(row.format(i) for i in range(4000)).encode(encoding)
        assert len(data) > 65536
        rows = list(read_table(io.BytesIO(data)))
        assert len(rows) == 4001 and rows[-1][1] == {"工单号": "T-003999", "内容": "城关镇东关村频繁停电"}


def test_read_table_reads_xlsx_with_spreadsheet_row_numbers():
    data = xlsx_bytes([["日期", "类型"], ["2027-01-01", "法定节假日"], [None, None], ["2027-02-06", "调休上班日"]])
    assert [n for n, _ in read_table(io.BytesIO(data))] == [2, 4]


KIND = "complaints.tickets"
HEADER = ["渠道", "类型", "外部编号", "受理时间", "责任单位编码", "诉求分类", "诉求内容"]


def ticket_row(n: int, **overrides) -> list:
    """One 95598 ticket row of the complaints import (the generic runner's tests use it as a plain kind)."""
    row = {
        "渠道": "95598",
        "类型": "投诉",
        "外部编号": f"IMP-{n:05d}",
        "受理时间": "2026-09-30 14:00",
        "责任单位编码": "T-X-C-K",
        "诉求分类": "停限电",
        "诉求内容": f"第{n}号：城关镇东关村频繁停电。",
    }
    row.update(overrides)
    return [row[h] for h in HEADER]


@pytest.mark.django_db
def test_import_keeps_good_rows_reports_bad_ones_and_is_idempotent(world, django_capture_on_commit_callbacks):
    manager = world.user("manager_x")
    data = xlsx_bytes(
        [
            HEADER,
            ticket_row(1),
            ticket_row(2, 受理时间="2026-13-01 14:00"),  # bad date
            ticket_row(3, 责任单位编码="T-B"),  # another province's utility
            ticket_row(4),
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(kind=KIND, file=SimpleUploadedFile("t.xlsx", data), acting_user=manager)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.total_rows, job.created_count, job.error_count) == (4, 2, 2)
    assert set(job.row_errors.values_list("row_number", flat=True)) == {3, 4}
    assert Complaint.objects.filter(external_id__startswith="IMP-").count() == 2
    # The same file again creates nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = import_job_create(kind=KIND, file=SimpleUploadedFile("t.xlsx", data), acting_user=manager)
    again.refresh_from_db()
    assert (again.created_count, again.unchanged_count) == (0, 2)
    assert Complaint.objects.filter(external_id__startswith="IMP-").count() == 2


@pytest.mark.django_db
def test_import_resumes_after_the_last_committed_chunk(world, monkeypatch, settings):
    """A worker killed mid-file: the job resumes after the saved row, and nothing is created twice."""
    import portal.imports as imports

    settings.IMPORT_CHUNK_ROWS = 2
    manager = world.user("manager_x")
    rows = [HEADER] + [ticket_row(n) for n in range(1, 8)]
    job = ImportJob.objects.create(
        kind=KIND,
        organisation=manager.organisation,
        created_by=manager,
        filename="x.xlsx",
        sha256="0" * 64,
        total_rows=7,
    )
    job.file.save("x.xlsx", SimpleUploadedFile("x.xlsx", xlsx_bytes(rows)))
    real = imports.IMPORT_KINDS[KIND].handler
    calls = {"n": 0}

    def dying(rows, **kw):
        calls["n"] += len(rows)
        if calls["n"] >= 5:
            raise RuntimeError("worker killed")
        return real(rows, **kw)

    monkeypatch.setitem(imports.IMPORT_KINDS, KIND, imports.ImportKind(KIND, "x", dying))
    with pytest.raises(RuntimeError):
        import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.last_row_number == 5  # rows 2–5 committed
    monkeypatch.setitem(imports.IMPORT_KINDS, KIND, imports.ImportKind(KIND, "x", real))
    job = import_job_run(job.pk)
    assert job.status == ImportStatus.DONE and job.created_count == 7 and job.processed_rows == 7
    assert Complaint.objects.filter(external_id__startswith="IMP-").count() == 7


@pytest.mark.django_db
def test_import_permissions_and_bad_files(world, client_for):
    assert client_for(world.user("reg_staff_b")).get("/imports/new/complaints.tickets/").status_code == 200
    assert client_for(world.user("manager_x")).get("/imports/new/portal.unknown/").status_code == 404
    c = client_for(world.user("manager_x"))
    assert c.get("/imports/new/complaints.tickets/").status_code == 200
    r = c.post(
        "/imports/new/complaints.tickets/", {"file": SimpleUploadedFile("a.xlsx", b"not a spreadsheet \xff\xfe")}
    )
    assert r.status_code == 200 and "xlsx" in r.content.decode()
    template = c.get("/imports/template/complaints.tickets.xlsx")
    assert template.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(template.streaming_content))).active
    assert [c.value for c in ws[1]][:3] == ["渠道", "类型", "外部编号"]


@pytest.mark.django_db
def test_import_progress_and_errors_are_scoped(world, client_for, django_capture_on_commit_callbacks):
    data = xlsx_bytes([HEADER, ticket_row(1, 受理时间="bad")])
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(kind=KIND, file=SimpleUploadedFile("a.xlsx", data), acting_user=world.user("manager_x"))
    mine = client_for(world.user("manager_x"))
    assert mine.get(f"/imports/{job.pk}/?format=json").json()["errors"] == 1
    assert mine.get(f"/imports/{job.pk}/errors.xlsx").status_code == 200
    assert client_for(world.user("manager_y")).get(f"/imports/{job.pk}/").status_code == 404


@pytest.mark.django_db
def test_attachment_type_is_sniffed_and_size_limited(world, settings):
    from django.core.exceptions import ValidationError

    owner, user = world.county_x, world.user("submitter_x")
    a = attachment_add(owner=owner, utility=owner, file=SimpleUploadedFile("证明.pdf", PDF), acting_user=user)
    assert a.mime_type == "application/pdf" and len(a.sha256) == 64
    with pytest.raises(ValidationError) as duplicate:  # never silently dropped with its new name
        attachment_add(owner=owner, utility=owner, file=SimpleUploadedFile("again.pdf", PDF), acting_user=user)
    assert duplicate.value.code == "duplicate" and "证明.pdf" in duplicate.value.messages[0]
    assert Attachment.objects.count() == 1
    with pytest.raises(ValidationError) as bad_type:
        attachment_add(
            owner=owner,
            utility=owner,
            file=SimpleUploadedFile("x.pdf", b"MZ\x90\x00" + b"\x00" * 100),
            acting_user=user,
        )
    with pytest.raises(ValidationError) as mismatch:
        attachment_add(owner=owner, utility=owner, file=SimpleUploadedFile("photo.pdf", PNG), acting_user=user)
    settings.UPLOAD_MAX_BYTES = 50
    with pytest.raises(ValidationError) as too_large:
        attachment_add(owner=owner, utility=owner, file=SimpleUploadedFile("big.png", PNG), acting_user=user)
    codes = (bad_type.value.code, mismatch.value.code, too_large.value.code)
    assert codes == ("bad_type", "name_mismatch", "too_large")
    assert "50" in too_large.value.messages[0]  # the message names the limit


@pytest.mark.django_db
def test_attachment_download_only_for_those_who_see_the_record(world, client_for):
    owner = world.county_x
    a = attachment_add(
        owner=owner, utility=owner, file=SimpleUploadedFile("证明.pdf", PDF), acting_user=world.user("submitter_x")
    )
    url = f"/attachments/{a.pk}/"
    r = client_for(world.user("manager_x")).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert r["X-Content-Type-Options"] == "nosniff"
    assert client_for(world.user("manager_y")).get(url).status_code == 404
    assert client_for(world.user("reg_staff_b")).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    assert Attachment.objects.get().file.path.endswith(f"{a.sha256}.pdf")
