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


def test_a_regulator_admin_enters_next_years_arrangement(world, calendar, browser_as, tmp_path):
    """From the banner to a saved year: fill from the notice's file, preview, correct one day by hand, save."""
    import json

    from portal.models import CalendarDay, CalendarYear
    from tests.portal.test_calendar import ARRANGEMENT_2027

    page = browser_as(world.user("reg_admin_a"))
    page.goto(f"{page.base}/calendar/2027/edit/")
    page.shot("empty-year")
    source = tmp_path / "2027.json"
    source.write_text(json.dumps(ARRANGEMENT_2027, ensure_ascii=False), encoding="utf-8")
    page.set_input_files("#calendar-file input[type=file]", str(source))
    page.click("#calendar-file button[type=submit]")
    assert "春节" in page.inner_text("#preview-summary")
    page.shot("preview-from-file")
    # The notice says National Day ends on 8 October: correct the row and preview again.
    row = page.locator("#holiday-rows tbody tr").nth(6)
    row.locator("input[type=date]").nth(1).fill("2027-10-08")
    page.click("#calendar-preview")
    assert "国庆节" in page.inner_text("#preview-summary")
    page.click("#calendar-save")
    page.wait_for_url(f"{page.base}/calendar/?year=2027")
    assert "国办发明电〔2026〕9号" in page.inner_text("#calendar-source")
    assert "已完成" in page.inner_text("#calendar-changes")
    page.shot("saved-year")
    assert CalendarYear.objects.get(year=2027).announcement_number == "国办发明电〔2026〕9号"
    assert CalendarDay.objects.filter(date__year=2027, date__month=10, kind="holiday").count() == 8
