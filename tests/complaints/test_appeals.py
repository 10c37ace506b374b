"""Appeals (申诉) with their own clock and outcome (issue 13, part 4): an appeal runs on the catalogue's
`complaint.appeal` clock from the day it is lodged, swept like any other, until the regulator decides it —
upheld (the utility handles the ticket again) or rejected (the handling stands, the ticket is closed)."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType

from complaints import lifecycle
from complaints.models import Appeal, Complaint
from portal.calendar import get_calendar
from portal.deadlines import compute_deadline
from portal.models import Rule, TrackedDeadline, Violation
from portal.services import deadlines_sweep
from tests.complaints.factories import push, recent


def _deadline(ticket, code) -> TrackedDeadline:
    ct = ContentType.objects.get_for_model(Complaint)
    return TrackedDeadline.objects.get(content_type=ct, object_id=ticket.pk, code=code)


def _answered(world, external_id):
    user = world.user("submitter_x")
    ticket = push(world.user("system_x"), external_id=external_id, category="metering", received_at=recent(2))
    lifecycle.complaint_contact(ticket=ticket, acting_user=user)
    lifecycle.complaint_reply(ticket=ticket, acting_user=user, opinion="已校验电能表，误差在允许范围内。")
    return lifecycle.complaint_close(ticket=ticket, acting_user=user)


def test_an_appeal_runs_on_its_own_clock_until_the_regulator_decides(world, calendar, api):
    ticket = _answered(world, "95598-APPEAL-1")
    utility, regulator = api(world.user("submitter_x")), api(world.user("reg_staff_a"))
    base = f"/api/v1/complaints/{ticket.pk}/"
    assert regulator.post(base + "decide_appeal/", {"outcome": "upheld", "decision": "x"}).status_code == 409
    r = utility.post(base + "appeal/", {"note": "客户不认可校验结果，申请第三方检定"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "appealed"
    appeal = Appeal.objects.get(complaint=ticket, number=1)
    rule = Rule.objects.get(code="complaint.appeal")
    assert appeal.due == compute_deadline(rule.spec(), appeal.lodged_at, get_calendar()).due
    clock = _deadline(ticket, "complaint.appeal.1")
    assert (clock.status, clock.due, clock.start) == ("open", appeal.due, appeal.lodged_at)
    assert clock.rule == rule  # so the page shows its computation and a calendar change re-judges it
    assert r.json()["appeals_lodged"][0]["due"]

    # The utility does not decide appeals; the regulator does, with its reasons.
    assert utility.post(base + "decide_appeal/", {"outcome": "rejected", "decision": "x"}).status_code == 403
    assert regulator.post(base + "decide_appeal/", {"outcome": "maybe", "decision": "x"}).status_code == 400
    decision = "经第三方检定，电能表误差合格，原处理意见正确，申诉不成立。"
    r = regulator.post(base + "decide_appeal/", {"outcome": "rejected", "decision": decision}, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "closed" and body["appeal_outcome"] == "rejected"
    assert body["appeals_lodged"][0]["decision"] == decision
    assert _deadline(ticket, "complaint.appeal.1").status == "met"
    assert _deadline(ticket, "complaint.reply").status in ("met", "met_late", "cancelled")
    assert not TrackedDeadline.objects.for_object(ticket).filter(status="open").exists()
    row = ticket.history.first()
    assert row.history_user == world.user("reg_staff_a") and row.appeal_outcome == "rejected"
    assert Appeal.history.filter(number=1, complaint_id=ticket.pk).first().decided_by == world.user("reg_staff_a")

    # A second appeal, upheld: the utility handles the ticket again.
    utility.post(base + "appeal/", {"note": "客户再次申诉"}, format="json")
    r = regulator.post(base + "decide_appeal/", {"outcome": "upheld", "decision": "责成重新核实处理"}, format="json")
    assert r.json()["status"] == "appealed" and r.json()["appeal_outcome"] == "upheld"
    assert _deadline(ticket, "complaint.appeal.2").status == "met"
    r = utility.post(base + "reply/", {"opinion": "已更换电能表并退补电费。"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "replied"

    # Filters: appealed, and the outcome of the last appeal.
    other = push(world.user("system_x"), external_id="95598-NO-APPEAL", received_at=recent(1))
    ids = {t["id"] for t in regulator.get("/api/v1/complaints/?appealed=true").json()["results"]}
    assert ids == {ticket.pk}
    assert other.pk in {t["id"] for t in regulator.get("/api/v1/complaints/?appealed=false").json()["results"]}
    ids = {t["id"] for t in regulator.get("/api/v1/complaints/?appeal_outcome=upheld").json()["results"]}
    assert ids == {ticket.pk}
    assert regulator.get("/api/v1/complaints/?appeal_outcome=rejected").json()["results"] == []


def test_an_undecided_appeal_goes_overdue_on_its_own_clock(world, calendar, client_for):
    ticket = _answered(world, "95598-APPEAL-2")
    lifecycle.complaint_appeal(ticket=ticket, acting_user=world.user("manager_x"), note="客户不认可处理结果")
    appeal = Appeal.objects.get(complaint=ticket)
    deadlines_sweep(now=appeal.due + timedelta(seconds=1))
    assert _deadline(ticket, "complaint.appeal.1").status == "overdue"
    assert Violation.objects.filter(object_id=ticket.pk, code="complaint.appeal.1").count() == 1
    page = client_for(world.user("reg_staff_a")).get(f"/complaints/{ticket.pk}/").content.decode()
    assert "客户不认可处理结果" in page and "complaint.appeal.1" in page
