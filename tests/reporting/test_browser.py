"""In a real browser: a regulator requests the special report, watches its progress, downloads the
PDF; a click on a dashboard bar opens the filtered list behind it."""

import hashlib

import pytest

from reporting import services
from reporting.models import ReportJob

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_special_report_request_progress_download(world, campaign_with_data, browser_as, monkeypatch):
    queued: list[int] = []
    # The worker is this test: the job waits in the queue until we run it, so the page shows progress.
    monkeypatch.setattr(services, "_enqueue", queued.append)
    page = browser_as(world.user("reg_staff_a"))
    page.goto(f"{page.base}/reports/")
    page.select_option("#id_kind", "campaign_special")
    page.select_option("#id_campaign", str(campaign_with_data.pk))
    page.shot("request")
    page.click("#request-submit")
    page.wait_for_selector("[data-progress-url] .progress")
    assert page.inner_text(".progress-label").startswith("排队中")
    page.shot("progress")
    assert len(queued) == 1
    job = services.report_run(queued[0])  # the worker picks it up; the page polls and reloads
    page.wait_for_selector("#download-pdf", timeout=20000)
    page.shot("done")
    href = page.get_attribute("#download-pdf", "href")
    response = page.request.get(f"{page.base}{href}")
    body = response.body()
    assert response.ok and body.startswith(b"%PDF")
    assert hashlib.sha256(body).hexdigest() == job.sha256 == ReportJob.objects.get().sha256
    assert job.sha256 in page.inner_text("#sha256")


def test_dashboard_bar_opens_the_filtered_list(world, campaign_with_data, browser_as):
    page = browser_as(world.user("reg_staff_a"))
    page.goto(f"{page.base}/reports/dashboard/")
    page.wait_for_selector("#chart-outages_by_kind[data-ready='1']")
    page.shot("dashboard")
    # The violation segment of 计划检修 (category 0): compliant 1, borderline 0, violation 1 → its middle is at 1.5.
    x, y = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-outages_by_kind'))"
        ".convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [1.5, 0])"
    )
    # A click relative to the chart element: Playwright scrolls it into view and waits until it stands still
    # (a click at coordinates read before a scroll settled could land beside the bar).
    with page.expect_navigation():
        page.locator("#chart-outages_by_kind").click(position={"x": x, "y": y})
    assert "/outages/?" in page.url and "kind=planned" in page.url and "compliance=violation" in page.url
    table = page.inner_text("#notice-table")
    assert "R-2" in table and "R-1" not in table
    page.shot("drill-down")
