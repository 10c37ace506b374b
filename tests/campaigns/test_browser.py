"""The main journey in a real browser: a regulator creates a campaign from the four-phase template and
puts utilities in scope; a utility submitter files a self-check report; the regulator returns it, the
utility resubmits, the regulator accepts."""

import pytest

from campaigns.checklists import load_checklist
from campaigns.models import Campaign, SelfCheckReport
from tests.campaigns.factories import answer_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_campaign_self_check_journey(world, calendar, browser_as):
    load_checklist()
    reg = browser_as(world.user("reg_admin_a"))
    reg.on("dialog", lambda d: d.accept())
    reg.goto(f"{reg.base}/campaigns/")
    reg.fill("#id_new-code", "BR-2026")
    reg.fill("#id_new-title", "居民用电服务质量监管专项行动")
    reg.fill("#id_new-start_date", "2026-01-01")
    reg.fill("#id_new-end_date", "2026-12-31")
    reg.shot("create-form")
    reg.click("#create-campaign")
    reg.wait_for_selector("#campaign-title")
    assert reg.locator(".phases-table tbody tr:not(.phase-edit)").count() == 4
    assert "总结提高" in reg.inner_text("#current-phase")
    campaign = Campaign.objects.get(code="BR-2026")
    reg.select_option("#id_subtrees", str(world.city_x.pk))
    reg.click("#scope-submit")
    reg.wait_for_selector("tr[data-utility='T-X-C-K']")
    reg.click("#focus summary")
    reg.fill("#focus-form textarea[name=description]", "停电告知、抢修、电压质量")
    reg.fill("#focus-form input[name=title]", "供电能力、供电质量和供电服务")
    reg.click("#focus-form button")
    reg.select_option(".attach-form select", label="国家电网公司“百问百查”检查表（2009）")
    reg.click(".attach-form button")
    reg.wait_for_selector(".focus-item .badge.text-bg-info")
    reg.shot("campaign-scoped")

    sub = browser_as(world.user("submitter_x"))
    sub.on("dialog", lambda d: d.accept())
    sub.goto(f"{sub.base}/campaigns/{campaign.pk}/")
    sub.click("#start-report")
    sub.wait_for_selector("#report-form")
    sub.fill("#id_period_start", "2025-01-01")
    sub.fill("#id_period_end", "2025-12-31")
    sub.fill("#id_indicator_year", "2025")
    sub.fill("#id_customers", "286412")
    sub.fill("#id_voltage_overall", "98.98")
    sub.fill("#id_voltage_a", "99.98")
    sub.fill("#id_voltage_d", "96.38")
    sub.click("#save-report")
    sub.wait_for_selector(".alert-success")
    sub.fill("tr[data-item='check-18'] input.row-note", "3次计划停电公告不足7天")
    sub.select_option("tr[data-item='check-18'] select", "non_compliant")  # the row saves itself
    sub.wait_for_selector("tr[data-item='check-18'] .row-state.text-success")
    report = SelfCheckReport.objects.get(campaign=campaign)
    assert report.answers.get().note == "3次计划停电公告不足7天"
    answer_all(report, world.user("submitter_x"))  # a report is filed complete (issue 20): the other 98 items
    sub.reload()
    sub.fill("#finding-form textarea", "计划停电告知不到位")
    sub.click("#add-finding")
    sub.wait_for_selector(".finding")
    sub.shot("report-draft")
    sub.click("#submit-report")
    sub.wait_for_selector("#report-status:has-text('已提交')")

    reg.goto(f"{reg.base}/campaigns/reports/{report.pk}/")
    reg.fill("#return-form textarea", "请补充整改措施的责任人和完成时限")
    reg.shot("review")
    reg.click("#return-report")
    reg.wait_for_selector("#report-status:has-text('退回修改')")

    sub.goto(f"{sub.base}/campaigns/reports/{report.pk}/")
    assert "请补充整改措施" in sub.inner_text("#review-comments")
    sub.click("#resubmit-report")
    sub.wait_for_selector("#report-status:has-text('已重新提交')")
    sub.shot("resubmitted")

    reg.goto(f"{reg.base}/campaigns/reports/{report.pk}/")
    reg.click("#accept-report")
    reg.wait_for_selector("#report-status:has-text('已受理')")
    reg.shot("accepted")
    report.refresh_from_db()
    assert report.status == "accepted"
    assert reg.locator(".history-table tbody tr").count() >= 5
