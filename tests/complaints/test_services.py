"""The lifecycle as events, deadlines met and missed, supervision, links, masking, the sweep."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from complaints import lifecycle, selectors, services
from complaints.choices import Action, Status
from complaints.models import Complaint, ComplaintEvent
from portal.choices import DeadlineStatus
from portal.models import Notification, TrackedDeadline, Violation
from portal.services import deadlines_sweep
from portal.tasks import send_notification_digests
from tests.complaints.factories import push, recent, ticket_data

pytestmark = pytest.mark.django_db


def deadline(ticket, code):
    return TrackedDeadline.objects.get(object_id=ticket.pk, content_type__model="complaint", code=code)


def test_intake_tracks_every_rule_in_force_for_channel_and_kind(world, calendar):
    ticket = push(world.user("system_x"))
    codes = set(TrackedDeadline.objects.for_object(ticket).values_list("code", flat=True))
    # Province 37 adds its 95598 rules; the 12398 rule does not apply to a 95598 ticket.
    assert codes == {
        "complaint.contact",
        "complaint.reply",
        "complaint.reply.statutory",
        "complaint.contact.provincial",
        "complaint.reply.provincial",
    }
    inquiry = push(world.user("system_x"), external_id="Q-1", kind="inquiry")
    assert not TrackedDeadline.objects.for_object(inquiry).exists()
    assert inquiry.has_deadlines is False
    report = push(world.user("system_x"), external_id="R-1", kind="report")
    # A 95598 report (举报) in Shandong: the statutory reply and the province's 9 working days.
    assert set(TrackedDeadline.objects.for_object(report).values_list("code", flat=True)) == {
        "complaint.reply.statutory",
        "complaint.reply.95598.report",
    }
    assert deadline(report, "complaint.reply.95598.report").due < deadline(report, "complaint.reply.statutory").due
    # A utility of another province: only the national rules.
    other = push(world.user("manager_y"), external_id="Y-1", utility="T-Y")
    assert set(TrackedDeadline.objects.for_object(other).values_list("code", flat=True)) == {
        "complaint.contact",
        "complaint.reply",
        "complaint.reply.statutory",
    }


def test_provisional_when_the_calendar_year_is_not_loaded(world, reference_data):
    from portal.models import CalendarYear

    # `migrate` ships every year the library has: take this one (and the next) out again.
    this_year = timezone.localdate().year
    CalendarYear.objects.filter(year__in=[this_year, this_year + 1]).delete()
    ticket = push(world.user("system_x"), received_at=recent(1))
    assert ticket.provisional is True
    assert deadline(ticket, "complaint.reply").provisional is True


def test_full_lifecycle_records_who_and_when(world, calendar):
    user = world.user("submitter_x")
    ticket = push(world.user("system_x"), received_at=recent(2))
    now = timezone.now()
    lifecycle.complaint_accept(ticket=ticket, acting_user=user, at=now - timedelta(days=1, hours=20))
    lifecycle.complaint_contact(ticket=ticket, acting_user=user, at=now - timedelta(days=1))
    lifecycle.complaint_reply(
        ticket=ticket, acting_user=user, opinion="已更换配变，电压恢复正常。", at=now - timedelta(hours=5)
    )
    lifecycle.complaint_visit(ticket=ticket, acting_user=user, satisfaction="satisfied", at=now - timedelta(hours=1))
    ticket = lifecycle.complaint_close(ticket=ticket, acting_user=user)
    assert ticket.status == Status.CLOSED
    actions = list(ComplaintEvent.objects.filter(complaint=ticket).values_list("action", "actor__username"))
    assert [a for a, _u in actions] == ["accepted", "contacted", "replied", "visited", "closed"]
    assert {u for _a, u in actions} == {"submitter_x"}
    assert deadline(ticket, "complaint.contact").status == DeadlineStatus.MET
    assert deadline(ticket, "complaint.reply").status == DeadlineStatus.MET
    ticket.refresh_from_db()
    assert ticket.next_due is None and ticket.overdue is False and ticket.late is False
    # Every change is in the audit history with the acting user.
    history = list(ticket.history.order_by("history_date").values_list("status", "history_user__username"))
    assert history[0] == ("received", "system_x")
    assert history[-1] == ("closed", "submitter_x")
    assert len(history) == 6


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_steps_out_of_order_are_refused_with_a_reason(world, calendar, english):
    user = world.user("submitter_x")
    ticket = push(world.user("system_x"), received_at=recent(1))
    with pytest.raises(ValidationError) as exc:
        lifecycle.complaint_close(ticket=ticket, acting_user=user)
    assert "closed only after the reply" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        lifecycle.complaint_reply(ticket=ticket, acting_user=user, opinion="已处理")
    assert "needs a note" in str(exc.value)
    with pytest.raises(ValidationError):
        lifecycle.complaint_visit(ticket=ticket, acting_user=user, satisfaction="satisfied")
    # With a note, reply before contact is allowed and meets the contact deadline too.
    ticket = lifecycle.complaint_reply(ticket=ticket, acting_user=user, opinion="已处理", note="首次通话即答复客户")
    assert ticket.status == Status.REPLIED
    assert deadline(ticket, "complaint.contact").status == DeadlineStatus.MET
    with pytest.raises(ValidationError) as exc:
        lifecycle.complaint_reply(ticket=ticket, acting_user=user, opinion="again")
    assert "cannot be" in str(exc.value)
    assert Complaint.objects.get(pk=ticket.pk).status == Status.REPLIED


def test_instants_in_the_future_or_before_receipt_are_refused(world, calendar):
    user = world.user("submitter_x")
    ticket = push(world.user("system_x"), received_at=recent(1))
    with pytest.raises(ValidationError):
        lifecycle.complaint_contact(ticket=ticket, acting_user=user, at=timezone.now() + timedelta(hours=2))
    with pytest.raises(ValidationError):
        lifecycle.complaint_contact(ticket=ticket, acting_user=user, at=timezone.now() - timedelta(days=3))
    assert ComplaintEvent.objects.count() == 0


def test_reopen_and_appeal_count_again(world, calendar):
    user = world.user("submitter_x")
    ticket = push(world.user("system_x"), received_at=recent(1))
    lifecycle.complaint_contact(ticket=ticket, acting_user=user)
    lifecycle.complaint_reply(ticket=ticket, acting_user=user, opinion="已处理")
    lifecycle.complaint_close(ticket=ticket, acting_user=user)
    ticket = lifecycle.complaint_appeal(ticket=ticket, acting_user=world.user("manager_x"), note="客户不认可处理结果")
    assert ticket.status == Status.APPEALED and ticket.appeal_count == 1
    assert deadline(ticket, "complaint.reply").status == DeadlineStatus.OPEN
    assert deadline(ticket, "complaint.contact").status == DeadlineStatus.MET
    ticket = lifecycle.complaint_reply(ticket=ticket, acting_user=user, opinion="复核后退费")
    lifecycle.complaint_close(ticket=ticket, acting_user=user)
    ticket = lifecycle.complaint_reopen(ticket=ticket, acting_user=user, note="重新核实")
    assert ticket.status == Status.REOPENED and ticket.reopen_count == 1 and ticket.closed_at is None
    with pytest.raises(ValidationError):
        lifecycle.complaint_reopen(ticket=ticket, acting_user=user, note="")


def test_12398_forward_and_follow_to_the_end(world, calendar):
    regulator = world.user("reg_staff_a")
    ticket = push(regulator, channel="12398", external_id="12398-0001", received_at=recent(1))
    # Not visible to the utility before the forward, and the utility cannot handle it.
    assert not Complaint.objects.visible_to(world.user("submitter_x")).filter(pk=ticket.pk).exists()
    with pytest.raises(PermissionDenied):
        lifecycle.complaint_contact(ticket=ticket, acting_user=world.user("submitter_x"))
    with pytest.raises(PermissionDenied):
        lifecycle.complaint_forward(ticket=ticket, acting_user=world.user("manager_x"))
    ticket = lifecycle.complaint_forward(ticket=ticket, acting_user=regulator, note="请核实处理")
    assert ticket.status == Status.FORWARDED and ticket.forwarded_by == world.office_a
    assert deadline(ticket, "complaint.reply.12398").start == ticket.forwarded_at
    assert Notification.objects.filter(organisation=world.county_x, key=f"complaint-forward:{ticket.pk}").exists()
    assert Complaint.objects.visible_to(world.user("submitter_x")).filter(pk=ticket.pk).exists()
    lifecycle.complaint_contact(ticket=ticket, acting_user=world.user("submitter_x"))
    with pytest.raises(PermissionDenied):
        lifecycle.complaint_reply(ticket=ticket, acting_user=regulator, opinion="x")
    lifecycle.complaint_reply(ticket=ticket, acting_user=world.user("submitter_x"), opinion="已处理")
    # The regulator sees the utility's handling and does the return visit on its own hotline's item.
    ticket = lifecycle.complaint_visit(ticket=ticket, acting_user=regulator, satisfaction="basically")
    assert ticket.satisfaction == "basically"
    with pytest.raises(ValidationError):
        lifecycle.complaint_forward(ticket=push(world.user("system_x"), external_id="N"), acting_user=regulator)


def test_where_a_clock_starts_is_the_rules_data_not_its_id(world, calendar):
    """A province adds its own 12398 rule under an id of its choosing: it counts from the forward because
    the catalogue says so (`params.counts_from`), not because its id contains ".12398"."""
    from portal.models import Rule

    Rule.objects.create(
        code="complaint.reply.js-hotline",
        title="热线转办事项办结（省内规定）",
        value=8,
        unit="working_days",
        source_class="commitment",
        effective_from="2020-01-01",
        jurisdiction=world.province_x,
        source="省内实践",
        applies_to={"channel": ["12398"]},
        params={"counts_from": "forward"},
    )
    regulator = world.user("reg_staff_a")
    ticket = push(regulator, channel="12398", external_id="12398-0002", received_at=recent(2))
    assert not TrackedDeadline.objects.for_object(ticket).filter(code="complaint.reply.js-hotline").exists()
    ticket = lifecycle.complaint_forward(ticket=ticket, acting_user=regulator, note="请核实处理")
    assert deadline(ticket, "complaint.reply.js-hotline").start == ticket.forwarded_at
    # And the statutory reply counts from receipt, as its catalogue entry says.
    assert deadline(ticket, "complaint.reply.statutory").start == ticket.received_at


def test_supervision_sets_an_internal_deadline_swept_like_any_other(world, calendar):
    regulator = world.user("reg_staff_a")
    ticket = push(world.user("system_x"), received_at=recent(0.1))
    with pytest.raises(PermissionDenied):
        lifecycle.complaint_supervise(
            ticket=ticket, acting_user=world.user("manager_x"), note="x", due=timezone.now() + timedelta(days=1)
        )
    with pytest.raises(ValidationError):
        lifecycle.complaint_supervise(ticket=ticket, acting_user=regulator, note="督办", due=timezone.now())
    due = timezone.now() + timedelta(hours=2)
    ticket = lifecycle.complaint_supervise(ticket=ticket, acting_user=regulator, note="请加快处理", due=due)
    assert ticket.supervised_at is not None and ticket.next_due == due
    row = deadline(ticket, "complaint.supervision")
    assert row.source_class == "regulator_rule" and row.due == due
    later = due + timedelta(seconds=1)
    deadlines_sweep(now=later)
    assert Complaint.objects.overdue(now=later).filter(pk=ticket.pk).exists()
    assert Complaint.objects.statutory_breach(now=later).filter(pk=ticket.pk).exists()
    assert Violation.objects.filter(object_id=ticket.pk, code="complaint.supervision").count() == 1
    assert ComplaintEvent.objects.filter(complaint=ticket, action=Action.SUPERVISED).count() == 1
    # The overdue level is escalated by the sweep (三级督办): the second level runs on its own clock.
    ticket.refresh_from_db()
    assert ticket.supervision_level == 2
    assert deadline(ticket, "complaint.supervision.2").start == later


def test_sweep_separates_statutory_from_commitment_and_catches_up(world, calendar):
    ticket = push(world.user("system_x"))  # 2026-09-30: every deadline long past
    # The broker was down for weeks: one sweep now catches up on everything.
    counts = deadlines_sweep()
    assert counts["overdue"] == 5
    ticket.refresh_from_db()
    assert ticket.overdue_now and ticket.late_now and ticket.statutory_breach_now
    by_class = dict(Violation.objects.filter(object_id=ticket.pk).values_list("code", "source_class"))
    assert by_class["complaint.reply.statutory"] == "regulator_rule"
    assert by_class["complaint.reply"] == "commitment"
    assert deadlines_sweep()["overdue"] == 0
    assert Violation.objects.filter(object_id=ticket.pk).count() == 5
    # Met late afterwards: no longer overdue, still late.
    user = world.user("submitter_x")
    lifecycle.complaint_contact(ticket=ticket, acting_user=user)
    ticket = lifecycle.complaint_reply(ticket=ticket, acting_user=user, opinion="已处理")
    ticket.refresh_from_db()
    assert ticket.overdue_now is False and ticket.late is True and ticket.statutory_breach is True
    assert deadline(ticket, "complaint.reply").status == DeadlineStatus.MET_LATE


def test_commitment_only_breach_is_not_statutory(world, calendar):
    ticket = push(world.user("manager_y"), utility="T-Y", external_id="Y-2")
    from tests.complaints.factories import at

    then = at("2026-10-09 00:00")
    deadlines_sweep(now=then)  # contact (commitment) crossed, statutory still running
    assert Complaint.objects.overdue(now=then).filter(pk=ticket.pk).exists()
    assert not Complaint.objects.statutory_breach(now=then).filter(pk=ticket.pk).exists()
    assert Violation.objects.filter(object_id=ticket.pk, source_class="commitment").exists()
    assert not Violation.objects.filter(object_id=ticket.pk, source_class="regulator_rule").exists()


def test_link_merges_cases_and_duplicates_are_suggested(world, calendar):
    user = world.user("reg_staff_a")
    a = push(world.user("system_x"), received_at=recent(2))
    b = push(user, channel="12345", external_id="12345-9", received_at=recent(1), content="东关村总停电")
    c = push(user, channel="letter", external_id="L-1", received_at=recent(1), customer_phone="13900000000")
    far = push(world.user("system_x"), external_id="far", received_at=recent(30))
    other_category = push(world.user("system_x"), external_id="cat", received_at=recent(1), category="billing")
    candidates = {t.pk for t in selectors.duplicate_candidates(ticket=a, user=user)}
    assert candidates == {b.pk, c.pk}  # same address (c) or phone (b), same category, within 7 days
    assert far.pk not in candidates and other_category.pk not in candidates
    case = services.complaint_link(ticket=a, other=b, acting_user=user, note="同一诉求")
    services.complaint_link(ticket=c, other=far, acting_user=user)
    services.complaint_link(ticket=b, other=c, acting_user=world.user("submitter_x"))
    assert set(Complaint.objects.filter(case=case).values_list("pk", flat=True)) == {a.pk, b.pk, c.pk, far.pk}
    with pytest.raises(ValidationError):
        services.complaint_link(ticket=a, other=far, acting_user=user)
    a.refresh_from_db()
    assert {t.pk for t in selectors.linked_tickets(ticket=a, user=user)} == {b.pk, c.pk, far.pk}
    assert ComplaintEvent.objects.filter(action=Action.LINKED).count() == 6


def test_personal_data_masked_without_a_need_to_see(world, calendar):
    ticket = push(world.user("system_x"))
    for name in ("submitter_x", "manager_x", "system_x"):
        assert selectors.personal(world.user(name), ticket)["customer_phone"] == "13805381234"
    masked = selectors.personal(world.user("reg_staff_a"), ticket)
    assert masked == {"customer_name": "张**", "customer_phone": "138****1234", "address": "汶源县城***"}
    hotline = push(world.user("reg_staff_a"), channel="12398", external_id="12398-7")
    assert selectors.personal(world.user("reg_staff_a"), hotline)["customer_name"] == "张建国"


def test_bulk_intake_is_set_based(world, calendar):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    items = [ticket_data(external_id=f"B-{i:04d}", received_at=recent(1)) for i in range(200)]
    with CaptureQueriesContext(connection) as ctx:
        results = services.complaints_intake(items=items, acting_user=world.user("system_x"))
    reads = [q for q in ctx.captured_queries if not q["sql"].startswith("INSERT")]
    inserts = [q for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
    # No query per item: a fixed number of reads, and inserts in batches (SQLite splits them by its
    # variable limit; PostgreSQL sends one per table).
    assert len(reads) <= 12, [q["sql"][:80] for q in reads]
    assert len(inserts) <= 48  # SQLite splits by its variable limit: more columns (issue 13), more batches
    assert {r.result for r in results} == {"created"}
    assert Complaint.objects.count() == 200
    assert Complaint.history.count() == 200
    assert TrackedDeadline.objects.count() == 1000
    with CaptureQueriesContext(connection) as ctx:
        again = services.complaints_intake(items=items, acting_user=world.user("system_x"))
    assert len(ctx.captured_queries) <= 8
    assert {r.result for r in again} == {"unchanged"}
    assert [r.id for r in again] == [r.id for r in results]


def test_update_recomputes_deadlines(world, calendar):
    ticket = push(world.user("system_x"), received_at=recent(1))
    old_due = deadline(ticket, "complaint.reply").due
    data = ticket_data(received_at=recent(0.2), content="补充：已停电两天")
    result = services.complaints_intake(items=[data], acting_user=world.user("system_x"), update=True)[0]
    assert result.result == "updated"
    assert deadline(ticket, "complaint.reply").due >= old_due
    assert ComplaintEvent.objects.filter(complaint=ticket, action=Action.UPDATED).exists()
    moved = services.complaints_intake(
        items=[ticket_data(utility="T-X-C")], acting_user=world.user("system_x"), update=True
    )[0]
    assert moved.result == "error" and "utility" in moved.errors


@pytest.mark.parametrize("channel", ["95598", "12398", "12345"])
@pytest.mark.parametrize("kind", ["complaint", "report", "inquiry"])
@pytest.mark.parametrize("province", ["37", "13"])
def test_rule_cache_selects_what_rules_in_force_selects(reference_data, channel, kind, province):
    from datetime import date

    from portal.models import Province
    from portal.selectors import rules_in_force

    pid = Province.objects.get(code=province).pk
    for on in (date(2015, 6, 1), date(2026, 10, 1)):
        expected = {
            r.code
            for r in rules_in_force(
                prefix="complaint.", on=on, context={"channel": channel, "kind": kind}, province_id=pid
            )
            # the clocks of 督办 and of appeals start with their step, not at intake
            if not r.code.startswith(("complaint.supervision", "complaint.appeal"))
        }
        got = {r.code for r in services.RuleCache().rules(channel=channel, kind=kind, on=on, province_id=pid)}
        assert got == expected


def test_reminder_at_80_percent_then_overdue_mail_to_utility_and_regulator(
    world, calendar, django_capture_on_commit_callbacks
):
    from django.core import mail

    ticket = push(world.user("system_x"), received_at=recent(0.01))
    reply = deadline(ticket, "complaint.reply")
    span = reply.due - reply.start
    assert reply.remind_at == reply.start + span * 0.8
    with django_capture_on_commit_callbacks(execute=True):
        counts = deadlines_sweep(now=reply.remind_at + timedelta(seconds=1))
    assert counts["reminded"] >= 1
    assert Notification.objects.filter(organisation=world.county_x, key__startswith="reminder:").exists()
    assert deadlines_sweep(now=reply.remind_at + timedelta(seconds=2))["reminded"] == 0  # once
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_sweep(now=reply.due + timedelta(seconds=1))
    assert Notification.objects.filter(organisation=world.office_a, key__startswith="overdue:").exists()
    send_notification_digests()  # issue 20: the sweep's deadlines are e-mailed as a digest per organisation
    recipients = {to for m in mail.outbox for to in m.to}
    assert "submitter_x@example.org" in recipients and "reg_staff_a@example.org" in recipients


def test_a_concurrent_insert_of_the_same_key_is_retried_not_lost(world, calendar, monkeypatch):
    """Between our read of the existing keys and our insert, another push inserts the same key: the
    unique constraint refuses our insert, the batch is read again and nothing is lost or doubled."""
    from tests.complaints.factories import ComplaintFactory

    data = ticket_data(received_at=recent(0.1))
    real = services.insert_records
    calls = []

    def racing(model, records, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            ComplaintFactory(channel="95598", external_id=data["external_id"], utility=world.county_x)
        return real(model, records, **kwargs)

    monkeypatch.setattr(services, "insert_records", racing)
    result = services.complaints_intake(items=[data], acting_user=world.user("system_x"))[0]
    assert len(calls) == 2
    assert result.result == "created"
    assert Complaint.objects.filter(external_id=data["external_id"]).count() == 1
