"""What is derived from a record is seen exactly when the record is (STYLE habit 14): deadlines, violations,
notifications, attachments, history pages, digests and dashboard figures of an unforwarded 12398 item stay
with the regulator until the forward, then reach the utility — and the rule is stated once, in complaints."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from complaints import lifecycle
from complaints.models import Complaint
from portal.models import Notification, TrackedDeadline, Violation
from portal.services import deadlines_sweep
from tests.complaints.factories import push, recent

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(world, calendar):
    """An unforwarded 12398 item of county X, supervised (a deadline and a notification naming it) and swept
    past its deadlines (violations and digests)."""
    regulator = world.user("reg_staff_a")
    ticket = push(regulator, channel="12398", external_id="12398-DV-1", received_at=recent(1))
    lifecycle.complaint_accept(ticket=ticket, acting_user=regulator)
    lifecycle.complaint_supervise(
        ticket=ticket, acting_user=regulator, note="HIDDEN-NOTE", due=timezone.now() + timedelta(hours=1)
    )
    return ticket


def _derived(model, ticket):
    return model.objects.filter(content_type=ContentType.objects.get_for_model(Complaint), object_id=ticket.pk)


def _legacy_notification(world, item) -> Notification:
    """A notification naming the item, addressed to county X (as one sent before `notify` checked)."""
    ct = ContentType.objects.get_for_model(Complaint)
    return Notification.objects.create(
        organisation=world.county_x, key="legacy", subject="s", content_type=ct, object_id=item.pk
    )


@pytest.mark.parametrize("model", [TrackedDeadline, Violation, Notification])
def test_records_of_an_unforwarded_item_reach_the_utility_with_the_forward(world, item, model):
    deadlines_sweep(now=timezone.now() + timedelta(hours=2))
    _legacy_notification(world, item)
    assert _derived(model, item).exists()
    for role in ("manager_x", "submitter_x", "system_x"):
        assert not model.objects.visible_to(world.user(role)).filter(object_id=item.pk).exists(), role
    assert model is Notification or model.objects.visible_to(world.user("reg_staff_a")).filter(object_id=item.pk)
    lifecycle.complaint_forward(ticket=item, acting_user=world.user("reg_staff_a"))
    assert model.objects.visible_to(world.user("submitter_x")).filter(object_id=item.pk).exists()
    assert not model.objects.visible_to(world.user("manager_y")).filter(object_id=item.pk).exists()


def test_no_notification_or_mail_names_an_item_to_an_organisation_that_may_not_see_it(
    world, calendar, django_capture_on_commit_callbacks, mailoutbox
):
    from portal.models import User

    User.objects.filter(username="submitter_x").update(email="x@example.org")  # county X's reader
    regulator = world.user("reg_staff_a")
    with django_capture_on_commit_callbacks(execute=True):
        ticket = push(regulator, channel="12398", external_id="12398-DV-N", received_at=recent(1))
        lifecycle.complaint_supervise(
            ticket=ticket, acting_user=regulator, note="HIDDEN-NOTE", due=timezone.now() + timedelta(hours=1)
        )
    assert not _derived(Notification, ticket).exists()
    assert not any("HIDDEN-NOTE" in m.body or "12398-DV-N" in m.subject for m in mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.complaint_forward(ticket=ticket, acting_user=regulator)
    assert any("12398-DV-N" in m.subject for m in mailoutbox)  # the mail path works, once it may
    note = Notification.objects.get(organisation=world.county_x, key=f"complaint-forward:{ticket.pk}")
    assert Notification.objects.visible_to(world.user("submitter_x")).filter(pk=note.pk).exists()


def test_pages_and_api_of_the_derived_records_answer_404(world, item, client_for, api):
    deadlines_sweep(now=timezone.now() + timedelta(hours=2))
    deadline = _derived(TrackedDeadline, item).first()
    violation = _derived(Violation, item).first()
    urls = [
        f"/history/portal/trackeddeadline/{deadline.pk}/",
        f"/history/portal/violation/{violation.pk}/",
        f"/api/v1/deadlines/{deadline.pk}/",
        f"/api/v1/violations/{violation.pk}/",
    ]
    for url in urls:
        client = api(world.user("manager_x")) if url.startswith("/api/") else client_for(world.user("manager_x"))
        assert client.get(url).status_code == 404, url
        regulator = api(world.user("reg_staff_a")) if url.startswith("/api/") else client_for(world.user("reg_staff_a"))
        assert regulator.get(url).status_code == 200, url
    listed = api(world.user("manager_x")).get("/api/v1/violations/").json()["results"]
    assert all(v["object_id"] != item.pk for v in listed)
    page = client_for(world.user("manager_x")).get("/violations/").content.decode()
    assert f"/complaints/{item.pk}/" not in page


def test_the_utility_digest_neither_counts_nor_names_an_unforwarded_item(world, item):
    """Decision: the sweep marks the item's deadlines overdue and the regulators get them in their digest;
    the utility's digest leaves them out (and a digest with nothing else is not sent)."""
    visible = push(world.user("system_x"), external_id="95598-DV-2", received_at=recent(0.1))
    lifecycle.complaint_supervise(
        ticket=visible,
        acting_user=world.user("reg_staff_a"),
        note="VISIBLE-NOTE",
        due=timezone.now() + timedelta(hours=1),
    )
    deadlines_sweep(now=timezone.now() + timedelta(hours=2))
    digest = Notification.objects.get(organisation=world.county_x, key__startswith="overdue:")
    assert "HIDDEN-NOTE" not in digest.body and "VISIBLE-NOTE" in digest.body
    hidden_n = _derived(TrackedDeadline, item).filter(status="overdue").count()
    visible_n = _derived(TrackedDeadline, visible).filter(status="overdue").count()
    assert hidden_n and digest.subject.startswith(f"{visible_n} ")
    office = Notification.objects.get(organisation=world.office_a, key__startswith="overdue:")
    assert "HIDDEN-NOTE" in office.body and office.subject.startswith(f"{hidden_n + visible_n} ")


def test_no_digest_to_the_utility_when_all_it_would_name_is_hidden(world, item):
    deadlines_sweep(now=timezone.now() + timedelta(hours=2))
    assert not Notification.objects.filter(organisation=world.county_x, key__startswith="overdue:").exists()
    assert Notification.objects.filter(organisation=world.office_a, key__startswith="overdue:").exists()


def test_dashboard_figures_leave_the_unforwarded_item_out(world, item, client_for):
    from reporting.dashboard import Filters, complaints_by_channel
    from reporting.services import complaint_stats_refresh

    complaint_stats_refresh()

    def hotline_count(role):
        data = complaints_by_channel(world.user(role), Filters())
        return data["series"][0]["data"][[str(c) for c in data["categories"]].index(str(item.get_channel_display()))]

    assert hotline_count("reg_staff_a") == 1
    assert hotline_count("manager_x") == 0
    lifecycle.complaint_forward(ticket=item, acting_user=world.user("reg_staff_a"))
    complaint_stats_refresh()
    assert hotline_count("manager_x") == 1


def test_the_12398_rule_is_stated_only_by_the_complaints_app():
    """No other app restates it (reporting used to keep a copy): they ask `ComplaintQuerySet`."""
    root = Path(__file__).resolve().parents[2]
    rule = re.compile(r"HOTLINE_12398[^\n]*forwarded_at__isnull|forwarded_at__isnull[^\n]*HOTLINE_12398")
    offenders = [
        str(path.relative_to(root))
        for app in ("portal", "campaigns", "outages", "reporting")
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts and rule.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
