"""Issue 20 in a real browser: the county submitter's overdue progress report from the home worklist, a
regulator deciding 50 violations in one action. Screenshots at 1440 and 390 px go to test-artifacts/issue20/."""

from datetime import date
from pathlib import Path

import pytest

from campaigns import services as campaign_services
from campaigns.choices import DeliverableKind
from campaigns.models import DeliverableSubmission
from portal.choices import Disposition
from portal.models import Violation
from tests.campaigns.factories import make_campaign
from tests.complaints.factories import ComplaintFactory, push, recent
from tests.portal.test_violations_bulk import make_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "issue20"


def shoot(page, name: str) -> None:
    """The page at desktop and phone width (full page), then back to desktop."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_a_county_submitter_reaches_the_overdue_progress_report_from_the_home_worklist(world, calendar, browser_as):
    campaign = make_campaign(world)
    campaign_services.deliverable_save(
        campaign=campaign,
        acting_user=world.user("reg_admin_a"),
        kind=DeliverableKind.PROGRESS_REPORT,
        title="11月份工作进展情况",
        due_date=date(2026, 11, 20),
    )
    page = browser_as(world.user("submitter_x"))
    box = page.locator("#home-worklist")
    row = box.locator("tr.worklist-item", has_text="11月份工作进展情况")
    assert "超期" in row.inner_text()
    assert "2026-11-20 23:59" in row.inner_text()
    assert box.locator("#work-count-deliverable .count").inner_text() == "2"
    shoot(page, "home-worklist-submitter")
    assert campaign.deliverables.filter(title="11月份工作进展情况").exists()
    row.locator("a.worklist-action").click()  # first click: from home to its filing form, the occurrence chosen
    page.wait_for_selector("#file-form")
    assert page.input_value("#file-form select[name=occurrence]") == "2026-11-20"
    page.fill("#file-form textarea[name=text]", "11月份工作进展情况：完成台区低电压治理12个。")
    page.click("#file-submit")  # second click: filed
    page.wait_for_selector(".alert")
    shoot(page, "worklist-filed")
    filed = DeliverableSubmission.objects.get(utility=world.county_x)
    assert filed.occurrence == date(2026, 11, 20) and filed.is_late  # handed in after its due date
    assert page.locator("#home-worklist").count() == 0
    page.goto(f"{page.base}/")
    assert "11月份工作进展情况" not in page.inner_text("#home-worklist")  # no longer to file
    # The worklist page: the count opens a list of exactly that many.
    page.goto(f"{page.base}/worklist/")
    page.click("#work-count-deliverable")
    assert page.locator("tr.worklist-item").count() == 1  # the self-check report is still to hand in
    shoot(page, "worklist-deliverables")


def test_a_regulator_confirms_50_violations_in_one_action(world, calendar, browser_as):
    make_violations(world, 55)
    page = browser_as(world.user("reg_staff_a"))
    page.goto(f"{page.base}/violations/?disposition=pending")
    assert page.locator("input.violation-choice").count() == 50  # one page
    shoot(page, "violations-pending")
    page.check("#choose-all")
    assert "50" in page.inner_text("#bulk-chosen")
    page.select_option("#bulk-form select[name=disposition]", "confirmed")
    page.fill("#bulk-form input[name=reason]", "经核查，未在规定时限内联系客户，属实")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#bulk-submit")
    page.wait_for_selector(".alert-success")
    assert "50" in page.inner_text(".alert-success")
    shoot(page, "violations-after-bulk")
    assert Violation.objects.filter(disposition=Disposition.CONFIRMED).count() == 50
    assert Violation.objects.filter(disposition=Disposition.PENDING).count() == 5
    confirmed = Violation.objects.filter(disposition=Disposition.CONFIRMED).first()
    assert confirmed.history.first().history_change_reason == "经核查，未在规定时限内联系客户，属实"


def test_the_complaints_list_opens_urgent_first_and_sorts_by_a_column(world, calendar, browser_as):
    late = push(world.user("system_x"), external_id="95598-20261203-0042", received_at=recent(3))
    push(world.user("system_x"), external_id="95598-20261206-0007", received_at=recent(0.05))
    ComplaintFactory(utility=world.county_x, status="closed", external_id="95598-CLOSED")
    page = browser_as(world.user("reg_staff_a"))
    page.goto(f"{page.base}/complaints/")
    first = page.locator("tr.ticket-row").first
    assert first.get_attribute("data-id") == str(late.pk)
    assert "已超期" in first.inner_text()
    assert "95598-CLOSED" not in page.inner_text("#ticket-table")
    assert "/ 2" in page.inner_text("#list-total")
    shoot(page, "complaints-urgent-first")
    page.click("#sort-received")
    assert "sort=-received" in page.url
    assert page.locator("tr.ticket-row").first.get_attribute("data-id") != str(late.pk)
    page.click("#scope-all")
    assert "95598-CLOSED" in page.inner_text("#ticket-table")


def test_a_saved_view_reopens_with_its_filters(world, calendar, browser_as):
    late = push(world.user("system_x"), external_id="95598-20261203-0042", received_at=recent(3))
    push(world.user("system_x"), external_id="95598-20261206-0007", received_at=recent(0.05))
    page = browser_as(world.user("reg_staff_a"))
    page.goto(f"{page.base}/complaints/")
    page.select_option("select[name=deadline_state]", "overdue")
    page.click(".filter-form button")
    page.click("#sort-received")
    assert "deadline_state=overdue" in page.url and "sort=-received" in page.url
    page.click("#save-view-toggle")
    page.fill("#save-view-form input[name=name]", "本局超期工单")
    page.check("#save-view-form input[name=shared]")
    page.click("#save-view")
    page.wait_for_selector(".alert-success")
    shoot(page, "saved-view-saved")
    page.goto(f"{page.base}/complaints/")
    assert page.input_value("select[name=deadline_state]") == ""
    page.click("#saved-views-menu")
    page.click("a.saved-view-link:has-text('本局超期工单')")
    page.wait_for_url("**/complaints/?*")
    assert page.input_value("select[name=deadline_state]") == "overdue"
    assert "sort=-received" in page.url
    assert [r.get_attribute("data-id") for r in page.locator("tr.ticket-row").all()] == [str(late.pk)]
    # A colleague of the office finds it too.
    colleague = browser_as(world.user("reg_admin_a"))
    colleague.goto(f"{colleague.base}/complaints/")
    colleague.click("#saved-views-menu")
    colleague.click("a.saved-view-link:has-text('本局超期工单')")
    colleague.wait_for_url("**/complaints/?*")
    assert colleague.input_value("select[name=deadline_state]") == "overdue"
