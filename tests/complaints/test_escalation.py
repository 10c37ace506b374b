"""三级督办 and 约谈 (issue 13, part 2): an ignored complaint is supervised, escalated by the sweep through
the three levels in order — each level on its own clock from the catalogue — and then a talk (约谈) with
the utility's leadership is recorded with its follow-up deadline. The history says who did what when."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent, Supervision
from portal.calendar import get_calendar
from portal.deadlines import compute_deadline
from portal.models import Notification, Rule, TrackedDeadline, Violation
from portal.services import deadlines_sweep
from tests.complaints.factories import push, recent


def _deadline(ticket, code) -> TrackedDeadline:
    ct = ContentType.objects.get_for_model(Complaint)
    return TrackedDeadline.objects.get(content_type=ct, object_id=ticket.pk, code=code)


def _catalogue_due(code, start):
    return compute_deadline(Rule.objects.get(code=code).spec(), start, get_calendar()).due


def test_the_levels_of_supervision_are_in_the_catalogue_with_their_source(reference_data):
    rules = {r.code: r for r in Rule.objects.filter(code__startswith="complaint.supervision")}
    assert set(rules) == {"complaint.supervision", "complaint.supervision.2", "complaint.supervision.3"}
    assert [rules[c].params["level"] for c in sorted(rules)] == [1, 2, 3]
    assert all("三级督办" in r.source_text and r.source for r in rules.values())


def test_an_ignored_complaint_escalates_through_three_levels_and_a_talk(world, calendar, api):
    regulator, utility = world.user("reg_staff_a"), world.user("submitter_x")
    ticket = push(world.user("system_x"), external_id="95598-IGNORED", received_at=recent(0.5))
    reg = api(regulator)
    base = f"/api/v1/complaints/{ticket.pk}/"
    assert api(utility).post(base + "supervise/", {"note": "x"}, format="json").status_code == 403

    # Level 1 by the regulator: its deadline is the catalogue's, counted from the supervision.
    r = reg.post(base + "supervise/", {"note": "客户反映未获联系，请3个工作日内办结"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["supervision_level"] == 1
    one = Supervision.objects.get(complaint=ticket, level=1)
    assert one.by == regulator and not one.automatic
    assert one.due == _catalogue_due("complaint.supervision", one.started_at)
    assert _deadline(ticket, "complaint.supervision").rule.code == "complaint.supervision"

    # The utility ignores it: each sweep past a level's due escalates to the next, on its own clock.
    instants = []
    for level, code in ((2, "complaint.supervision.2"), (3, "complaint.supervision.3")):
        previous = Supervision.objects.get(complaint=ticket, level=level - 1)
        at = previous.due + timedelta(seconds=1)
        instants.append(at)
        deadlines_sweep(now=at)
        ticket.refresh_from_db()
        assert ticket.supervision_level == level
        current = Supervision.objects.get(complaint=ticket, level=level)
        assert current.automatic and current.by is None and current.started_at == at
        assert current.due == _catalogue_due(code, at) and current.code == code
        previous.refresh_from_db()
        assert previous.status == "escalated" and previous.ended_at == at
        assert _deadline(ticket, previous.code).status == "overdue"
        assert Violation.objects.filter(object_id=ticket.pk, code=previous.code).count() == 1

    # Past the third level nothing escalates further: the regulator is told a talk is due.
    three = Supervision.objects.get(complaint=ticket, level=3)
    deadlines_sweep(now=three.due + timedelta(seconds=1))
    ticket.refresh_from_db()
    assert ticket.supervision_level == 3 and Supervision.objects.filter(complaint=ticket).count() == 3
    assert Notification.objects.filter(organisation=world.office_a, key=f"complaint-talk-due:{ticket.pk}").exists()
    refused = reg.post(base + "supervise/", {"note": "再督办"}, format="json")
    assert refused.status_code == 409 and "约谈" in str(refused.json())
    dues = [v.due for v in Supervision.objects.filter(complaint=ticket).order_by("level")]
    assert dues == sorted(dues) and len(set(dues)) == 3  # three clocks, one after the other

    # The 约谈: when, who, what was agreed, the follow-up deadline (tracked and swept).
    held = timezone.now() - timedelta(hours=1)
    talk = {
        "held_at": held.isoformat(),
        "attendees": "国网汶源县供电公司总经理、营销部主任；华北监管局投诉处处长",
        "agreement": "一周内上门回复客户，完成城关线改造计划并书面报告",
        "follow_up_due": (held + timedelta(days=7)).isoformat(),
    }
    assert api(utility).post(base + "talk/", talk, format="json").status_code == 403
    assert reg.post(base + "talk/", {**talk, "attendees": ""}, format="json").status_code == 400
    r = reg.post(base + "talk/", talk, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["talk_count"] == 1 and body["talks_held"][0]["agreement"] == talk["agreement"]
    assert [v["level"] for v in body["supervision_levels"]] == [1, 2, 3]
    assert ComplaintEvent.objects.get(complaint=ticket, action="talk").at == held
    follow = _deadline(ticket, "complaint.talk.1")
    assert follow.status == "open" and follow.due == held + timedelta(days=7)
    r = api(utility).post(base + "follow_up/", {"note": "已上门回复客户，改造计划已报送"}, format="json")
    assert r.status_code == 200, r.content
    assert _deadline(ticket, "complaint.talk.1").status == "met"

    # The history: who did what, when — the regulator, the sweep (no user), the regulator, the utility.
    rows = list(ticket.history.order_by("history_date", "history_id"))
    acts = [(h.history_change_reason.split(":")[0], h.history_user.username if h.history_user else None) for h in rows]
    assert acts[-5:] == [
        ("supervise", "reg_staff_a"),
        ("escalate", None),
        ("escalate", None),
        ("talk", "reg_staff_a"),
        ("follow_up", "submitter_x"),
    ]
    events = list(ComplaintEvent.objects.filter(complaint=ticket).order_by("at", "id"))
    assert [(e.action, e.at) for e in events if e.action == "escalated"] == [
        ("escalated", instants[0]),
        ("escalated", instants[1]),
    ]
    assert [e.actor.username for e in events if e.action in ("supervised", "talk")] == ["reg_staff_a"] * 2
    assert [h.level for h in Supervision.history.filter(complaint_id=ticket.pk, history_type="+")] == [3, 2, 1]


def test_the_reply_answers_the_supervision_and_filters_find_the_level(world, calendar, api, client_for):
    regulator = world.user("reg_staff_a")
    ticket = push(world.user("system_x"), external_id="95598-SUP-A", received_at=recent(0.2))
    other = push(world.user("system_x"), external_id="95598-SUP-B", received_at=recent(0.2))
    api(regulator).post(f"/api/v1/complaints/{ticket.pk}/supervise/", {"note": "督办"}, format="json")
    ids = {t["id"] for t in api(regulator).get("/api/v1/complaints/?supervision_level=1").json()["results"]}
    assert ids == {ticket.pk}
    none = {t["id"] for t in api(regulator).get("/api/v1/complaints/?supervision_level=0").json()["results"]}
    assert other.pk in none and ticket.pk not in none
    page = client_for(regulator).get("/complaints/?supervision_level=1")
    assert [t.pk for t, _s, _p in page.context["tickets"]] == [ticket.pk]
    declined = api(world.user("submitter_x")).post(f"/api/v1/complaints/{ticket.pk}/decline/", {"note": "无过失"})
    assert declined.status_code == 409  # a supervised ticket is answered, not declined
    r = api(world.user("submitter_x")).post(
        f"/api/v1/complaints/{ticket.pk}/reply/", {"opinion": "已处理", "note": "首次来电即答复"}, format="json"
    )
    assert r.status_code == 200
    sup = Supervision.objects.get(complaint=ticket)
    assert sup.status == "answered" and _deadline(ticket, "complaint.supervision").status == "met"
    detail = client_for(regulator).get(f"/complaints/{ticket.pk}/").content.decode()
    assert "一级督办" in detail
