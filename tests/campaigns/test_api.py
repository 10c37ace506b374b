"""REST API of campaigns: create, the report workflow, 400 field messages, 409, filters, scoping."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns import services
from campaigns.models import SelfCheckReport
from tests.campaigns.factories import PDF, answer_all, attach_evidence, checklist, filled_report

pytestmark = pytest.mark.django_db

REPORT = {
    "campaign": "T-2026",
    "declared_organisation": "国网汶源县供电公司",
    "period_start": "2025-01-01",
    "period_end": "2026-04-30",
    "indicator_year": 2025,
    "customers": 286412,
    "voltage_overall": "98.98",
    "voltage_a": "99.98",
    "voltage_b": "98.62",
    "voltage_c": "98.95",
    "voltage_d": "96.38",
}


def test_regulator_creates_a_campaign_from_the_template_with_scope(world, calendar, api):
    r = api(world.user("reg_admin_a")).post(
        "/api/v1/campaigns/",
        {
            "code": "API-1",
            "title": "专项行动",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "subtrees": ["T-X"],
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert [p["name"] for p in body["phases"]] == ["组织部署", "企业自查", "检查督查", "总结提高"]
    assert sorted(body["utilities"]) == ["T-X", "T-X-C", "T-X-C-K"]
    assert body["current_phase"] == "总结提高"
    again = api(world.user("reg_admin_a")).post(
        "/api/v1/campaigns/",
        {"code": "API-1", "title": "x", "start_date": "2026-01-01", "end_date": "2026-12-31"},
        format="json",
    )
    assert again.status_code == 400 and "code" in again.json()["errors"]


def test_utility_cannot_create_a_campaign(world, api):
    r = api(world.user("manager_x")).post("/api/v1/campaigns/", {}, format="json")
    assert r.status_code == 403


def test_report_filed_over_the_api_and_reviewed(world, campaign, api):
    sub, reg = api(world.user("submitter_x")), api(world.user("reg_staff_a"))
    r = sub.post("/api/v1/self-check-reports/", REPORT, format="json")
    assert r.status_code == 201, r.json()
    rid = r.json()["id"]
    assert r.json()["utility"] == "T-X-C-K" and r.json()["status"] == "draft"
    assert sub.post("/api/v1/self-check-reports/", REPORT, format="json").status_code == 409
    assert sub.post(f"/api/v1/self-check-reports/{rid}/submit/").status_code == 200
    r = sub.patch(f"/api/v1/self-check-reports/{rid}/", {"summary": "改"}, format="json")
    assert r.status_code == 400 and "status" in r.json()["errors"]
    assert reg.post(f"/api/v1/self-check-reports/{rid}/return/", {}, format="json").status_code == 400
    assert sub.post(f"/api/v1/self-check-reports/{rid}/accept/").status_code == 403
    r = reg.post(f"/api/v1/self-check-reports/{rid}/return/", {"comment": "补充时限"}, format="json")
    assert r.json()["status"] == "returned"
    assert sub.patch(f"/api/v1/self-check-reports/{rid}/", {"summary": "已补充"}, format="json").status_code == 200
    assert sub.post(f"/api/v1/self-check-reports/{rid}/resubmit/").json()["status"] == "resubmitted"
    r = reg.post(f"/api/v1/self-check-reports/{rid}/accept/", {}, format="json")
    assert r.json()["status"] == "accepted"
    assert r.json()["is_late"] is True  # filed today, after the self-check due date


def test_bad_report_input_gets_field_messages(world, campaign, api):
    sub = api(world.user("submitter_x"))
    r = sub.post("/api/v1/self-check-reports/", {**REPORT, "satisfaction": "100.5"}, format="json")
    assert r.status_code == 400 and "satisfaction" in r.json()["errors"]
    r = sub.post("/api/v1/self-check-reports/", {**REPORT, "voltage_overall": "95.00"}, format="json")
    assert r.status_code == 400 and "voltage_overall" in r.json()["errors"]
    r = api(world.user("manager_b")).post("/api/v1/self-check-reports/", {**REPORT, "utility": "T-B"}, format="json")
    assert r.status_code == 400 and "campaign" in r.json()["errors"]  # office B's utility cannot see it
    services.campaign_set_scope(
        campaign=campaign, organisations=[world.company_x], acting_user=world.user("reg_admin_a")
    )
    r = api(world.user("manager_x")).post("/api/v1/self-check-reports/", {**REPORT, "utility": "T-X-C"}, format="json")
    assert r.status_code == 400 and "不在本专项行动范围内" in str(r.json()["errors"]["utility"])
    assert not SelfCheckReport.objects.exists()


def test_bad_phase_input(world, campaign, api):
    reg = api(world.user("reg_admin_a"))
    r = reg.post(
        "/api/v1/campaign-phases/",
        {"campaign": "T-2026", "name": "补充", "start_date": "2026-06-01", "end_date": "2026-06-10"},
        format="json",
    )
    assert r.status_code == 400 and "重叠" in str(r.json()["errors"])
    r = reg.post(
        "/api/v1/campaign-phases/",
        {"campaign": "T-2026", "name": "补充", "start_date": "2027-06-01", "end_date": "2027-06-10"},
        format="json",
    )
    assert r.status_code == 400 and "起止日期之内" in str(r.json()["errors"])


def test_rectification_actions(world, campaign, api):
    report = filled_report(world, campaign)
    finding = services.finding_add(report=report, text="低电压", acting_user=world.user("submitter_x"))
    sub, reg = api(world.user("submitter_x")), api(world.user("reg_staff_a"))
    r = sub.post(
        "/api/v1/rectification-items/",
        {
            "finding": finding.pk,
            "measure": "改造配变",
            "department": "生产技术部",
            "person": "聂国栋",
            "due_date": "2026-12-20",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    iid = r.json()["id"]
    assert sub.post(f"/api/v1/rectification-items/{iid}/start/").json()["status"] == "in_progress"
    # Completion is reported with its evidence (issue 11): refused by the item's state until a file is attached.
    r = sub.post(f"/api/v1/rectification-items/{iid}/complete/", {"note": "已完成"}, format="json")
    assert r.status_code == 409 and "佐证" in str(r.json())
    r = sub.post(
        f"/api/v1/rectification-items/{iid}/evidence/",
        {"file": SimpleUploadedFile("整改.pdf", PDF)},
        format="multipart",
    )
    assert r.status_code == 201
    assert sub.post(f"/api/v1/rectification-items/{iid}/complete/", {}, format="json").status_code == 400
    assert (
        sub.post(f"/api/v1/rectification-items/{iid}/complete/", {"note": "已完成"}, format="json").status_code == 200
    )
    assert sub.post(f"/api/v1/rectification-items/{iid}/verify/", {}, format="json").status_code == 403
    r = reg.post(f"/api/v1/rectification-items/{iid}/verify/", {"note": "核实"}, format="json")
    assert r.json()["status"] == "verified"
    assert reg.get("/api/v1/rectification-items/?status=verified").json()["results"][0]["id"] == iid
    assert reg.get("/api/v1/rectification-items/?overdue=true").json()["results"] == []
    assert reg.get("/api/v1/rectification-items/?utility=T-Y").json()["results"] == []
    assert api(world.user("reg_staff_b")).get(f"/api/v1/rectification-items/{iid}/").status_code == 404
    assert api(world.user("submitter_y")).get(f"/api/v1/rectification-items/{iid}/").status_code == 404


def test_attach_checklist_and_answer(world, campaign, api):
    template = checklist()
    focus = services.focus_item_save(campaign=campaign, acting_user=world.user("reg_admin_a"), title="供电服务")
    r = api(world.user("reg_admin_a")).post(
        f"/api/v1/campaigns/{campaign.pk}/attach-checklist/",
        {"focus_item": focus.pk, "checklist": template.code},
        format="json",
    )
    assert r.status_code == 200 and r.json()["checklist"] == "SGCC-BWBC-2009"
    report = filled_report(world, campaign)
    item = template.items.get(kind="check", number=42)
    r = api(world.user("submitter_x")).post(
        f"/api/v1/self-check-reports/{report.pk}/answers/", {"item": item.pk, "answer": "compliant"}, format="json"
    )
    assert r.status_code == 201
    detail = api(world.user("reg_staff_a")).get(f"/api/v1/self-check-reports/{report.pk}/").json()
    assert detail["answers"][0]["answer"] == "compliant"
    # answering the same item again changes the answer: 200, as published (the long contract run found a 201
    # the schema did not document)
    again = api(world.user("submitter_x")).post(
        f"/api/v1/self-check-reports/{report.pk}/answers/", {"item": item.pk, "answer": "not_applicable"}, format="json"
    )
    assert again.status_code == 200 and again.json()["id"] == r.json()["id"], again.content
    published = api(world.user("submitter_x")).get("/api/v1/schema/?format=json").json()
    responses = published["paths"]["/api/v1/self-check-reports/{id}/answers/"]["post"]["responses"]
    assert {"200", "201"} <= set(responses)


def test_scoping_of_campaigns_and_progress(world, campaign, api):
    assert api(world.user("reg_staff_b")).get(f"/api/v1/campaigns/{campaign.pk}/").status_code == 404
    assert api(world.user("manager_b")).get(f"/api/v1/campaigns/{campaign.pk}/").status_code == 404
    assert api(world.user("submitter_x")).get(f"/api/v1/campaigns/{campaign.pk}/").status_code == 200
    assert api(world.user("national_admin")).get(f"/api/v1/campaigns/{campaign.pk}/").status_code == 200
    assert api().get("/api/v1/campaigns/").status_code in (401, 403)
    rows = api(world.user("submitter_x")).get(f"/api/v1/campaigns/{campaign.pk}/progress/").json()["rows"]
    assert [r["code"] for r in rows] == ["T-X-C-K"]  # not company Y's progress
    rows = api(world.user("reg_staff_a")).get(f"/api/v1/campaigns/{campaign.pk}/progress/").json()["rows"]
    assert len(rows) == 2


def test_inspection_outside_the_phase_is_400(world, campaign, api):
    r = api(world.user("reg_staff_a")).post(
        "/api/v1/campaign-inspections/",
        {"campaign": "T-2026", "utility": "T-X-C-K", "inspected_on": str(date(2026, 4, 1))},
        format="json",
    )
    assert r.status_code == 400 and "inspected_on" in r.json()["errors"]


def test_checklists_and_groups_are_readable(world, campaign, api):
    checklist()
    r = api(world.user("submitter_x")).get("/api/v1/checklists/?code=SGCC-BWBC-2009")
    assert len(r.json()["results"][0]["items"]) == 99
    assert api(world.user("submitter_x")).get("/api/v1/campaign-leading-groups/").status_code == 200


def test_list_query_counts(world, campaign, api, django_assert_max_num_queries):
    for u, user in ((world.county_x, "submitter_x"), (world.company_y, "submitter_y")):
        filled_report(world, campaign, utility=u, user=world.user(user), declared_organisation=u.name)
    client = api(world.user("reg_staff_a"))
    for url in (
        "/api/v1/campaigns/",
        "/api/v1/self-check-reports/",
        "/api/v1/rectification-items/",
        "/api/v1/campaign-phases/",
        "/api/v1/campaign-deliverables/",
    ):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


def _answered(world, campaign):
    template = checklist()
    focus = services.focus_item_save(campaign=campaign, acting_user=world.user("reg_admin_a"), title="供电服务")
    services.checklist_attach(focus_item=focus, checklist=template, acting_user=world.user("reg_admin_a"))
    report = filled_report(world, campaign)
    answer = services.answer_save(
        report=report,
        item=template.items.get(kind="check", number=18),
        answer="non_compliant",
        acting_user=world.user("submitter_x"),
    )
    return report, answer


def test_evidence_upload_checks_type_and_size(world, campaign, api, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    report, answer = _answered(world, campaign)
    client = api(world.user("submitter_x"))
    url = f"/api/v1/self-check-reports/{report.pk}/answers/{answer.pk}/evidence/"
    r = client.post(url, {"file": SimpleUploadedFile("停电公告.pdf", PDF)}, format="multipart")
    assert r.status_code == 201, r.json()
    r = client.post(url, {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00not a pdf at all")}, format="multipart")
    assert r.status_code == 400 and "不予接受" in str(r.json()["errors"]["file"])
    settings.UPLOAD_MAX_BYTES = 20
    r = client.post(url, {"file": SimpleUploadedFile("big.pdf", PDF)}, format="multipart")
    assert r.status_code == 400 and "20 B" in str(r.json()["errors"]["file"])  # says which limit
    answer_all(report, world.user("submitter_x"))  # a report is filed only with every item answered (issue 20)
    services.report_submit(report=report, acting_user=world.user("submitter_x"))
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    r = client.post(url, {"file": SimpleUploadedFile("late.pdf", PDF + b" ")}, format="multipart")
    assert r.status_code == 400 and "status" in r.json()["errors"]  # a submitted report takes no new files


def test_regulator_builds_its_own_checklist(world, campaign, api):
    body = {
        "code": "A-2026",
        "title": "华北监管局低电压专项检查表",
        "items": [{"group": "查措施落实", "number": 1, "text": "查低电压台区治理。", "guidance": "台区清单"}],
    }
    assert api(world.user("manager_x")).post("/api/v1/checklists/", body, format="json").status_code == 403
    r = api(world.user("reg_staff_a")).post("/api/v1/checklists/", body, format="json")
    assert r.status_code == 201 and r.json()["owner"] == "T-REG-A"
    assert api(world.user("reg_staff_a")).post("/api/v1/checklists/", body, format="json").status_code == 400
    assert api(world.user("reg_staff_b")).get("/api/v1/checklists/?code=A-2026").json()["results"] == []


def test_creating_another_utilitys_report_is_403_whether_or_not_it_exists(world, campaign, api):
    """Permission before uniqueness: company Y learns nothing about county X's report."""
    other = api(world.user("submitter_y"))
    before = other.post("/api/v1/self-check-reports/", REPORT | {"utility": "T-X-C-K"}, format="json")
    assert api(world.user("submitter_x")).post("/api/v1/self-check-reports/", REPORT, format="json").status_code == 201
    after = other.post("/api/v1/self-check-reports/", REPORT | {"utility": "T-X-C-K"}, format="json")
    assert before.status_code == after.status_code == 403, (before.json(), after.json())
    assert before.json() == after.json()
    assert SelfCheckReport.objects.count() == 1


def test_not_accepting_a_completion_is_the_reject_step(world, campaign, api):
    """`verify/` and `reject/` are two steps of the table; `verify/` still reads the former verdict `accept`
    (true or absent verifies) and refuses `false` rather than verifying: not accepting needs `reject/`."""
    report = filled_report(world, campaign)
    finding = services.finding_add(report=report, text="低电压", acting_user=world.user("submitter_x"))
    item = services.rectification_add(
        finding=finding, measure="改造", department="运检部", due_date=None, acting_user=world.user("submitter_x")
    )
    sub, reg = api(world.user("submitter_x")), api(world.user("reg_staff_a"))
    attach_evidence(item, world.user("submitter_x"))
    assert sub.post(f"/api/v1/rectification-items/{item.pk}/complete/", {"note": "已完成"}).status_code == 200
    r = reg.post(f"/api/v1/rectification-items/{item.pk}/verify/", {"accept": False, "note": "x"}, format="json")
    assert r.status_code == 400 and "accept" in r.json()["errors"]
    r = reg.post(f"/api/v1/rectification-items/{item.pk}/verify/", {"accept": "maybe"}, format="json")
    assert r.status_code == 400 and "accept" in r.json()["errors"]
    r = reg.post(f"/api/v1/rectification-items/{item.pk}/reject/", {}, format="json")
    assert r.status_code == 400 and "note" in r.json()["errors"]
    assert sub.post(f"/api/v1/rectification-items/{item.pk}/reject/", {"note": "x"}).status_code == 403
    r = reg.post(f"/api/v1/rectification-items/{item.pk}/reject/", {"note": "未整改到位"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    assert r.json()["verification_note"] == "未整改到位"
    assert sub.post(f"/api/v1/rectification-items/{item.pk}/complete/", {"note": "再次完成"}).status_code == 200
    r = reg.post(f"/api/v1/rectification-items/{item.pk}/verify/", {"note": "核实"})  # form-encoded, no accept
    assert r.status_code == 200 and r.json()["status"] == "verified"
