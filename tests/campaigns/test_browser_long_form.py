"""Issue 20 "done when", in a real browser: resubmitting a returned self-check with an unsaved change saves it
first (the row saves itself, 已保存), and an incomplete report is refused with the list of its gaps — first in
the confirmation, then by the service."""

from datetime import date
from pathlib import Path

import pytest

from campaigns import services
from tests.campaigns.factories import answer_all, checklist, filled_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/20-s4")


def test_resubmit_saves_the_unsaved_row_and_refuses_the_gaps(world, calendar, campaign, browser_as, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    reg, sub_user = world.user("reg_admin_a"), world.user("submitter_x")
    template = checklist()
    focus = services.focus_item_save(campaign=campaign, acting_user=reg, title="供电服务")
    services.checklist_attach(focus_item=focus, checklist=template, acting_user=reg)
    report = filled_report(world, campaign)
    answer_all(report, sub_user)
    finding = services.finding_add(report=report, text="计划停电告知不到位", acting_user=sub_user)
    services.rectification_add(
        finding=finding,
        measure="修订停电信息发布办法",
        department="调度室",
        person="戚永平",
        due_date=date(2026, 11, 30),
        acting_user=sub_user,
    )
    services.report_submit(report=report, acting_user=sub_user)
    services.report_return(report=report, comment="有1项整改措施缺少责任人或完成时限", acting_user=reg)
    # Under revision: a new measure without a person (the open point).
    services.rectification_add(
        finding=finding,
        measure="建立停电告知台账",
        department="营销部",
        due_date=date(2026, 12, 1),
        acting_user=sub_user,
    )
    total = template.items.count()

    page = browser_as(sub_user)
    dialogs = []

    def on_dialog(d):
        dialogs.append(d.message)
        d.accept()

    page.on("dialog", on_dialog)
    page.goto(f"{page.base}/campaigns/reports/{report.pk}/")
    assert f"已填 {total}/{total}" in page.inner_text("#checklist-progress")
    assert "建立停电告知台账" in page.inner_text("#report-gaps")
    # An unsaved change: a note typed on 查18 (no change event yet), then 重新提交 straight away.
    row = "tr[data-item='check-18']"
    page.fill(f"{row} input.row-note", "整改后复查：3次公告均提前8天")
    page.click("#resubmit-report")
    page.wait_for_selector(".alert-danger.alert-dismissible:has-text('建立停电告知台账')")
    # The row was saved before the step was taken; the confirmation listed what is missing ...
    assert report.answers.get(item__number=18, item__kind="check").note == "整改后复查：3次公告均提前8天"
    assert dialogs and "建立停电告知台账" in dialogs[0] and "缺少责任人" in dialogs[0]
    # ... and the service refused: the report is still returned, the refusal names the gap.
    report.refresh_from_db()
    assert report.status == "returned"
    page.shot("refused")
    page.screenshot(path=str(SHOTS / "report-refused-1440.png"), full_page=False)
    # A row's state is shown as it saves; the evidence goes with the row.
    page.select_option(f"{row} select", "non_compliant")
    page.wait_for_selector(f"{row} .row-state.text-success")
    assert "已保存" in page.inner_text(f"{row} .row-state")
    pdf = tmp_path / "公告.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.set_input_files(f"{row} input.row-evidence", str(pdf))
    page.wait_for_selector(f"{row} .row-files a")
    assert "公告.pdf" in page.inner_text(f"{row} .row-files")
    page.locator(row).scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "report-row-saved-1440.png"), full_page=False)
    # The figures' dates are shown (ISO), so saving the draft keeps them.
    assert page.input_value("#id_period_start") == "2025-01-01"
    # The open point is resolved on the page, then the report goes out.
    added = finding.items.get(measure="建立停电告知台账")
    page.fill(f"#fill-person-{added.pk}", "韦立群")
    page.click(f"#fill-person-{added.pk} >> xpath=ancestor::form//button")
    page.wait_for_selector("#report-gaps .gap-none")
    page.screenshot(path=str(SHOTS / "report-complete-1440.png"), full_page=False)
    page.click("#resubmit-report")
    page.wait_for_selector("#report-status:has-text('已重新提交')")
    report.refresh_from_db()
    assert report.status == "resubmitted"
