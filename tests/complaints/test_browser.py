"""The main journey in a browser: the regulator sees an overdue 12398 ticket highlighted red, opens
it, forwards it to the utility and supervises it (督办); the utility contacts the customer and replies."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.models import Complaint
from portal.services import deadlines_sweep
from tests.complaints.factories import push, recent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_regulator_forwards_and_supervises_utility_contacts_and_replies(world, calendar, browser_as):
    regulator = world.user("reg_staff_a")
    ticket = push(
        regulator,
        channel="12398",
        external_id="12398-2026-11-0042",
        received_at=recent(8),
        content="东关村低电压，晚上空调无法启动，多次向供电所反映无果。",
    )
    fresh = push(world.user("system_x"), external_id="95598-FRESH", received_at=recent(0.01))
    deadlines_sweep()

    reg = browser_as(regulator)
    reg.goto(f"{reg.base}/complaints/")
    row = reg.locator(f"tr.ticket-row[data-id='{ticket.pk}']")
    assert row.get_attribute("data-state") == "overdue"
    assert "table-danger" in row.get_attribute("class")
    # Really red on screen, not just a class name.
    background = row.locator("td").first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(248, 215, 218)", background
    assert reg.locator(f"tr.ticket-row[data-id='{fresh.pk}']").get_attribute("data-state") == "on_time"
    assert reg.inner_text("[data-count=overdue]") == "1"
    assert "超期" in row.inner_text()
    reg.shot("list-overdue-red")

    row.locator("a").first.click()
    reg.wait_for_selector("#timeline")
    assert "complaint.reply.statutory" in reg.inner_text(".deadlines-table")
    reg.fill("#action-forward textarea[name=note]", "请汶源县供电公司核实处理并反馈")
    reg.click("#action-forward button")
    reg.wait_for_selector(".alert-success")
    assert reg.inner_text("#ticket-status") == "已转办"
    reg.locator("#action-supervise").evaluate("el => { el.open = true; }")
    due = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    reg.fill("#action-supervise textarea[name=note]", "超期未联系客户，请两日内办结")
    reg.fill("#action-supervise input[name=due]", due)
    reg.click("#action-supervise button")
    reg.wait_for_selector("#supervision")
    assert "请两日内办结" in reg.inner_text("#supervision")
    assert "complaint.supervision" in reg.inner_text(".deadlines-table")
    reg.shot("forwarded-and-supervised")

    util = browser_as(world.user("submitter_x"))
    util.goto(f"{util.base}/complaints/{ticket.pk}/")
    assert util.inner_text("#customer-phone") == "13805381234"
    util.fill("#action-contact textarea[name=note]", "已电话联系客户，约定明日上门")
    util.click("#action-contact button")
    util.wait_for_selector(".alert-success")
    assert util.inner_text("#ticket-status") == "已联系客户"
    util.locator("#action-reply").evaluate("el => { el.open = true; }")
    util.fill(
        "#action-reply textarea[name=opinion]",
        "经现场测量，台区末端电压偏低，已调整配变分接头并新增一回低压出线，电压恢复正常。",
    )
    util.click("#action-reply button")
    util.wait_for_selector(".alert-success")
    assert util.inner_text("#ticket-status") == "已答复"
    assert "调整配变分接头" in util.inner_text("#reply-opinion")
    timeline = util.inner_text("#timeline")
    assert "转办供电企业" in timeline and "监管机构督办" in timeline and "答复处理意见" in timeline
    util.shot("contacted-and-replied")

    # The regulator follows it to the end: the utility's handling is on its page.
    reg.goto(f"{reg.base}/complaints/{ticket.pk}/")
    assert "调整配变分接头" in reg.inner_text("#reply-opinion")
    ticket = Complaint.objects.get(pk=ticket.pk)
    assert ticket.status == "replied" and ticket.overdue_now is False and ticket.late is True
