"""Issue 11 in a real browser: the issuing office's regulator admin sets up the campaign's leading group — its
members with their roles and the office's duties — and removes a member; the change is in the history."""

from pathlib import Path

import pytest

from campaigns.models import GroupMember, LeadingGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "issue11"


def _shot(page, name):
    page.shot(name)
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_maintaining_a_leading_group_journey(world, calendar, browser_as):
    from tests.campaigns.factories import make_campaign

    campaign = make_campaign(world)
    reg = browser_as(world.user("reg_admin_a"))
    reg.goto(f"{reg.base}/campaigns/{campaign.pk}/")
    reg.click("#people-link")
    reg.wait_for_selector("#group-form")
    reg.select_option("#id_group-kind", "regulator")
    reg.fill("#id_group-name", "居民用电服务质量监管专项行动领导小组")
    reg.fill("#id_group-office_name", "领导小组办公室")
    reg.fill("#id_group-office_director", "林志远")
    _shot(reg, "10-group-form")
    reg.click("#add-group")
    reg.wait_for_selector(".leading-group .group-name:has-text('领导小组')")
    group = LeadingGroup.objects.get()
    card = f"#group-{group.pk}"
    for role, name, title in [
        ("leader", "周建平", "局长"),
        ("deputy", "韩立新", "副局长"),
        ("member", "宋佳", "稽查处处长"),
    ]:
        reg.click(f"{card} details:has(.member-form) summary")
        reg.select_option(f"{card} .member-form select[name=member-role]", role)
        reg.fill(f"{card} .member-form input[name=member-name]", name)
        reg.fill(f"{card} .member-form input[name=member-title]", title)
        reg.click(f"{card} .add-member")
        reg.wait_for_selector(f"{card} tr.member[data-name='{name}']")
    reg.click(f"{card} details:has(.duty-form) summary")
    reg.fill(f"{card} .duty-form input[name=duty-department]", "综合处")
    reg.fill(f"{card} .duty-form textarea[name=duty-duties]", "负责专项行动的综合协调、信息汇总和宣传报道。")
    reg.click(f"{card} .add-duty")
    reg.wait_for_selector(f"{card} .duties li:has-text('综合处')")
    _shot(reg, "11-group-maintained")
    reg.click(f"{card} tr.member[data-name='宋佳'] .remove-member")
    reg.wait_for_selector(f"{card} tr.member[data-name='宋佳']", state="detached")
    assert list(GroupMember.objects.filter(group=group).values_list("name", flat=True)) == ["周建平", "韩立新"]
    assert GroupMember.history.filter(name="宋佳", history_type="-", history_user=world.user("reg_admin_a")).exists()
    _shot(reg, "12-member-removed")

    # The office's staff read the page but are offered no form.
    staff = browser_as(world.user("reg_staff_a"))
    staff.goto(f"{staff.base}/campaigns/{campaign.pk}/groups/")
    assert staff.locator("#group-form").count() == 0 and "周建平" in staff.inner_text(card)
