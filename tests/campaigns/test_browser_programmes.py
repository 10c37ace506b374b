"""Issue 11 in a real browser: in a rectification programme outside any campaign (seed 004's consumer review), the
utility proposes its measure for the finding addressed to it; the regulator returns it with the reason, the
utility revises it and the regulator approves it — each step in the item's history."""

from pathlib import Path

import pytest

from campaigns import services
from campaigns.models import RectificationItem
from tests.campaigns.test_programmes import SEED_004_FINDING, SEED_004_MEASURE, make_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/11-s4")


def _shot(page, name):
    page.shot(name)
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_utility_proposes_measures_and_the_regulator_approves_them(world, calendar, browser_as):
    admin = world.user("reg_admin_a")
    programme = make_programme(world)
    services.programme_issue(programme=programme, acting_user=admin)
    finding = services.finding_add(
        programme=programme, utility=world.county_x, source="consumer_review", text=SEED_004_FINDING, acting_user=admin
    )

    utility = browser_as(world.user("submitter_x"))
    utility.goto(f"{utility.base}/campaigns/programmes/")
    utility.click(f"#programme-table a:has-text('{programme.title}')")
    utility.wait_for_selector("#findings .finding")
    form = f"form[action='/campaigns/findings/{finding.pk}/items/']"
    utility.click(f"#findings details:has({form}) summary")
    utility.fill(f"{form} textarea[name=measure]", SEED_004_MEASURE)
    utility.fill(f"{form} input[name=department]", "营销部")
    utility.fill(f"{form} input[name=due_date]", "2026-12-31")
    _shot(utility, "01-utility-proposes")
    utility.click(f"{form} button")
    utility.wait_for_selector("#findings .rect-items td:has-text('营销部')")
    item = RectificationItem.objects.get(finding=finding)
    assert item.status == "proposed" and item.programme == programme and item.campaign is None
    _shot(utility, "02-proposed")

    regulator = browser_as(world.user("reg_staff_a"))
    regulator.goto(f"{regulator.base}/campaigns/programmes/{programme.pk}/")
    regulator.click(f"a:has-text('{item.defect_number}')")
    regulator.wait_for_selector("#action-approve")
    _shot(regulator, "03-regulator-reviews")
    regulator.click("#action-return summary")
    regulator.fill("#action-return textarea[name=note]", "未明确责任人，请补充。")
    regulator.click("#action-return button")
    regulator.wait_for_selector("#rect-review:has-text('未明确责任人')")
    assert RectificationItem.objects.get(pk=item.pk).status == "returned"

    utility.goto(f"{utility.base}/campaigns/rectification/{item.pk}/")
    utility.wait_for_selector("#action-resubmit")
    utility.fill("#action-resubmit input[name=person]", "韦立群")
    utility.fill("#action-resubmit textarea[name=note]", "补充责任人")
    _shot(utility, "04-utility-revises")
    utility.click("#action-resubmit button")
    utility.wait_for_selector("#action-resubmit", state="detached")
    assert RectificationItem.objects.get(pk=item.pk).person == "韦立群"

    regulator.goto(f"{regulator.base}/campaigns/rectification/{item.pk}/")
    regulator.fill("#action-approve textarea[name=note]", "同意。")
    regulator.click("#action-approve button")
    regulator.wait_for_selector("#action-approve", state="detached")
    item.refresh_from_db()
    assert item.status == "open" and item.approved_at is not None
    assert "同意" in regulator.inner_text("#rect-review")
    history = regulator.inner_text(".history-table")
    assert "同意" in history and "补充责任人" in history and "未明确责任人" in history
    _shot(regulator, "05-approved")
