"""In a real browser: a county utility records a spring inspection of its large customer from the customer's page,
issues a hazard notice from that inspection, and records the customer's signature; the register's list shows the
customer with its emergency-supply ratio judged. Screenshots go to /work/shots/12-s4/ (looked at by hand)."""

from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from campaigns.models import HazardNotice, LargeCustomerInspection
from campaigns.services import large_customers as lc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/12-s4")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_record_an_inspection_and_issue_a_hazard_notice(world, calendar, browser_as):
    customer = lc.large_customer_register(
        utility=world.county_x,
        acting_user=world.user("submitter_x"),
        name="汶源县泰山化工有限公司",
        account_number="0301000002",
        importance="second",
        voltage_kv=35,
        high_risk=True,
        source_count=2,
        sources="35kV 化工园区站 I、II 段",
        security_load_kw=500,
        emergency_capacity_kw=550,
        registered_on=date(2026, 1, 5),
    )
    page = browser_as(world.user("submitter_x"))
    page.goto(f"{page.base}/campaigns/large-customers/")
    assert "110.0 %" in page.inner_text("#large-customer-table")  # 550 / 500: below 120 %, missed
    _shot(page, "01-register")

    page.goto(f"{page.base}{customer.get_absolute_url()}")
    page.fill("#id_inspection_inspected_on", "2026-03-20")
    page.fill("#id_inspection_inspector", "王建国")
    page.select_option("#id_inspection_season", "spring")
    page.fill("#id_inspection_findings", "自备应急发电机未装设闭锁装置")
    page.click("#save-inspection")
    page.wait_for_selector(".inspection-row")
    inspection = LargeCustomerInspection.objects.get(customer=customer)
    assert "2026-03-20" in page.inner_text("#inspections")
    rows = page.inner_text("#dues").split("\n\n")
    spring = [row for row in rows if "inspection.spring" in row and "2026-03-15" in row]
    assert spring and "2026-03-20" in spring[0]  # the spring window met by this visit
    _shot(page, "02-inspection-recorded")

    page.click("#inspections details summary")
    page.fill(f"#id_notice{inspection.pk}_hazard", "自备应急发电机未装设与电网之间的电气和机械闭锁装置")
    page.fill(f"#id_notice{inspection.pk}_measures", "加装可靠的电气和机械闭锁装置，防止向电网倒送电")
    page.fill(f"#id_notice{inspection.pk}_deadline", "2099-05-31")
    page.fill(f"#id_notice{inspection.pk}_inspector", "王建国")
    page.click("button[name=issue-notice]")
    page.wait_for_selector("#notice-title")
    notice = HazardNotice.objects.get(customer=customer)
    assert notice.number in page.inner_text("#notice-title")
    _shot(page, "03-notice-issued")

    page.fill("#id_sign_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_sign_signatory", "电气负责人 张卫东")
    page.click("button[name=submit-sign]")
    page.wait_for_selector("#notice-status")
    notice.refresh_from_db()
    assert notice.status == "signed" and notice.customer_signatory == "电气负责人 张卫东"
    assert notice.get_status_display() in page.inner_text("#notice-status")
    _shot(page, "04-notice-signed")
