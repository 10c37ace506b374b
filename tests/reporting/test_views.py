"""Report pages: request, progress, download, versions, Excel of each table; the dashboard."""

import io
import re

import pytest
from openpyxl import load_workbook

from reporting.models import ReportJob

pytestmark = pytest.mark.django_db


def _request(client, **data):
    return client.post("/reports/new/", data)


def test_request_progress_download_and_versions(
    world, campaign_with_data, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.user("reg_staff_a"))
    page = client.get("/reports/")
    assert page.status_code == 200 and campaign_with_data.title in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = _request(client, kind="campaign_special", campaign=campaign_with_data.pk)
    job = ReportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/reports/{job.pk}/"
    status = client.get(f"/reports/{job.pk}/status/").json()
    assert status["status"] == "done" and status["progress"] == 100
    detail = client.get(f"/reports/{job.pk}/").content.decode()
    assert 'id="download-pdf"' in detail and job.sha256 in detail
    pdf = client.get(f"/reports/{job.pk}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/reports/{job.pk}/regenerate/")
    new = ReportJob.objects.exclude(pk=job.pk).get()
    assert new.version == 2 and r["Location"] == f"/reports/{new.pk}/"
    assert "v1" in client.get(f"/reports/{new.pk}/").content.decode()
    # A period report regenerates with the same period (stored as start/end).
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, kind="outage_compliance", period="2026Q2")
    period = ReportJob.objects.get(kind="outage_compliance")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/reports/{period.pk}/regenerate/")
    again = ReportJob.objects.filter(kind="outage_compliance").order_by("-version").first()
    assert again.version == 2 and again.params == period.params == {
        "start": "2026-04-01",
        "end": "2026-06-30",
        "office": world.office_a.pk,
    }


def test_every_table_exports_to_xlsx_with_chinese_headers(
    world, campaign_with_data, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.user("reg_staff_a"))
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, kind="campaign_special", campaign=campaign_with_data.pk)
    job = ReportJob.objects.get()
    keys = [t["key"] for t in job.tables]
    assert {"self_check", "rectification", "outage_by_kind", "complaint_timeliness"} <= set(keys)
    for key in keys:
        r = client.get(f"/reports/{job.pk}/tables/{key}.xlsx")
        assert r.status_code == 200, key
        wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
        ws = wb.active
        header = [c.value for c in ws[2]]
        assert all(re.search(r"[\u4e00-\u9fff]", str(h)) for h in header), (key, header)
    r = client.get(f"/reports/{job.pk}/tables/rectification.xlsx")
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    first = next(ws.iter_rows(min_row=3, values_only=True))
    due = first[5]
    assert first[2] == "计划停电公告未提前7天发布"  # whole, as filed
    assert due.year == 2026 and ws.cell(row=3, column=6).number_format == "yyyy-mm-dd"
    assert client.get(f"/reports/{job.pk}/tables/nope.xlsx").status_code == 404
    listing = client.get("/reports/export.xlsx")
    assert listing.status_code == 200


def test_pages_of_other_offices_are_404(world, campaign_with_data, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _request(client_for(world.user("reg_staff_a")), kind="campaign_special", campaign=campaign_with_data.pk)
    job = ReportJob.objects.get()
    other = client_for(world.user("reg_staff_b"))
    for url in (
        f"/reports/{job.pk}/",
        f"/reports/{job.pk}/pdf/",
        f"/reports/{job.pk}/status/",
        f"/reports/{job.pk}/tables/self_check.xlsx",
    ):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/reports/{job.pk}/regenerate/").status_code == 404
    # A campaign the office may not see: refused with a message, nothing queued.
    r = _request(other, kind="campaign_special", campaign=campaign_with_data.pk)
    assert r.status_code == 302 and ReportJob.objects.count() == 1
    assert client_for(None).get("/reports/").status_code == 302


def test_dashboard_figures_and_drill_down_links(world, campaign_with_data, client_for, django_assert_max_num_queries):
    from reporting.services import complaint_stats_refresh

    complaint_stats_refresh()
    client = client_for(world.user("reg_staff_a"))
    with django_assert_max_num_queries(25):
        r = client.get("/reports/dashboard/")
    assert r.status_code == 200
    charts = {c["key"]: c for c in r.context["charts"]}
    outages = charts["outages_by_kind"]["payload"]
    violation = next(s for s in outages["series"] if s["state"] == "violation")
    planned = outages["categories"].index("计划检修")
    assert violation["data"][planned] == 1
    link = violation["urls"][planned]
    assert link.startswith("/outages/?") and "kind=planned" in link and "compliance=violation" in link
    listed = client.get(link).content.decode()
    assert "R-2" in listed and "R-1" not in listed
    channel = charts["complaints_channel"]["payload"]["series"][0]
    assert sum(channel["data"]) == 3
    i = channel["data"].index(2)
    assert "channel=95598" in channel["urls"][i]
    sc = charts["self_check"]["payload"]["series"][0]
    assert sum(sc["data"]) == 2 and all(u.startswith("/campaigns/reports/?status=") for u in sc["urls"])
    rect = charts["rectification_utility"]["payload"]
    assert rect["series"][0]["data"] == [50.0]
    assert 'data-chart="data-outages_by_kind"' in r.content.decode()
    assert 'id="data-outages_by_kind" type="application/json"' in r.content.decode()
    # Scoped: office B sees none of it.
    other = client_for(world.user("reg_staff_b")).get("/reports/dashboard/")
    assert sum(sum(s["data"]) for c in other.context["charts"] for s in c["payload"]["series"]) == 0


def test_dashboard_period_filter(world, campaign_with_data, client_for):
    from reporting.services import complaint_stats_refresh

    complaint_stats_refresh()
    r = client_for(world.user("reg_staff_a")).get("/reports/dashboard/?start=2026-04&end=2026-04")
    charts = {c["key"]: c for c in r.context["charts"]}
    series = charts["outages_by_kind"]["payload"]["series"]
    assert sum(sum(s["data"]) for s in series) == 1  # only R-2 starts in April
    url = next(s for s in series if s["state"] == "violation")["urls"][0]
    assert "start_after=2026-04-01T00%3A00%3A00%2B08%3A00" in url
    assert sum(charts["complaints_channel"]["payload"]["series"][0]["data"]) == 0
    september = client_for(world.user("reg_staff_a")).get("/reports/dashboard/?start=2026-09&end=2026-09")
    charts = {c["key"]: c for c in september.context["charts"]}
    assert sum(charts["complaints_channel"]["payload"]["series"][0]["data"]) == 3
    assert charts["complaints_month"]["payload"]["categories"] == ["2026-09"]
    assert (
        "received_before=2026-10-01T00%3A00%3A00%2B08%3A00"
        in charts["complaints_month"]["payload"]["series"][0]["urls"][0]
    )
    bad = client_for(world.user("reg_staff_a")).get("/reports/dashboard/?start=2026-13")
    assert bad.status_code == 200 and bad.context["form"].errors


def test_complaint_stats_match_the_live_tickets_and_hide_unforwarded_12398(world, campaign_with_data):
    from complaints.models import Complaint
    from reporting.dashboard import Filters, complaint_on_time_by_utility, complaints_by_channel
    from reporting.models import ComplaintMonthStat
    from reporting.services import complaint_stats_refresh
    from tests.complaints.factories import push

    push(world.user("system_a"), external_id="12398-1", channel="12398")  # not forwarded yet
    assert complaint_stats_refresh() == ComplaintMonthStat.objects.count() > 0
    assert complaint_stats_refresh() == ComplaintMonthStat.objects.count()  # a rebuild, not an append
    total = sum(ComplaintMonthStat.objects.values_list("received", flat=True))
    assert total == Complaint.objects.count() == 4
    reg = complaints_by_channel(world.user("reg_staff_a"), Filters())["series"][0]["data"]
    utility = complaints_by_channel(world.user("manager_x"), Filters())["series"][0]["data"]
    assert sum(reg) == 4 and sum(utility) == 2  # county X's two; the unforwarded 12398 item is not theirs yet
    assert sum(utility) == Complaint.objects.visible_to(world.user("manager_x")).count()
    on_time = complaint_on_time_by_utility(world.user("reg_staff_a"), Filters())
    rates = dict(zip(on_time["categories"], on_time["series"][0]["data"], strict=True))
    assert rates[world.county_x.name] == 33.3 and rates[world.company_y.name] == 100.0  # 1 of 3 due (12398 too)


def test_workbench_panel_lists_reports(world, calendar, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.user("reg_staff_a"))
    assert 'id="reporting-panel"' in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _request(client, kind="outage_compliance", period="2026")
    assert "停电信息公告合规情况报告" in client.get("/").content.decode()


def _jobs(world, n):
    for i in range(n):
        ReportJob.objects.create(
            kind="outage_compliance",
            params={"start": "2026-01-01", "end": "2026-01-31", "office": world.office_a.pk},
            series_key=f"s{i}",
            title=f"报告{i}",
            organisation=world.office_a,
            created_by=world.user("reg_staff_a"),
        )


@pytest.mark.parametrize("url", ["/reports/", "/api/v1/reports/", "/reports/export.xlsx"])
def test_lists_take_the_same_queries_for_3_or_30_jobs(world, client_for, api, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        client = api(world.user("reg_staff_a")) if url.startswith("/api/") else client_for(world.user("reg_staff_a"))
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url)
            if hasattr(r, "streaming_content"):
                b"".join(r.streaming_content)
        assert r.status_code == 200
        return len(ctx)

    _jobs(world, 3)
    few = count()
    ReportJob.objects.all().delete()
    _jobs(world, 30)
    assert count() == few


def test_on_time_bar_leads_to_the_tickets_it_counts(world, campaign_with_data):
    """The bar of a utility counts tickets by the month their reply fell due; its list filters the same way."""
    from datetime import date
    from urllib.parse import urlsplit

    from django.http import QueryDict

    from complaints.filtersets import ComplaintFilterSet
    from complaints.models import Complaint
    from reporting.dashboard import Filters, complaint_on_time_by_utility
    from reporting.models import ComplaintMonthStat
    from reporting.services import complaint_stats_refresh

    complaint_stats_refresh()
    user = world.user("reg_staff_a")
    f = Filters(start=date(2020, 1, 1), end=date(2100, 12, 1))
    chart = complaint_on_time_by_utility(user, f)
    for name, url in zip(chart["categories"], chart["series"][0]["urls"], strict=True):
        query = QueryDict(urlsplit(url).query)
        assert "reply_due_after" in query and "received_after" not in query
        listed = ComplaintFilterSet(query, queryset=Complaint.objects.visible_to(user)).qs.count()
        stats = ComplaintMonthStat.objects.visible_to(user).filter(utility__name=name, month__gte=f.start)
        assert listed == sum(stats.values_list("due", flat=True)), name
