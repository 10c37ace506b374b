"""Issue 20: a self-check report is a long form that never loses work. Each checklist row saves itself (JSON),
a row's evidence file attaches after its answer is saved, the page shows "已填 n/N" and what is missing, and
the submit / resubmit steps refuse an incomplete report with the list of its gaps (page and API alike)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns import services
from campaigns.models import ChecklistAnswer
from portal.models import Attachment
from tests.campaigns.factories import answer_all, checklist, filled_report

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def report(world, campaign):
    reg = world.user("reg_admin_a")
    focus = services.focus_item_save(campaign=campaign, acting_user=reg, title="供电服务")
    services.checklist_attach(focus_item=focus, checklist=checklist(), acting_user=reg)
    return filled_report(world, campaign)


def _item(report, number):
    return checklist().items.get(kind="check", number=number)


def test_submit_refused_with_the_list_of_unanswered_items(world, report, client_for, api):
    sub = world.user("submitter_x")
    total = checklist().items.count()
    services.answer_save(report=report, item=_item(report, 18), answer="non_compliant", acting_user=sub)
    with pytest.raises(Exception) as exc:
        services.report_submit(report=report, acting_user=sub)
    text = " ".join(exc.value.messages)
    assert f"检查表{total}项中有{total - 1}项未填" in text
    assert "查1、" in text and "查18、" not in text
    # The page: refused, the report stays a draft, the gaps are listed in the message and on the page.
    page = client_for(sub)
    r = page.post(f"/campaigns/reports/{report.pk}/submit/", follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    report.refresh_from_db()
    assert report.status == "draft"
    html = r.content.decode()
    assert 'id="report-gaps"' in html and "查1、查2" in html
    assert f"已填 1/{total}" in html
    # The API: 400 with the gaps.
    r = api(sub).post(f"/api/v1/self-check-reports/{report.pk}/submit/", format="json")
    assert r.status_code == 400 and "查1" in str(r.json())
    answer_all(report, sub)
    assert services.report_submit(report=report, acting_user=sub).status == "submitted"


def test_resubmit_refused_while_a_returned_point_is_open(world, report, client_for):
    sub, reg = world.user("submitter_x"), world.user("reg_admin_a")
    answer_all(report, sub)
    finding = services.finding_add(report=report, text="计划停电告知不到位", acting_user=sub)
    services.rectification_add(
        finding=finding, measure="修订停电信息发布办法", department="调度室", acting_user=sub, person="戚永平"
    )
    r = client_for(sub).post(f"/campaigns/reports/{report.pk}/submit/", follow=True)
    report.refresh_from_db()
    assert report.status == "draft" and "修订停电信息发布办法" in r.content.decode()
    item = finding.items.get()
    services.rectification_fill(item=item, due_date=date(2026, 11, 30), acting_user=sub)
    services.report_submit(report=report, acting_user=sub)
    services.report_return(report=report, comment="第1项整改措施未明确责任人", acting_user=reg)
    # Under revision the utility adds a measure without a person: resubmitting is refused and says which.
    services.rectification_add(
        finding=finding, measure="建立停电告知台账", department="营销部", acting_user=sub, due_date=date(2026, 12, 1)
    )
    page = client_for(sub)
    r = page.post(f"/campaigns/reports/{report.pk}/resubmit/", follow=True)
    report.refresh_from_db()
    assert report.status == "returned"
    assert "建立停电告知台账" in r.content.decode()
    added = finding.items.get(measure="建立停电告知台账")
    # The page's form gives it its person; then the report goes out.
    assert 'class="row g-1 align-items-end mb-2 rect-fill-form"' in r.content.decode()
    page.post(f"/campaigns/rectification/{added.pk}/owner/", {"person": "韦立群"})
    added.refresh_from_db()
    assert added.person == "韦立群"
    page.post(f"/campaigns/reports/{report.pk}/resubmit/")
    report.refresh_from_db()
    assert report.status == "resubmitted"
    # A filed report's item is no longer completed this way.
    r = page.post(f"/campaigns/rectification/{added.pk}/owner/", {"person": "别人"}, follow=True)
    added.refresh_from_db()
    assert added.person == "韦立群"


def test_a_row_saves_itself_and_its_evidence(world, report, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = client_for(world.user("submitter_x"))
    url = f"/campaigns/reports/{report.pk}/answers/"
    item = _item(report, 18)
    total = checklist().items.count()
    r = page.post(
        url, {f"answer_{item.pk}": "non_compliant", f"note_{item.pk}": "3次不足7天"}, HTTP_ACCEPT="application/json"
    )
    body = r.json()
    assert r.status_code == 200 and body["rows"][str(item.pk)]["ok"] and (body["answered"], body["total"]) == (1, total)
    assert any("查1、" in g for g in body["gaps"])
    # An unsaved row with a file: the answer is saved first, then the file attaches to it.
    item2 = _item(report, 19)
    r = page.post(
        url,
        {f"answer_{item2.pk}": "compliant", f"evidence_{item2.pk}": SimpleUploadedFile("公告.pdf", PDF)},
        HTTP_ACCEPT="application/json",
    )
    row = r.json()["rows"][str(item2.pk)]
    answer = ChecklistAnswer.objects.get(report=report, item=item2)
    assert row["ok"] and row["answer"] == answer.pk and row["evidence"][0]["name"] == "公告.pdf"
    assert Attachment.objects.for_object(answer).count() == 1
    # A file on a row with no answer is refused, and says why; a bad file too.
    item3 = _item(report, 20)
    r = page.post(url, {f"evidence_{item3.pk}": SimpleUploadedFile("a.pdf", PDF)}, HTTP_ACCEPT="application/json")
    assert r.status_code == 400 and not r.json()["rows"][str(item3.pk)]["ok"]
    r = page.post(
        url,
        {f"answer_{item3.pk}": "compliant", f"evidence_{item3.pk}": SimpleUploadedFile("x.pdf", b"MZ\x90not a pdf")},
        HTTP_ACCEPT="application/json",
    )
    assert r.status_code == 400 and not ChecklistAnswer.objects.filter(report=report, item=item3).exists()
    # Another utility's user cannot save a row (404: it cannot see the report).
    assert client_for(world.user("submitter_y")).post(url, {f"answer_{item.pk}": "compliant"}).status_code == 404
