"""The shell in a real browser: sign in, see the workbench in Chinese, explain a deadline."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_explain_a_deadline(world, calendar, browser_as):
    page = browser_as(world.user("reg_staff_a"))
    assert "工作台" in page.title()
    assert "华北监管局" in page.inner_text("#current-org")
    page.shot("workbench")
    page.goto(f"{page.base}/calendar/?year=2026")
    page.select_option("select[name=rule]", "complaint.reply")
    page.fill("input[name=start]", "2026-09-30T14:00")
    page.click("#explain-form button[type=submit]")
    assert "2026-10-15 23:59:59" in page.inner_text("#explain")
    page.shot("calendar-explain")
