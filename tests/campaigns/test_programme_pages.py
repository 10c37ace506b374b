"""Pages and API of standalone rectification programmes (issue 11): the office's regulator admins create and edit
them, its regulators record findings, the utility addressed proposes measures that the regulator approves or
returns; escalated items are found by the lists' filter and shown on the item's page."""

from datetime import date

import pytest

from campaigns import services
from campaigns.models import Finding, RectificationItem, RectificationProgramme
from tests.campaigns.test_programmes import SEED_004_FINDING, SEED_004_MEASURE, make_programme

pytestmark = pytest.mark.django_db


def test_programme_pages_from_creation_to_an_approved_measure(world, calendar, client_for):
    admin, staff, sub = (client_for(world.user(u)) for u in ("reg_admin_a", "reg_staff_a", "submitter_x"))
    data = {
        "new-code": "XFPY-2026",
        "new-title": "对消费者评议提出的意见和建议整改措施",
        "new-source": "consumer_review",
        "new-start_date": "2026-03-01",
        "new-end_date": "2026-12-31",
    }
    assert staff.post("/campaigns/programmes/", data).status_code == 403  # staff do not create programmes
    r = admin.post("/campaigns/programmes/", data)
    programme = RectificationProgramme.objects.get(code="XFPY-2026")
    assert r.status_code == 302 and r["Location"] == f"/campaigns/programmes/{programme.pk}/"
    assert "XFPY-2026" in admin.get("/campaigns/programmes/").content.decode()
    edit = {
        "title": "消费者评议整改",
        "source": "consumer_review",
        "start_date": "2026-03-01",
        "end_date": "2027-12-31",
    }
    admin.post(f"/campaigns/programmes/{programme.pk}/edit/", {f"edit-{k}": v for k, v in edit.items()})
    programme.refresh_from_db()
    assert programme.title == "消费者评议整改" and programme.end_date == date(2027, 12, 31)
    admin.post(f"/campaigns/programmes/{programme.pk}/issue/")
    assert RectificationProgramme.objects.get(pk=programme.pk).status == "active"

    staff.post(
        f"/campaigns/programmes/{programme.pk}/findings/",
        {"source": "consumer_review", "utility": world.county_x.pk, "text": SEED_004_FINDING},
    )
    finding = Finding.objects.get(programme=programme)
    page = sub.get(f"/campaigns/programmes/{programme.pk}/").content.decode()
    assert SEED_004_FINDING[:20] in page and f'name="add-item-{finding.pk}"' in page  # the utility proposes
    assert sub.get(f"/campaigns/programmes/{programme.pk}/").status_code == 200
    assert client_for(world.user("submitter_y")).get(f"/campaigns/programmes/{programme.pk}/").status_code == 404
    sub.post(
        f"/campaigns/findings/{finding.pk}/items/",
        {"measure": SEED_004_MEASURE, "department": "营销部", "person": "韦立群", "due_date": "2027-06-30"},
    )
    item = RectificationItem.objects.get(finding=finding)
    assert item.status == "proposed" and item.programme == programme
    page = staff.get(f"/campaigns/rectification/{item.pk}/").content.decode()
    assert "action-approve" in page and "action-return" in page and programme.title in page
    assert sub.post(f"/campaigns/rectification/{item.pk}/approve/").status_code == 403
    staff.post(f"/campaigns/rectification/{item.pk}/approve/", {"note": "同意"})
    assert RectificationItem.objects.get(pk=item.pk).status == "open"
    # The utility's page asks for evidence before completion is offered.
    page = sub.get(f"/campaigns/rectification/{item.pk}/").content.decode()
    assert 'id="evidence-needed"' in page and "action-complete" not in page


def test_escalated_filter_and_item_page(world, calendar, client_for, api):
    admin = world.user("reg_admin_a")
    programme = make_programme(world)
    finding = services.finding_add(
        programme=programme, utility=world.county_x, source="unannounced_check", text="暗访", acting_user=admin
    )
    quiet, loud = (
        services.rectification_add(
            finding=finding, measure=m, department="营销部", due_date=date(2026, 9, 30), acting_user=admin
        )
        for m in ("公示", "整改")
    )
    services.RECTIFICATION_WORKFLOW.transition(loud, "escalate", None, level="talk")
    client = client_for(world.user("reg_staff_a"))
    html = client.get("/campaigns/rectification/?escalated=true").content.decode()
    assert loud.defect_number in html and quiet.defect_number not in html
    html = client.get(f"/campaigns/rectification/{loud.pk}/").content.decode()
    assert 'id="rect-escalation"' in html and "约谈" in html and "action-talk" in html
    r = api(world.user("reg_staff_a")).get("/api/v1/rectification-items/", {"escalated": "true"})
    assert [row["defect_number"] for row in r.json()["results"]] == [loud.defect_number]
    assert r.json()["results"][0]["escalation"] == "talk" and r.json()["results"][0]["programme"] == "XFPY-2026"
    r = api(world.user("reg_staff_a")).post(
        f"/api/v1/rectification-items/{loud.pk}/talk/", {"held_on": "2026-10-21", "note": "约谈"}, format="json"
    )
    assert r.status_code == 200 and r.json()["talk_held_on"] == "2026-10-21"


def test_programme_api(world, calendar, api):
    admin, staff = api(world.user("reg_admin_a")), api(world.user("reg_staff_a"))
    body = {"code": "XFPY-API", "title": "整改", "start_date": "2026-01-01", "end_date": "2028-12-31"}
    assert staff.post("/api/v1/rectification-programmes/", body, format="json").status_code == 403
    r = admin.post("/api/v1/rectification-programmes/", body, format="json")
    assert r.status_code == 201 and r.json()["status"] == "draft" and r.json()["owner"] == "T-REG-A"
    assert admin.post("/api/v1/rectification-programmes/", body, format="json").status_code == 400
    pk = r.json()["id"]
    assert admin.post(f"/api/v1/rectification-programmes/{pk}/issue/", {}, format="json").json()["status"] == "active"
    r = staff.post(
        "/api/v1/campaign-findings/",
        {"programme": "XFPY-API", "utility": "T-X-C-K", "source": "inspection", "text": "检查发现"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["programme"] == "XFPY-API" and r.json()["campaign"] is None
    r = api(world.user("submitter_x")).post(
        "/api/v1/rectification-items/",
        {"finding": r.json()["id"], "measure": "整改", "department": "营销部", "due_date": "2027-03-31"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["status"] == "proposed"
    r = staff.post(f"/api/v1/rectification-items/{r.json()['id']}/return/", {}, format="json")
    assert r.status_code == 400 and "note" in r.json()["errors"]
    assert api(world.user("reg_staff_b")).get(f"/api/v1/rectification-programmes/{pk}/").status_code == 404
    assert admin.post(f"/api/v1/rectification-programmes/{pk}/close/", {}, format="json").status_code == 409


def test_proposals_wait_in_the_worklists(world, calendar):
    """我的待办: the office sees a proposed measure to approve or return, the utility a returned one to revise."""
    from portal.worklist import work_items

    staff, sub = world.user("reg_staff_a"), world.user("submitter_x")
    programme = make_programme(world)
    finding = services.finding_add(
        programme=programme, utility=world.county_x, source="consumer_review", text="评议", acting_user=staff
    )
    item = services.rectification_add(
        finding=finding, measure="公示", department="营销部", due_date=date(2027, 3, 31), acting_user=sub
    )

    def listed(user):
        return [w.url for w in work_items(user, kind="rectification")[0]]

    url = f"/campaigns/rectification/{item.pk}/"
    assert url in listed(staff) and url not in listed(sub)
    services.RECTIFICATION_WORKFLOW.transition(item, "return", staff, note="请明确责任人")
    assert url in listed(sub) and url not in listed(staff)


def test_the_inspected_utility_proposes_measures_in_a_campaign_too(world, campaign, client_for):
    """Inside a campaign: an inspection's finding is addressed to the utility inspected, which proposes its
    measure from the inspection page; the due date may run past the campaign's end (the plan's)."""
    reg = world.user("reg_staff_a")
    inspected_on = campaign.phases.get(kind="inspection").start_date
    insp = services.inspection_create(
        campaign=campaign, utility=world.county_x, inspected_on=inspected_on, acting_user=reg
    )
    finding = services.finding_add(inspection=insp, text="停电公告不足7天", acting_user=reg)
    sub = client_for(world.user("submitter_x"))
    assert f'name="add-item-{finding.pk}"' in sub.get(f"/campaigns/inspections/{insp.pk}/").content.decode()
    sub.post(
        f"/campaigns/findings/{finding.pk}/items/",
        {"measure": "修订停电信息发布办法", "department": "调度室", "due_date": "2027-06-30"},
    )
    item = RectificationItem.objects.get(finding=finding)
    assert item.status == "proposed" and item.campaign == campaign and item.due_date == date(2027, 6, 30)
