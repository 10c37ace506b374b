"""Pages of campaigns: the permission matrix (anonymous, wrong role, other organisation), the
workflow through the forms, bad input kept with field messages, the public column, query counts."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns import services
from campaigns.models import Campaign, RectificationItem, SelfCheckReport
from tests.campaigns.factories import PDF, attach_evidence, checklist, filled_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(world, campaign):
    report = filled_report(world, campaign)
    finding = services.finding_add(report=report, text="低电压", acting_user=world.user("submitter_x"))
    item = services.rectification_add(
        finding=finding,
        measure="改造",
        department="运检部",
        person="聂国栋",
        due_date=date(2026, 12, 20),
        acting_user=world.user("submitter_x"),
    )
    phase = campaign.phases.get(kind="inspection")
    inspection = services.inspection_create(
        campaign=campaign, utility=world.county_x, inspected_on=phase.start_date, acting_user=world.user("reg_staff_a")
    )
    return {"campaign": campaign, "report": report, "item": item, "inspection": inspection}


def _urls(o):
    c, r, i, insp = o["campaign"], o["report"], o["item"], o["inspection"]
    return [
        f"/campaigns/{c.pk}/",
        f"/campaigns/reports/{r.pk}/",
        f"/campaigns/rectification/{i.pk}/",
        f"/campaigns/inspections/{insp.pk}/",
    ]


@pytest.mark.parametrize("url", ["/campaigns/", "/campaigns/reports/", "/campaigns/rectification/"])
def test_lists_need_login(client, url):
    r = client.get(url)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_detail_pages_anonymous_redirect_other_org_404_in_scope_200(world, objects, client, client_for):
    for url in _urls(objects):
        assert client.get(url).status_code == 302
        assert client_for(world.user("reg_staff_b")).get(url).status_code == 404, url
        assert client_for(world.user("manager_b")).get(url).status_code == 404, url
        assert client_for(world.user("reg_staff_a")).get(url).status_code == 200, url
        assert client_for(world.user("submitter_x")).get(url).status_code == 200, url
    # Company Y is in scope of the campaign but county X's records are not its own.
    assert client_for(world.user("submitter_y")).get(f"/campaigns/{objects['campaign'].pk}/").status_code == 200
    assert client_for(world.user("submitter_y")).get(f"/campaigns/reports/{objects['report'].pk}/").status_code == 404


def test_wrong_role_is_403(world, objects, client_for):
    c, r, i = objects["campaign"], objects["report"], objects["item"]
    utility, regulator = client_for(world.user("submitter_x")), client_for(world.user("reg_staff_a"))
    assert utility.post("/campaigns/", {"code": "X"}).status_code == 403
    assert utility.post(f"/campaigns/{c.pk}/scope/", {}).status_code == 403
    assert utility.post(f"/campaigns/{c.pk}/phase-override/", {}).status_code == 403
    assert utility.post(f"/campaigns/reports/{r.pk}/accept/").status_code == 403
    assert utility.post(f"/campaigns/rectification/{i.pk}/verify/").status_code == 403
    assert regulator.post(f"/campaigns/reports/{r.pk}/submit/").status_code == 403
    assert regulator.post(f"/campaigns/{c.pk}/report/").status_code == 403
    assert regulator.post(f"/campaigns/rectification/{i.pk}/complete/").status_code == 403
    # Office A's own campaign, but a national staff member of another office above? The national office may.
    assert client_for(world.user("national_admin")).get(f"/campaigns/{c.pk}/").status_code == 200


def test_regulator_creates_from_the_template_and_scopes_a_subtree(world, calendar, client_for):
    client = client_for(world.user("reg_admin_a"))
    r = client.post(
        "/campaigns/",
        {
            "new-code": "UI-1",
            "new-title": "专项行动",
            "new-start_date": "2026-01-01",
            "new-end_date": "2026-12-31",
            "new-with_template_phases": "on",
        },
    )
    campaign = Campaign.objects.get(code="UI-1")
    assert r.status_code == 302 and campaign.phases.count() == 4
    r = client.post(f"/campaigns/{campaign.pk}/scope/", {"subtrees": [world.company_x.pk]})
    assert campaign.utilities.count() == 3
    html = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "国网汶源县供电公司" in html and "总结提高" in html


def test_bad_campaign_dates_keep_the_input(world, client_for):
    r = client_for(world.user("reg_admin_a")).post(
        "/campaigns/",
        {"new-code": "UI-2", "new-title": "专项行动", "new-start_date": "2026-12-31", "new-end_date": "2026-01-01"},
    )
    assert r.status_code == 200 and "UI-2" in r.content.decode()
    assert not Campaign.objects.filter(code="UI-2").exists()


def test_bad_indicators_in_the_form_say_which_field_and_keep_the_input(world, objects, client_for):
    r = objects["report"]
    client = client_for(world.user("submitter_x"))
    data = {
        "title": r.title,
        "declared_organisation": r.declared_organisation,
        "satisfaction": "101",
        "voltage_overall": "98.98",
        "voltage_a": "99.98",
        "customers": "4321",
    }
    resp = client.post(f"/campaigns/reports/{r.pk}/", data)
    html = resp.content.decode()
    assert resp.status_code == 200 and "field-error" in html and 'value="4321"' in html
    assert SelfCheckReport.objects.get(pk=r.pk).customers == 286412


def test_editing_a_submitted_report_is_refused_with_a_message(world, objects, client_for):
    r = objects["report"]
    services.report_submit(report=r, acting_user=world.user("submitter_x"))
    client = client_for(world.user("submitter_x"))
    resp = client.post(f"/campaigns/reports/{r.pk}/", {"title": "改"}, follow=True)
    assert "只有草稿" in resp.content.decode() or "Nothing was changed" in resp.content.decode()
    assert SelfCheckReport.objects.get(pk=r.pk).title == r.title


def test_evidence_of_the_wrong_type_is_refused_in_the_page(world, objects, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c, r = objects["campaign"], objects["report"]
    template = checklist()
    focus = services.focus_item_save(campaign=c, acting_user=world.user("reg_admin_a"), title="服务")
    services.checklist_attach(focus_item=focus, checklist=template, acting_user=world.user("reg_admin_a"))
    item = template.items.get(kind="check", number=18)
    client = client_for(world.user("submitter_x"))
    client.post(
        f"/campaigns/reports/{r.pk}/answers/", {f"answer_{item.pk}": "non_compliant", f"note_{item.pk}": "不足7天"}
    )
    answer = r.answers.get()
    resp = client.post(
        f"/campaigns/reports/{r.pk}/answers/{answer.pk}/evidence/",
        {"file": SimpleUploadedFile("a.pdf", b"plain text, not a pdf")},
        follow=True,
    )
    assert "不予接受" in resp.content.decode()


def test_rectification_tracking_and_verification(world, objects, client_for):
    i = objects["item"]
    utility, regulator = client_for(world.user("submitter_x")), client_for(world.user("reg_staff_a"))
    utility.post(f"/campaigns/rectification/{i.pk}/start/")
    page = utility.post(f"/campaigns/rectification/{i.pk}/complete/", {"note": "已完成改造"}, follow=True)
    assert RectificationItem.objects.get(pk=i.pk).status == "in_progress"  # no evidence file yet
    assert "佐证" in page.content.decode() or "evidence" in page.content.decode()
    utility.post(f"/campaigns/rectification/{i.pk}/evidence/", {"file": SimpleUploadedFile("改造.pdf", PDF)})
    utility.post(f"/campaigns/rectification/{i.pk}/complete/", {"note": "已完成改造"})
    regulator.post(f"/campaigns/rectification/{i.pk}/verify/", {"accept": "1", "note": "核实"})
    assert RectificationItem.objects.get(pk=i.pk).status == "verified"
    html = regulator.get(f"/campaigns/rectification/{i.pk}/").content.decode()
    assert "history-table" in html and "核实" in html
    html = regulator.get("/campaigns/rectification/?status=verified").content.decode()
    assert i.defect_number in html


def test_an_invalid_completion_or_verification_is_refused_not_defaulted(world, objects, client_for):
    """A date that is no date does not become today; a verdict that is neither yes nor no does not become
    'verified'. Each is refused with its field named, and the item stays where it was."""
    i = objects["item"]
    utility, regulator = client_for(world.user("submitter_x")), client_for(world.user("reg_staff_a"))
    utility.post(f"/campaigns/rectification/{i.pk}/start/")
    attach_evidence(i, world.user("submitter_x"))
    page = utility.post(
        f"/campaigns/rectification/{i.pk}/complete/", {"note": "已完成改造", "completed_on": "2026-02-30"}, follow=True
    )
    assert RectificationItem.objects.get(pk=i.pk).status == "in_progress"
    assert "完成日期" in page.content.decode()
    utility.post(f"/campaigns/rectification/{i.pk}/complete/", {"note": "已完成改造", "completed_on": "2026-11-30"})
    item = RectificationItem.objects.get(pk=i.pk)
    assert item.status == "done_pending_verification" and item.completed_on == date(2026, 11, 30)
    page = regulator.post(f"/campaigns/rectification/{i.pk}/verify/", {"accept": "maybe", "note": "?"}, follow=True)
    assert RectificationItem.objects.get(pk=i.pk).status == "done_pending_verification"
    assert "核实" in page.content.decode()


def test_public_column_shows_progress_without_internal_detail(world, objects, client):
    c, r = objects["campaign"], objects["report"]
    services.report_submit(report=r, acting_user=world.user("submitter_x"))
    services.report_return(report=r, comment="内部意见：补充时限", acting_user=world.user("reg_staff_a"))
    html = client.get(f"/public/campaigns/{c.code}/").content.decode()
    assert "国网汶源县供电公司" in html and "企业自查" in html
    assert "内部意见" not in html and "聂国栋" not in html and "低电压" not in html
    assert client.get("/public/campaigns/").status_code == 200
    c.is_public = False
    c.save()
    assert client.get(f"/public/campaigns/{c.code}/").status_code == 404


def test_list_query_counts(world, objects, client_for, django_assert_max_num_queries):
    client = client_for(world.user("reg_staff_a"))
    for url in ("/campaigns/", "/campaigns/reports/", "/campaigns/rectification/"):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(60):
        assert client.get(f"/campaigns/{objects['campaign'].pk}/").status_code == 200


def test_dashboard_panel(world, objects, client_for):
    html = client_for(world.user("reg_staff_a")).get("/").content.decode()
    assert "campaigns-panel" in html


def test_checklist_page_builds_from_lines_and_names_a_bad_line(world, client_for):
    client = client_for(world.user("reg_staff_a"))
    r = client.post(
        "/campaigns/checklists/", {"code": "A-1", "title": "检查表", "lines": "查制度执行|1|查制度。|要点\n坏行"}
    )
    assert r.status_code == 200 and "2" in r.content.decode() and "坏行" in r.content.decode()
    r = client.post("/campaigns/checklists/", {"code": "A-1", "title": "检查表", "lines": "查制度执行|1|查制度。|要点"})
    assert r.status_code == 302
    assert client_for(world.user("submitter_x")).post("/campaigns/checklists/", {}).status_code == 403


def test_regulators_reach_the_special_report_from_the_campaign(world, campaign, client_for):
    page = client_for(world.user("reg_staff_a")).get(f"/campaigns/{campaign.pk}/").content.decode()
    link = f"/reports/?for_campaign={campaign.pk}"
    assert link in page
    form = client_for(world.user("reg_staff_a")).get(link).content.decode()
    assert f'<option value="{campaign.pk}" selected>' in form  # the request form starts on this campaign
    assert link not in client_for(world.user("submitter_x")).get(f"/campaigns/{campaign.pk}/").content.decode()


def test_the_panels_reports_to_complete_are_the_worklists_deliverables_to_file(world, campaign, client_for):
    """Issue 11: the workbench panel counted only self-check reports in draft; the worklist counts every
    deliverable to file. Both read the same selector now, and the panel's link opens that list."""
    from portal.worklist import work_counts

    reg = world.user("reg_admin_a")
    services.deliverable_save(
        campaign=campaign,
        acting_user=reg,
        kind="progress_report",
        title="阶段性工作进展情况报告",
        due_month=10,
        due_day=10,
    )
    sub = world.user("submitter_x")
    counts = {c.kind.key: c.count for c in work_counts(sub)}
    assert counts["deliverable"] >= 2  # the self-check report and the progress report
    html = client_for(sub).get("/").content.decode()
    assert 'href="/worklist/?kind=deliverable" id="panel-to-file"' in html
    assert f'<span class="count">{counts["deliverable"]}</span>' in html
