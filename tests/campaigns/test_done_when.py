"""Issue 7 "Done when", end to end through the pages a regulator and a utility use."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.checklists import load_checklist
from campaigns.models import Campaign, RectificationItem
from portal.models import Attachment, Violation
from portal.services import deadlines_sweep

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_issue_7_done_when(world, calendar, client_for, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    template, _n = load_checklist()
    reg, sub = client_for(world.user("reg_admin_a")), client_for(world.user("submitter_x"))

    # A regulator creates a campaign from the four-phase template and puts utilities in scope ...
    reg.post(
        "/campaigns/",
        {
            "new-code": "DW-1",
            "new-title": "居民用电服务质量监管专项行动",
            "new-start_date": "2026-01-01",
            "new-end_date": "2026-12-31",
            "new-with_template_phases": "on",
        },
    )
    campaign = Campaign.objects.get(code="DW-1")
    assert [p.name for p in campaign.phases.order_by("order")] == ["组织部署", "企业自查", "检查督查", "总结提高"]
    reg.post(f"/campaigns/{campaign.pk}/scope/", {"subtrees": [world.city_x.pk]})
    assert set(campaign.utilities.values_list("code", flat=True)) == {"T-X-C", "T-X-C-K"}
    # ... and attaches the 百问百查 checklist to a focus item.
    reg.post(f"/campaigns/{campaign.pk}/focus-items/", {"title": "供电能力、供电质量和供电服务"})
    focus = campaign.focus_items.get()
    reg.post(f"/campaigns/{campaign.pk}/focus-items/{focus.pk}/checklist/", {"checklist": template.pk})
    focus.refresh_from_db()
    assert focus.checklist == template

    # A utility submitter files a self-check report with answers, evidence and rectification items.
    r = sub.post(f"/campaigns/{campaign.pk}/report/")
    report = campaign.reports.get()
    assert r["Location"] == f"/campaigns/reports/{report.pk}/"
    sub.post(
        f"/campaigns/reports/{report.pk}/",
        {
            "title": report.title,
            "declared_organisation": "国网汶源县供电公司",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "indicator_year": "2025",
            "customers": "286412",
            "voltage_overall": "98.98",
            "voltage_a": "99.98",
            "voltage_b": "98.62",
            "voltage_c": "98.95",
            "voltage_d": "96.38",
        },
    )
    item18 = template.items.get(kind="check", number=18)
    sub.post(
        f"/campaigns/reports/{report.pk}/answers/",
        {f"answer_{item18.pk}": "non_compliant", f"note_{item18.pk}": "3次不足7天"},
    )
    answer = report.answers.get()
    sub.post(
        f"/campaigns/reports/{report.pk}/answers/{answer.pk}/evidence/", {"file": SimpleUploadedFile("公告.pdf", PDF)}
    )
    assert Attachment.objects.for_object(answer).count() == 1
    sub.post(f"/campaigns/reports/{report.pk}/findings/", {"text": "计划停电告知不到位", "focus_item": focus.pk})
    finding = report.findings.get()
    sub.post(
        f"/campaigns/findings/{finding.pk}/items/",
        {"measure": "修订停电信息发布办法", "department": "调度室", "person": "戚永平", "due_date": "2026-11-20"},
    )
    item = RectificationItem.objects.get()
    # A report is filed only with every checklist item answered (issue 20): the rest are answered on the page.
    sub.post(f"/campaigns/reports/{report.pk}/submit/")
    report.refresh_from_db()
    assert report.status == "draft"
    rest = template.items.exclude(pk=item18.pk)
    sub.post(f"/campaigns/reports/{report.pk}/answers/", {f"answer_{i.pk}": "compliant" for i in rest})
    sub.post(f"/campaigns/reports/{report.pk}/submit/")
    report.refresh_from_db()
    assert report.status == "submitted"

    # The regulator returns it, the utility resubmits, the regulator accepts.
    reg.post(f"/campaigns/reports/{report.pk}/return/", {"comment": "请补充整改完成情况"})
    report.refresh_from_db()
    assert report.status == "returned" and report.review_comments == "请补充整改完成情况"
    sub.post(f"/campaigns/reports/{report.pk}/resubmit/")
    reg.post(f"/campaigns/reports/{report.pk}/accept/", {"comment": ""})
    report.refresh_from_db()
    assert report.status == "accepted"
    assert report.history.count() >= 4

    # An overdue rectification item is flagged by the sweep.
    deadlines_sweep(now=datetime(2026, 11, 23, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    item.refresh_from_db()
    assert item.status == "overdue" and item.renotice_count == 1
    assert Violation.objects.filter(object_id=item.pk, code="campaign.rectification").exists()

    # The public column shows the progress.
    html = client.get(f"/public/campaigns/{campaign.code}/").content.decode()
    assert "国网汶源县供电公司" in html and "已受理" in html
    assert 'id="rate-overdue">1<' in html.replace(" ", "")
