"""REST intake, bad input, permissions, bulk, filters and the lifecycle verbs over HTTP."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints.models import Complaint, ComplaintEvent
from portal.models import TrackedDeadline
from portal.services import deadlines_sweep
from tests.complaints.factories import push, recent, ticket_data

pytestmark = pytest.mark.django_db
URL = "/api/v1/complaints/"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"channel": "96789"}, "channel"),
        ({"utility": "NOPE"}, "utility"),
        ({"utility": "T-REG-A"}, "utility"),  # a regulator office is not a utility
        ({"category": "天气"}, "category"),
        ({"kind": 7}, "kind"),
        ({"content": ""}, "content"),
        ({"external_id": None}, "external_id"),
        ({"received_at": "next tuesday"}, "received_at"),
        ({"received_at": "2099-01-01T00:00:00+08:00"}, "received_at"),
        ({"received_at": "1999-01-01T00:00:00+08:00"}, "received_at"),
        ({"accepted_at": "2026-09-29T00:00:00+08:00"}, "accepted_at"),  # before receipt
        ({"customer_phone": "12345"}, "customer_phone"),
        ({"customer_phone": "call me"}, "customer_phone"),
        ({"content": "x\x00y"}, "content"),
        ({"region": "区" * 61}, "region"),
    ],
)
def test_bad_input_is_400_with_field_messages_and_nothing_stored(world, calendar, api, override, field):
    response = api(world.user("system_x")).post(URL, ticket_data(**override), format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["errors"], body
    assert body["errors"][field][0]
    assert Complaint.objects.count() == 0
    assert TrackedDeadline.objects.count() == 0


def test_missing_fields_are_listed(world, api):
    response = api(world.user("system_x")).post(URL, {}, format="json")
    assert response.status_code == 400
    assert {"channel", "kind", "external_id", "received_at", "utility", "category", "content"} <= set(
        response.json()["errors"]
    )
    assert api(world.user("system_x")).post(URL, [1, 2], format="json").status_code == 400


def test_chinese_words_are_accepted_for_kind_and_category(world, calendar, api):
    response = api(world.user("system_x")).post(
        URL, ticket_data(kind="投诉", category="电费电价", customer_phone="0538-8201234"), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "complaint"
    assert response.json()["category"] == "billing"
    assert response.json()["customer_phone"] == "05388201234"


def test_utility_account_writing_another_utilitys_ticket_is_403(world, calendar, api):
    response = api(world.user("manager_y")).post(URL, ticket_data(), format="json")
    assert response.status_code == 403
    assert api(world.user("submitter_x")).post(URL, ticket_data(utility="T-X-C"), format="json").status_code == 403
    # A utility cannot push 12398 items; the regulator outside its jurisdiction cannot either.
    assert api(world.user("system_x")).post(URL, ticket_data(channel="12398"), format="json").status_code == 403
    assert api(world.user("reg_staff_b")).post(URL, ticket_data(channel="12398"), format="json").status_code == 403
    assert api(world.user("reg_staff_a")).post(URL, ticket_data(channel="12398"), format="json").status_code == 201
    assert api(None).post(URL, ticket_data(), format="json").status_code == 401
    assert Complaint.objects.count() == 1


def test_bulk_answers_per_item_and_keeps_the_good_ones(world, calendar, api):
    client = api(world.user("system_x"))
    push(world.user("system_x"), external_id="OLD-1")
    items = [
        ticket_data(external_id="N-1"),
        ticket_data(external_id="N-2", category="unknown"),
        ticket_data(external_id="OLD-1"),  # identical retry
        ticket_data(external_id="OLD-1", channel="95598", content="不同内容"),  # conflicting
        ticket_data(external_id="N-3", utility="T-Y"),  # another utility: 403
        ticket_data(external_id="N-1"),  # same item twice in the batch
        "not an object",
    ]
    response = client.post(URL + "bulk/", {"items": items}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [r["result"] for r in body["results"]] == [
        "created",
        "error",
        "unchanged",
        "error",
        "error",
        "unchanged",
        "error",
    ]
    assert [r["status"] for r in body["results"]] == [201, 400, 200, 409, 403, 200, 400]
    assert body["results"][5]["id"] == body["results"][0]["id"]
    assert "category" in body["results"][1]["errors"]
    assert body["counts"] == {"created": 1, "unchanged": 2, "updated": 0, "error": 4}
    assert set(Complaint.objects.values_list("external_id", flat=True)) == {"OLD-1", "N-1"}
    # With update, the conflicting item updates its ticket.
    updated = client.post(URL + "bulk/", {"items": [items[3]], "update": True}, format="json").json()
    assert updated["results"][0]["result"] == "updated"
    assert Complaint.objects.get(external_id="OLD-1").content == "不同内容"


def test_bulk_limits(world, api):
    client = api(world.user("system_x"))
    assert client.post(URL + "bulk/", {"items": []}, format="json").status_code == 400
    too_many = [ticket_data(external_id=str(i)) for i in range(1001)]
    assert client.post(URL + "bulk/", {"items": too_many}, format="json").status_code == 400
    assert client.post(URL + "bulk/", "nonsense", format="json").status_code == 400


def test_list_filters_and_scoping(world, calendar, api, django_assert_max_num_queries):
    sx = world.user("system_x")
    push(sx, external_id="A", category="billing", received_at=recent(0.03))
    push(sx, external_id="B", kind="inquiry", received_at=recent(0.04), content="咨询峰谷电价政策")
    push(world.user("manager_y"), external_id="C", utility="T-Y", received_at=recent(0.01))
    hotline = push(world.user("reg_staff_a"), channel="12398", external_id="H", received_at=recent(0.01))
    reg = api(world.user("reg_staff_a"))

    def ids(query, client=reg):
        response = client.get(URL + query)
        assert response.status_code == 200, response.content
        return {r["external_id"] for r in response.json()["results"]}

    assert ids("") == {"A", "B", "C", "H"}
    assert ids("?utility=T-X") == {"A", "B", "H"}  # subtree
    assert ids("?utility=T-X-C-K&category=billing") == {"A"}
    assert ids("?kind=inquiry") == {"B"}
    assert ids("?channel=12398") == {"H"}
    assert ids("?q=峰谷电价") == {"B"}
    assert ids("?q=A") == {"A"}  # exact external id
    assert ids("?received_after=" + recent(0.02).replace("+", "%2B")) == {"C", "H"}
    assert ids("?deadline_state=none") == {"B"}
    assert ids("?deadline_state=on_time") == {"A", "C", "H"}
    assert ids("?overdue=false") == {"A", "B", "C", "H"}
    # Utilities: their subtree, and a 12398 item only after the forward.
    assert ids("", api(world.user("manager_x"))) == {"A", "B"}
    assert ids("", api(world.user("manager_y"))) == {"C"}
    assert ids("", api(world.user("reg_staff_b"))) == set()
    reg.post(f"{URL}{hotline.pk}/forward/", {"note": "转办"}, format="json")
    assert ids("", api(world.user("manager_x"))) == {"A", "B", "H"}
    with django_assert_max_num_queries(8):
        reg.get(URL + "?utility=T-X&overdue=false&category=outage")


@pytest.mark.parametrize(
    "query",
    [
        "?received_after=0001-01-01T00:00:00%2B14:00",
        "?received_before=9999-12-31T23:59:59-14:00",
        "?received_after=2026-13-45",
        "?utility=%00",
        "?q=%00abc",
        "?case=99999999999999999999",
        "?deadline_state=bogus",
        "?overdue=maybe",
        "?cursor=bad",
    ],
)
def test_odd_filters_never_fail(world, api, query):
    response = api(world.user("reg_staff_a")).get(URL + query)
    assert response.status_code in (200, 400, 404), response.content


def test_deadline_states_follow_the_clock(world, calendar, api):
    ticket = push(world.user("system_x"))  # 2026-09-30: long past
    reg = api(world.user("reg_staff_a"))
    assert [r["id"] for r in reg.get(URL + "?deadline_state=overdue").json()["results"]] == [ticket.pk]
    deadlines_sweep()
    assert [r["id"] for r in reg.get(URL + "?statutory_breach=true").json()["results"]] == [ticket.pk]
    soon = push(world.user("system_x"), external_id="S", received_at=recent(0))
    TrackedDeadline.objects.filter(object_id=soon.pk).update(at_risk_at=timezone.now() - timedelta(minutes=1))
    Complaint.objects.filter(pk=soon.pk).update(next_warn_at=timezone.now() - timedelta(minutes=1))
    assert [r["id"] for r in reg.get(URL + "?deadline_state=at_risk").json()["results"]] == [soon.pk]


def test_lifecycle_over_the_api(world, calendar, api):
    ticket = push(world.user("system_x"), received_at=recent(1))
    util = api(world.user("submitter_x"))
    base = f"{URL}{ticket.pk}/"
    refused = util.post(base + "close/", {}, format="json")
    assert refused.status_code == 409  # not replied yet: the ticket's state refuses, whatever the body
    assert "status" in refused.json()["errors"]
    assert util.post(base + "contact/", {"note": "电话联系客户"}, format="json").status_code == 200
    bad = util.post(base + "reply/", {}, format="json")
    assert bad.status_code == 400 and "opinion" in bad.json()["errors"]
    body = util.post(base + "reply/", {"opinion": "已调整变压器分接头"}, format="json").json()
    assert body["status"] == "replied"
    states = {d["rule"]: d["state"] for d in body["deadlines"]}
    assert states["complaint.contact"] == "met" and states["complaint.reply"] == "met"
    assert util.post(base + "visit/", {"satisfaction": "nope"}, format="json").status_code == 400
    assert util.post(base + "visit/", {"satisfaction": "satisfied"}, format="json").status_code == 200
    assert util.post(base + "close/", {}, format="json").json()["status"] == "closed"
    assert util.post(base + "reopen/", {}, format="json").status_code == 400  # a reason is required
    assert util.post(base + "reopen/", {"note": "客户再次来电"}, format="json").json()["status"] == "reopened"
    # Others: the regulator cannot handle a 95598 ticket; another utility does not see it.
    assert api(world.user("reg_staff_a")).post(base + "contact/", {}, format="json").status_code == 403
    assert api(world.user("manager_y")).post(base + "contact/", {}, format="json").status_code == 404
    assert (
        api(world.user("submitter_x"))
        .post(base + "supervise/", {"note": "x", "due": "2030-01-01T00:00:00+08:00"}, format="json")
        .status_code
        == 403
    )
    sup = api(world.user("reg_staff_a")).post(
        base + "supervise/",
        {"note": "请三日内办结", "due": (timezone.now() + timedelta(days=3)).isoformat()},
        format="json",
    )
    assert sup.status_code == 200 and sup.json()["supervised_at"]
    assert ComplaintEvent.objects.filter(complaint=ticket).count() == 6


def test_link_over_the_api(world, calendar, api):
    a = push(world.user("system_x"), received_at=recent(1))
    b = push(world.user("reg_staff_a"), channel="12345", external_id="X", received_at=recent(1))
    c = push(world.user("manager_y"), utility="T-Y", external_id="Y", received_at=recent(1))
    reg = api(world.user("reg_staff_a"))
    body = reg.post(f"{URL}{a.pk}/link/", {"other": b.pk, "note": "同一诉求"}, format="json").json()
    assert body["linked"] == [b.pk] and body["case"]
    assert api(world.user("manager_x")).post(f"{URL}{a.pk}/link/", {"other": c.pk}, format="json").status_code == 404
    assert reg.post(f"{URL}{a.pk}/link/", {"other": a.pk}, format="json").status_code == 400


def test_attachments_are_checked(world, calendar, api, settings):
    ticket = push(world.user("system_x"), received_at=recent(1))
    client = api(world.user("submitter_x"))
    url = f"{URL}{ticket.pk}/attachments/"
    ok = client.post(url, {"file": SimpleUploadedFile("回复.pdf", b"%PDF-1.4\n%%EOF\n")}, format="multipart")
    assert ok.status_code == 200, ok.content
    wrong = client.post(url, {"file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")}, format="multipart")
    assert wrong.status_code == 400 and "file" in wrong.json()["errors"]
    settings.UPLOAD_MAX_BYTES = 10
    big = client.post(url, {"file": SimpleUploadedFile("b.pdf", b"%PDF-1.4\n" + b"0" * 100)}, format="multipart")
    assert big.status_code == 400 and "file" in big.json()["errors"]
    assert client.post(url, {}, format="multipart").status_code == 400


def test_a_second_upload_of_the_same_file_says_already_attached(world, calendar, api, client_for):
    ticket = push(world.user("system_x"), received_at=recent(1))
    client = api(world.user("submitter_x"))
    url = f"{URL}{ticket.pk}/attachments/"
    pdf = b"%PDF-1.4\n%%EOF\n"
    first = client.post(url, {"file": SimpleUploadedFile("回复.pdf", pdf), "description": "回复函"}, format="multipart")
    assert first.status_code == 200, first.content
    again = client.post(
        url, {"file": SimpleUploadedFile("回复函-盖章.pdf", pdf), "description": "盖章版"}, format="multipart"
    )
    assert again.status_code == 400, again.content
    assert "回复.pdf" in again.json()["errors"]["file"][0]  # names the file it already has
    page = client_for(world.user("submitter_x")).post(
        f"/complaints/{ticket.pk}/attachments/", {"file": SimpleUploadedFile("x.pdf", pdf)}, follow=True
    )
    assert "回复.pdf" in page.content.decode()  # the page says so too (message)


def test_personal_data_masked_in_the_api(world, calendar, api):
    ticket = push(world.user("system_x"), received_at=recent(1))
    reg = api(world.user("reg_staff_a")).get(f"{URL}{ticket.pk}/").json()
    assert reg["customer_phone"] == "138****1234" and reg["customer_name"] == "张**"
    util = api(world.user("submitter_x")).get(f"{URL}{ticket.pk}/").json()
    assert util["customer_phone"] == "13805381234"


def test_linked_ids_in_the_api_are_only_those_the_user_may_see(world, calendar, api):
    from complaints.services import complaint_link

    mine = push(world.user("system_x"), external_id="95598-L-1", received_at=recent(0.1))
    theirs = push(world.user("operator"), external_id="95598-L-2", utility="T-Y", received_at=recent(0.1))
    complaint_link(ticket=mine, other=theirs, acting_user=world.user("reg_staff_a"))
    assert api(world.user("reg_staff_a")).get(f"/api/v1/complaints/{mine.pk}/").json()["linked"] == [theirs.pk]
    assert api(world.user("manager_x")).get(f"/api/v1/complaints/{mine.pk}/").json()["linked"] == []
    listed = api(world.user("manager_x")).get("/api/v1/complaints/").json()["results"]
    assert [t["linked"] for t in listed if t["id"] == mine.pk] == [[]]


@pytest.mark.parametrize("update", [False, True])
def test_an_external_id_taken_outside_the_scope_is_refused_without_naming_the_ticket(world, calendar, api, update):
    """Company B (another province) holds 95598 ticket E-1; company X's system reusing that id learns
    neither its id nor its content, and cannot update it."""
    theirs = push(world.user("manager_b"), external_id="E-1", utility="T-B", content="河南的投诉")
    client = api(world.user("system_x"))
    body = {"items": [ticket_data(external_id="E-1", content="山东的投诉")], "update": update}
    response = client.post(URL + "bulk/", body, format="json")
    assert response.status_code == 200, response.content
    item = response.json()["results"][0]
    assert item["result"] == "error" and item["status"] == 409 and item["id"] is None, item
    assert "河南" not in response.content.decode()
    single = client.post(URL, ticket_data(external_id="E-1", content="山东的投诉"), format="json")
    assert single.status_code == 409 and set(single.json()) == {"detail", "errors"}, single.json()
    theirs.refresh_from_db()
    assert theirs.content == "河南的投诉" and theirs.utility == world.company_b
