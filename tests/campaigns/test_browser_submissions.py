"""Issue 11 in a real browser: a utility files seed 003's connection data (figures by customer class) from the
campaign page; the regulator sees who has not filed, returns the filing; the utility revises and resubmits; the
regulator accepts."""

from pathlib import Path

import pytest

from campaigns.models import DeliverableSubmission
from tests.campaigns.test_submissions import FIGURES, seed_003_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "issue11"


def _shot(page, name):
    page.shot(name)
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _open(page, step):
    """Unfold a step's form (the first one on the page is open already)."""
    if not page.locator(f"#action-{step}[open]").count():
        page.click(f"#action-{step} summary")


def test_filing_a_deliverable_journey(world, calendar, browser_as):
    campaign = seed_003_year(world)
    deliverable = campaign.deliverables.get(due_month=7, due_day=15)

    sub = browser_as(world.user("submitter_x"))
    sub.goto(f"{sub.base}/campaigns/{campaign.pk}/")
    sub.click(f"#deliverables a.deliverable-link[href^='/campaigns/deliverables/{deliverable.pk}/']")
    sub.wait_for_selector("#file-form")
    sub.select_option("#id_occurrence", "2026-07-15")
    sub.fill("#id_text", "2026年1-6月用户报装信息：已送电的高压新装及增容、小微企业、低压居民。")
    for cls, row in FIGURES.items():
        for key, value in row.items():
            sub.fill(f"#id_fig__{cls}__{key}", str(value))
    _shot(sub, "01-file-form")
    sub.click("#file-submit")
    sub.wait_for_selector("#submission-status:has-text('已提交')")
    assert sub.locator("#late-badge").count() == 1  # 2026-07-15 has passed: filed late, and said so
    _shot(sub, "02-filed")
    filed = DeliverableSubmission.objects.get()

    reg = browser_as(world.user("reg_admin_a"))
    reg.goto(f"{reg.base}/campaigns/deliverables/{deliverable.pk}/?on=2026-07-15&state=missing")
    assert reg.locator("#filing-table tr[data-utility='T-Y']").count() == 1
    assert reg.locator("#filing-table tr[data-utility='T-X-C-K']").count() == 0
    _shot(reg, "03-who-has-not-filed")
    reg.goto(f"{reg.base}/campaigns/submissions/{filed.pk}/")
    assert "410" in reg.inner_text("#figures-table")
    _open(reg, "return")
    reg.fill("#action-return textarea", "低压居民平均接电时长请核实")
    _shot(reg, "04-review")
    reg.click("#action-return button")
    reg.wait_for_selector("#submission-status:has-text('退回修改')")

    sub.goto(f"{sub.base}/campaigns/submissions/{filed.pk}/")
    assert "请核实" in sub.inner_text("#review-comments")
    sub.fill("#id_fig__low_voltage_residential__avg_working_days", "2.9")
    sub.click("#save-revision")
    sub.wait_for_selector(".alert-success")
    _open(sub, "resubmit")
    sub.click("#action-resubmit button")
    sub.wait_for_selector("#submission-status:has-text('已重新提交')")
    _shot(sub, "05-resubmitted")

    reg.goto(f"{reg.base}/campaigns/submissions/{filed.pk}/")
    _open(reg, "accept")
    reg.click("#action-accept button")
    reg.wait_for_selector("#submission-status:has-text('已受理')")
    _shot(reg, "06-accepted")
    filed.refresh_from_db()
    assert filed.status == "accepted" and filed.figures["low_voltage_residential"]["avg_working_days"] == "2.90"
    reg.goto(f"{reg.base}/campaigns/deliverables/{deliverable.pk}/?on=2026-07-15")
    _shot(reg, "07-filings")
