"""A 12398 举报 is the regulator's own case (issue 13, part 3): assigned to one of its officers, investigated
step by step, concluded, followed up and closed — never forwarded, on its own clocks (举报 ≤ 9 WD in
provincial practice, ≤ 10 WD from receipt), and never seen by the utility it concerns."""

from django.contrib.contenttypes.models import ContentType

from complaints.models import Complaint, Investigation
from portal.choices import Role
from portal.models import Notification, TrackedDeadline
from tests.complaints.factories import push, recent
from tests.factories import UserFactory

UTILITY_PEOPLE = ("manager_x", "submitter_x", "system_x", "manager_y")


def _codes(ticket) -> dict[str, TrackedDeadline]:
    ct = ContentType.objects.get_for_model(Complaint)
    return {d.code: d for d in TrackedDeadline.objects.filter(content_type=ct, object_id=ticket.pk)}


def _unseen_by_utilities(world, api, client_for, ticket) -> None:
    for name in UTILITY_PEOPLE:
        user = world.user(name)
        assert api(user).get(f"/api/v1/complaints/{ticket.pk}/").status_code == 404
        listed = {t["id"] for t in api(user).get("/api/v1/complaints/?kind=report").json()["results"]}
        assert ticket.pk not in listed
        if not user.is_system:
            assert client_for(user).get(f"/complaints/{ticket.pk}/").status_code == 404
    assert not Notification.objects.filter(organisation__kind="utility", object_id=ticket.pk).exists()


def test_a_12398_report_end_to_end_inside_the_regulator(world, calendar, api, client_for):
    admin, officer = world.user("reg_admin_a"), world.user("reg_staff_a")
    colleague = UserFactory(username="reg_staff_a2", organisation=world.office_a, role=Role.REGULATOR_STAFF)
    ticket = push(
        world.user("system_a"),
        channel="12398",
        kind="report",
        external_id="12398-JB-0001",
        received_at=recent(1),
        content="举报汶源县供电公司城关供电所抄表员估抄电量、多收电费。",
    )
    clocks = _codes(ticket)
    assert clocks["complaint.reply.12398.report"].rule.value == 9  # 举报 ≤ 9 WD (provincial practice)
    assert clocks["complaint.reply.statutory"].start == ticket.received_at  # ≤ 10 WD from receipt
    assert clocks["complaint.reply.12398.report"].due < clocks["complaint.reply.statutory"].due
    assert "complaint.reply.12398" not in clocks or clocks["complaint.reply.12398"].status == "cancelled"
    _unseen_by_utilities(world, api, client_for, ticket)

    base = f"/api/v1/complaints/{ticket.pk}/"
    reg = api(admin)
    # Never forwarded.
    r = reg.post(base + "forward/", {}, format="json")
    assert r.status_code == 409 and "举报" in str(r.json())
    # Assigned to an officer of the office: not to a utility's person, not to another office's.
    for name in ("submitter_x", "reg_staff_b", "nobody"):
        assert reg.post(base + "assign/", {"officer": name}, format="json").status_code == 400
    # not assigned yet: its state refuses
    assert reg.post(base + "investigate/", {"method": "x", "findings": "y"}, format="json").status_code == 409
    r = reg.post(base + "assign/", {"officer": "reg_staff_a", "note": "请核查抄表记录"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "assigned" and r.json()["officer"] == "reg_staff_a"

    # The investigation: the officer's (or an administrator's), not a colleague's.
    step = {"method": "调阅抄表记录", "findings": "2026年9月、10月抄表数据与用电信息采集系统数据不符"}
    assert api(colleague).post(base + "investigate/", step, format="json").status_code == 403
    # nothing investigated yet: its state refuses
    assert api(officer).post(base + "conclude/", {"finding": "founded", "conclusion": "x"}).status_code == 409
    assert api(officer).post(base + "investigate/", step, format="json").status_code == 200
    r = api(officer).post(
        base + "investigate/", {"method": "现场核查", "findings": "电能表示数与账单不符，估抄属实"}, format="json"
    )
    assert r.status_code == 200
    assert [s["method"] for s in r.json()["investigation_steps"]] == ["调阅抄表记录", "现场核查"]
    # a 举报 is concluded, not replied to
    assert api(officer).post(base + "reply/", {"opinion": "x", "note": "y"}, format="json").status_code == 409

    # The conclusion answers the report and meets its clocks.
    conclusion = "举报属实。责令汶源县供电公司退还多收电费，对责任抄表员进行处理，并在全县开展抄表质量检查。"
    r = api(officer).post(base + "conclude/", {"finding": "founded", "conclusion": conclusion}, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["status"], body["finding"], body["conclusion"]) == ("replied", "founded", conclusion)
    clocks = _codes(ticket)
    assert clocks["complaint.reply.12398.report"].status == "met"
    assert clocks["complaint.reply.statutory"].status == "met"
    assert api(officer).post(base + "visit/", {"satisfaction": "satisfied"}, format="json").status_code == 200
    assert api(officer).post(base + "close/", {}, format="json").json()["status"] == "closed"

    ticket.refresh_from_db()
    assert ticket.forwarded_at is None and ticket.officer == officer
    history = [
        (h.history_change_reason.split(":")[0], h.history_user.username if h.history_user else None)
        for h in ticket.history.order_by("history_date", "history_id")
    ]
    assert history[1:] == [
        ("assign", "reg_admin_a"),
        ("investigate", "reg_staff_a"),
        ("investigate", "reg_staff_a"),
        ("conclude", "reg_staff_a"),
        ("visit", "reg_staff_a"),
        ("close", "reg_staff_a"),
    ]
    assert Investigation.history.filter(complaint_id=ticket.pk).count() == 2
    page = client_for(admin).get(f"/complaints/{ticket.pk}/").content.decode()
    assert "现场核查" in page and "举报属实" in page
    # From start to end, nothing of it reached the utility.
    _unseen_by_utilities(world, api, client_for, ticket)
    assert {t["id"] for t in reg.get(f"/api/v1/complaints/?officer={officer.pk}").json()["results"]} == {ticket.pk}
