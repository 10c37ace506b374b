"""The main flow in a browser: a county utility registers a planned outage before announcing it,
publishes it late, the regulator sees the violation and excuses it, and the public page lists it."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_publish_dispose_and_public_page(world, calendar, browser_as):
    start = (timezone.localtime() + timedelta(days=5)).replace(hour=8, minute=0, second=0, microsecond=0)
    page = browser_as(world.user("submitter_x"))
    page.goto(f"{page.base}/outages/new/")
    page.select_option("#id_kind", "planned")
    page.fill("#id_external_id", "WY-JX-E2E-1")
    page.fill("#id_area", "汶源县城关镇东关村、西关村")
    page.fill("#id_lines", "10kV城关线")
    page.fill("#id_reason", "10kV城关线更换导线")
    page.fill("#id_start_at", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_end_at", (start + timedelta(hours=10)).strftime("%Y-%m-%dT%H:%M"))
    page.shot("register-form")
    page.click(".notice-form button[type=submit]")
    page.wait_for_selector("#rule-table")
    # Five days ahead and unpublished: the 7-day publish-by instant has passed, so it is a violation.
    assert page.get_attribute("h1 .compliance-badge", "data-state") == "violation"
    page.shot("registered")

    page.fill("#action-publish input[name=published_at]", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.check("#action-publish input[value=sms]")
    page.click("#action-publish button")
    page.wait_for_selector(".alert-success")
    assert "短信" in page.inner_text("body")
    page.shot("published")

    reg = browser_as(world.user("reg_staff_a"))
    reg.goto(f"{reg.base}/outages/violations/")
    row = reg.locator(".violation-row", has_text="outage.notice.planned.commitment")
    row.locator("select[name=disposition]").select_option("excused")
    row.locator("input[name=reason]").fill("配合市政道路施工，经核实临时调整")
    row.locator("button").click()
    reg.wait_for_selector(".alert-success")
    assert "予以免责" in reg.locator(".violation-row", has_text="outage.notice.planned.commitment").inner_text()
    reg.shot("violation-excused")

    public = browser_as(None)
    public.goto(f"{public.base}/public/outages/")
    assert "汶源县城关镇东关村、西关村" in public.inner_text("#upcoming")
    assert "原因：计划检修" in public.inner_text("#upcoming")
    public.shot("public-page")
