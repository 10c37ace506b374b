"""The escalation journey in a browser (issue 13): the regulator supervises an ignored complaint (一级督办,
the deadline from the catalogue), the sweep escalates it to the second and third levels as each clock runs
out, the regulator records a talk (约谈) with the utility's leadership, and the utility reports what it did."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from complaints.models import Complaint, Supervision
from portal.services import deadlines_sweep
from tests.complaints.factories import push, recent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "issue13"


def _shot(page, name: str) -> None:
    page.shot(name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"escalation-{name}.png"), full_page=True)


def test_regulator_escalates_an_ignored_complaint_to_a_talk(world, calendar, browser_as):
    regulator, utility = world.user("reg_staff_a"), world.user("submitter_x")
    ticket = push(
        world.user("system_x"),
        external_id="95598-2026-12-0107",
        received_at=recent(0.3),
        content="东关村三组频繁停电，一周内停电三次，供电所无人答复。",
    )
    reg = browser_as(regulator)
    reg.goto(f"{reg.base}/complaints/{ticket.pk}/")
    reg.locator("#action-supervise").evaluate("el => { el.open = true; }")
    reg.fill("#action-supervise textarea[name=note]", "客户多次反映未获答复，请3个工作日内办结并报告")
    reg.click("#action-supervise button")
    reg.wait_for_selector("#supervision-levels")
    assert "一级督办" in reg.inner_text("#supervision-levels")
    assert "complaint.supervision" in reg.inner_text(".deadlines-table")
    _shot(reg, "level-1")

    # The utility does nothing; each clock runs out and the sweep escalates, in order.
    for level in (1, 2):
        deadlines_sweep(now=Supervision.objects.get(complaint=ticket, level=level).due + timedelta(seconds=1))
    reg.goto(f"{reg.base}/complaints/{ticket.pk}/")
    levels = reg.inner_text("#supervision-levels")
    assert "一级督办" in levels and "二级督办" in levels and "三级督办" in levels
    assert levels.count("系统逾期自动升级") == 2
    timeline = reg.inner_text("#timeline")
    assert timeline.count("督办逾期自动升级") == 2
    # At the third level the next step is a talk, not another supervision.
    assert reg.locator("#action-supervise").count() == 0
    _shot(reg, "three-levels")

    deadlines_sweep(now=Supervision.objects.get(complaint=ticket, level=3).due + timedelta(seconds=1))
    reg.goto(f"{reg.base}/complaints/{ticket.pk}/")
    reg.locator("#action-talk").evaluate("el => { el.open = true; }")
    held = timezone.localtime() - timedelta(hours=2)
    reg.fill("#action-talk input[name=held_at]", held.strftime("%Y-%m-%dT%H:%M"))
    reg.fill("#action-talk textarea[name=attendees]", "国网汶源县供电公司总经理、营销部主任；华北监管局投诉处处长")
    reg.fill("#action-talk textarea[name=agreement]", "一周内上门答复客户，完成东关村配变增容并书面报告")
    reg.fill("#action-talk input[name=follow_up_due]", (held + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    reg.click("#action-talk button")
    reg.wait_for_selector("#talks")
    talks = reg.inner_text("#talks")
    assert "配变增容" in talks and "营销部主任" in talks
    assert "complaint.talk.1" in reg.inner_text(".deadlines-table")
    assert "约谈" in reg.inner_text("#timeline")
    _shot(reg, "talk")

    util = browser_as(utility)
    util.goto(f"{util.base}/complaints/{ticket.pk}/")
    assert "三级督办" in util.inner_text("#supervision-levels")
    util.locator("#action-follow_up").evaluate("el => { el.open = true; }")
    util.fill("#action-follow_up textarea[name=note]", "已上门答复客户；东关村配变增容已完成，书面报告已报送")
    util.click("#action-follow_up button")
    util.wait_for_selector(".alert-success")
    assert "书面报告已报送" in util.inner_text("#talks")
    _shot(util, "follow-up")
    ticket = Complaint.objects.get(pk=ticket.pk)
    assert ticket.supervision_level == 3 and ticket.talk_count == 1
