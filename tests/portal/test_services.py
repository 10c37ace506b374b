"""Tracked deadlines and the sweep that enforces them: once per rule, catching up after downtime."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from portal.choices import DeadlineStatus, Disposition
from portal.models import Notification, Rule, TrackedDeadline, Violation
from portal.services import deadline_meet, deadline_reopen, deadline_track, deadlines_sweep, violation_dispose
from portal.tasks import send_notification_digests

SH = ZoneInfo("Asia/Shanghai")


def track(world, code="complaint.reply", start=datetime(2026, 9, 30, 14, tzinfo=SH), subject=None):
    subject = subject or world.county_x
    return deadline_track(subject=subject, utility=world.county_x, rule=Rule.objects.get(code=code), start=start)


@pytest.mark.django_db(transaction=True)
def test_sweep_marks_overdue_once_and_records_one_violation(world, calendar):
    d = track(world)
    before_due = datetime(2026, 10, 15, 23, 59, tzinfo=SH)
    assert deadlines_sweep(now=before_due)["overdue"] == 0
    after_due = datetime(2026, 10, 16, 0, 0, 1, tzinfo=SH)
    first = deadlines_sweep(now=after_due)
    assert first["overdue"] == 1 and first["violations"] == 1
    again = deadlines_sweep(now=after_due + timedelta(minutes=1))
    assert again["overdue"] == 0
    violation = Violation.objects.get(deadline=d)
    d.refresh_from_db()
    assert d.status == DeadlineStatus.OVERDUE
    # What the register shows: when it happened, by how much, under which rule, awaiting a decision.
    assert violation.occurred_at == d.due
    assert violation.shortfall_seconds == 1  # 23:59:59.999999 → 00:00:01, rounded to the second
    assert (violation.code, violation.rule_id, violation.utility_id) == (d.code, d.rule_id, d.utility_id)
    assert violation.subject == d.subject
    assert violation.disposition == Disposition.PENDING and violation.created_at is not None


@pytest.mark.django_db(transaction=True)
def test_sweep_after_downtime_catches_up(world, calendar):
    """The broker was down for a week: the first sweep after it finds every crossing."""
    for i, code in enumerate(["complaint.contact", "complaint.reply", "complaint.reply.statutory"]):
        track(world, code=code, subject=[world.county_x, world.city_x, world.company_x][i])
    counts = deadlines_sweep(now=datetime(2026, 11, 30, tzinfo=SH))
    assert counts["overdue"] == 3
    assert Violation.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_overdue_notifies_utility_and_supervising_regulators_once(world, calendar):
    track(world)
    now = datetime(2026, 10, 16, 9, tzinfo=SH)
    deadlines_sweep(now=now)
    deadlines_sweep(now=now)
    recipients = set(
        Notification.objects.filter(key__startswith="overdue:").values_list("organisation__code", flat=True)
    )
    assert recipients == {"T-X-C-K", "T-REG-A", "T-NEA"}
    assert "T-REG-B" not in recipients
    assert Notification.objects.filter(key__startswith="overdue:").count() == 3
    send_notification_digests()  # the sweep's deadlines are e-mailed as one digest per organisation
    assert any("submitter_x@example.org" in m.to for m in mail.outbox)


@pytest.mark.django_db(transaction=True)
def test_reminder_at_eighty_percent(world, calendar):
    d = track(world)
    assert d.start < d.remind_at < d.due
    counts = deadlines_sweep(now=d.remind_at + timedelta(seconds=1))
    assert counts["reminded"] == 1 and counts["overdue"] == 0
    assert deadlines_sweep(now=d.remind_at + timedelta(seconds=2))["reminded"] == 0


@pytest.mark.django_db
def test_met_exactly_at_due_is_on_time_and_a_microsecond_later_is_late(world, calendar):
    d = track(world)
    deadline_meet(subject=world.county_x, codes=["complaint.reply"], at=d.due)
    d.refresh_from_db()
    assert d.status == DeadlineStatus.MET
    deadline_reopen(subject=world.county_x, codes=["complaint.reply"])
    deadline_meet(subject=world.county_x, codes=["complaint.reply"], at=d.due + timedelta(microseconds=1))
    d.refresh_from_db()
    assert d.status == DeadlineStatus.MET_LATE


@pytest.mark.django_db
def test_recomputing_keeps_one_row_per_rule(world, calendar):
    track(world)
    track(world, start=datetime(2026, 10, 8, 9, tzinfo=SH))
    rows = TrackedDeadline.objects.filter(code="complaint.reply")
    assert rows.count() == 1
    assert rows.get().due.astimezone(SH).date().isoformat() == "2026-10-16"  # 10-10 (Saturday) is a working day


@pytest.mark.django_db(transaction=True)
def test_only_regulators_dispose_and_excuse_needs_a_reason(world, calendar):
    from django.core.exceptions import ValidationError

    track(world)
    deadlines_sweep(now=datetime(2026, 10, 20, tzinfo=SH))
    v = Violation.objects.get()
    with pytest.raises(ValidationError):
        violation_dispose(
            violation=v, disposition=Disposition.CONFIRMED, reason="", acting_user=world.user("manager_x")
        )
    with pytest.raises(ValidationError):
        violation_dispose(
            violation=v, disposition=Disposition.EXCUSED, reason=" ", acting_user=world.user("reg_staff_a")
        )
    violation_dispose(
        violation=v,
        disposition=Disposition.EXCUSED,
        reason="台风停电，客户无法联系",
        acting_user=world.user("reg_staff_a"),
    )
    v.refresh_from_db()
    assert v.disposition == Disposition.EXCUSED
    assert v.history.first().history_user == world.user("reg_staff_a")


@pytest.mark.django_db(transaction=True)
def test_violation_api_dispose_permissions(world, calendar, api):
    track(world)
    deadlines_sweep(now=datetime(2026, 10, 20, tzinfo=SH))
    v = Violation.objects.get()
    url = f"/api/v1/violations/{v.pk}/dispose/"
    assert api(world.user("manager_x")).post(url, {"disposition": "confirmed"}).status_code == 403
    assert api(world.user("reg_staff_b")).post(url, {"disposition": "confirmed"}).status_code == 404
    r = api(world.user("reg_staff_a")).post(url, {"disposition": "confirmed"})
    assert r.status_code == 200 and r.json()["disposition"] == "confirmed"
