"""Notices judged by kind, deadlines after the fact, relabelling, repeats, and the workflow."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from outages.choices import ComplianceState, NoticeStatus, OutageKind
from outages.lifecycle import (
    notice_cancel,
    notice_publish,
    notice_reschedule,
    notice_restore,
    notice_start,
)
from outages.models import OutageNotice
from outages.services import notice_update
from portal.choices import DeadlineStatus
from portal.models import TrackedDeadline, Violation
from portal.services import deadlines_sweep
from tests.outages.factories import at, future, register

pytestmark = pytest.mark.django_db


def codes(notice, model=Violation):
    return (
        set(model.objects.for_object(notice).values_list("code", flat=True))
        if model is TrackedDeadline
        else set(
            Violation.objects.filter(object_id=notice.pk, content_type__model="outagenotice").values_list(
                "code", flat=True
            )
        )
    )


def rule_states(notice) -> dict:
    return {r["rule"]: r["state"] for r in notice.compliance["rules"]}


def test_planned_one_hour_short_on_the_right_date_is_borderline(world, calendar):
    n = register(world.user("submitter_x"), world.county_x, published_at=at("2026-03-03 09:00"))
    assert n.compliance_state == ComplianceState.BORDERLINE
    assert rule_states(n) == {"outage.notice.planned": "borderline", "outage.notice.planned.commitment": "borderline"}
    assert n.compliance["statutory_state"] == "borderline" and n.compliance["commitment_state"] == "borderline"
    assert not codes(n)


def test_planned_a_day_late_records_statute_and_commitment_violations(world, calendar):
    n = register(world.user("submitter_x"), world.county_x, published_at=at("2026-03-04 09:00"))
    assert n.compliance_state == ComplianceState.VIOLATION
    v = Violation.objects.get(object_id=n.pk, code="outage.notice.planned")
    assert v.source_class == "statute" and v.shortfall_seconds == 25 * 3600
    assert codes(n) == {"outage.notice.planned", "outage.notice.planned.commitment"}


def test_temporary_notified_23_hours_ahead_is_a_violation(world, calendar):
    n = register(
        world.user("submitter_x"),
        world.county_x,
        kind=OutageKind.TEMPORARY,
        published_at=at("2026-03-09 09:00"),
    )
    assert n.compliance_state == ComplianceState.VIOLATION
    assert codes(n) == {"outage.notice.temporary"}


def test_temporary_important_customers_told_in_time_is_enough(world, calendar):
    n = register(
        world.user("submitter_x"),
        world.county_x,
        kind=OutageKind.TEMPORARY,
        published_at=at("2026-03-09 20:00"),
        important_customers_notified_at=at("2026-03-09 07:00"),
    )
    assert n.compliance_state == ComplianceState.COMPLIANT


def test_correcting_the_publication_withdraws_the_violation(world, calendar):
    user = world.user("submitter_x")
    n = register(user, world.county_x, published_at=at("2026-03-05 09:00"))
    assert codes(n)
    n = notice_update(notice=n, data={"published_at": at("2026-03-02 09:00")}, acting_user=user)
    assert n.compliance_state == ComplianceState.COMPLIANT
    assert not codes(n)


def test_unpublished_planned_gets_publish_by_deadlines_enforced_by_the_sweep(world, calendar):
    user = world.user("submitter_x")
    start = future(10)
    n = register(user, world.county_x, published_at=None, start_at=start, end_at=start + timedelta(hours=8))
    assert n.compliance_state == ComplianceState.PENDING
    d = TrackedDeadline.objects.for_object(n).get(code="outage.notice.planned")
    assert d.due == start - timedelta(days=7)
    assert d.remind_at is not None and d.remind_at < d.due
    # Reminder before, violation after the publish-by instant.
    assert deadlines_sweep(now=d.remind_at + timedelta(seconds=1))["reminded"] >= 1
    deadlines_sweep(now=d.due + timedelta(minutes=1))
    assert Violation.objects.filter(object_id=n.pk, code="outage.notice.planned").exists()


def test_publishing_in_time_meets_the_publish_by_deadline(world, calendar):
    user = world.user("submitter_x")
    start = future(10)
    n = register(user, world.county_x, published_at=None, start_at=start, end_at=start + timedelta(hours=8))
    n = notice_publish(notice=n, published_at=timezone.now(), channels=["sms"], acting_user=user)
    assert n.compliance_state == ComplianceState.COMPLIANT
    statuses = set(TrackedDeadline.objects.for_object(n).values_list("status", flat=True))
    assert statuses == {DeadlineStatus.MET}
    assert not deadlines_sweep(now=start)["violations"]


def test_overdue_publish_by_deadline_turns_the_stored_compliance(world, calendar):
    user = world.user("submitter_x")
    start = future(10)
    n = register(user, world.county_x, published_at=None, start_at=start, end_at=start + timedelta(hours=8))
    deadlines_sweep(now=start - timedelta(days=6))
    n.refresh_from_db()
    # The sweep's overdue handler re-judged the notice at the sweep instant.
    assert n.compliance_state == ComplianceState.VIOLATION
    assert rule_states(n)["outage.notice.planned"] == "violation"


def test_relabelling_planned_as_temporary_after_publication_is_flagged_and_still_judged_as_planned(world, calendar):
    user = world.user("submitter_x")
    n = register(user, world.county_x, published_at=at("2026-03-08 09:00"))
    n = notice_update(notice=n, data={"kind": OutageKind.TEMPORARY}, acting_user=user)
    assert n.relabelled and n.original_kind == OutageKind.PLANNED
    states = rule_states(n)
    assert states["outage.notice.temporary"] == "compliant"
    assert states["outage.notice.planned"] == "violation"
    assert n.compliance_state == ComplianceState.VIOLATION
    assert n.history.filter(history_change_reason__contains="kind planned").exists()


def test_kind_change_before_publication_is_not_a_relabel(world, calendar):
    user = world.user("submitter_x")
    start = future(10)
    n = register(user, world.county_x, published_at=None, start_at=start, end_at=start + timedelta(hours=4))
    n = notice_update(notice=n, data={"kind": OutageKind.TEMPORARY}, acting_user=user)
    assert not n.relabelled


def test_reschedule_is_judged_on_the_new_start_and_kept_in_history(world, calendar):
    user = world.user("submitter_x")
    n = register(user, world.county_x, published_at=at("2026-03-01 09:00"))
    assert n.compliance_state == ComplianceState.COMPLIANT
    n = notice_reschedule(notice=n, start_at=at("2026-03-06 08:00"), end_at=at("2026-03-06 18:00"), acting_user=user)
    assert n.status == NoticeStatus.RESCHEDULED and n.reschedule_count == 1
    assert n.compliance_state == ComplianceState.VIOLATION
    assert n.history.count() == 2
    assert "rescheduled from 2026-03-10 08:00" in n.history.first().history_change_reason


def test_repeated_temporary_outages_on_one_line_are_flagged(world, calendar):
    user = world.user("submitter_x")
    kw = {"kind": OutageKind.TEMPORARY, "lines": "10kV东关线、10kV城关线"}
    first = register(user, world.county_x, external_id="T1", **kw)
    assert not first.repeated_temporary
    register(
        user,
        world.county_x,
        external_id="OTHER",
        kind=OutageKind.TEMPORARY,
        lines="10kV西关线",
        start_at=at("2026-03-20 08:00"),
        end_at=at("2026-03-20 12:00"),
        published_at=at("2026-03-18 08:00"),
    )
    first.refresh_from_db()
    assert not first.repeated_temporary
    second = register(
        user,
        world.county_x,
        external_id="T2",
        kind=OutageKind.TEMPORARY,
        lines="10kV城关线",
        start_at=at("2026-03-25 08:00"),
        end_at=at("2026-03-25 12:00"),
        published_at=at("2026-03-23 08:00"),
    )
    first.refresh_from_db()
    assert second.repeated_temporary and first.repeated_temporary
    # Outside the rule's window (30 days) the line is not "repeated".
    third = register(
        user,
        world.county_x,
        external_id="T3",
        kind=OutageKind.TEMPORARY,
        lines="10kV城关线",
        start_at=at("2026-06-25 08:00"),
        end_at=at("2026-06-25 12:00"),
        published_at=at("2026-06-23 08:00"),
    )
    assert not third.repeated_temporary


def test_overrun_of_the_announced_end_is_a_violation_unless_explained(world, calendar):
    user = world.user("submitter_x")
    n = register(user, world.county_x, published_at=at("2026-03-01 09:00"))
    n = notice_start(notice=n, at=at("2026-03-10 08:05"), acting_user=user)
    n = notice_restore(notice=n, at=at("2026-03-10 19:30"), acting_user=user)
    assert rule_states(n)["outage.restoration.scheduled_end"] == "violation"
    assert "outage.restoration.scheduled_end" in codes(n)
    n = notice_update(notice=n, data={"delay_explanation": "发现隐患需一并处理，已向客户说明"}, acting_user=user)
    assert rule_states(n)["outage.restoration.scheduled_end"] == "borderline"
    assert "outage.restoration.scheduled_end" not in codes(n)


def test_restoration_within_24_hours_of_the_cause_removed(world, calendar):
    user = world.user("submitter_x")
    n = register(user, world.county_x, published_at=at("2026-03-01 09:00"))
    n = notice_start(notice=n, at=at("2026-03-10 08:00"), acting_user=user)
    n = notice_restore(
        notice=n,
        at=at("2026-03-11 18:00"),
        cause_removed_at=at("2026-03-10 16:00"),
        acting_user=user,
        explanation="",
    )
    assert rule_states(n)["restoration.after_cause_removed"] == "violation"


@pytest.mark.parametrize(
    ("area_class", "minutes", "commitment", "standard"),
    [
        ("urban", 50, "violation", "compliant"),
        ("urban", 61, "violation", "violation"),
        ("rural", 100, "violation", "compliant"),
        ("remote", 110, "compliant", "compliant"),
    ],
)
def test_fault_repair_arrival_by_area_class(world, calendar, area_class, minutes, commitment, standard):
    reported = at("2026-04-02 21:10")
    n = register(
        world.user("submitter_x"),
        world.county_x,
        kind=OutageKind.FAULT,
        published_at=None,
        end_at=None,
        status=NoticeStatus.IN_PROGRESS,
        actual_start_at=reported,
        start_at=reported,
        area_class=area_class,
        repair_reported_at=reported,
        repair_arrived_at=reported + timedelta(minutes=minutes),
    )
    states = rule_states(n)
    assert states == {f"repair.arrival.{area_class}": commitment, f"repair.arrival.statutory.{area_class}": standard}


def test_fault_needs_area_class(world, calendar):
    with pytest.raises(ValidationError) as exc:
        register(world.user("submitter_x"), world.county_x, kind=OutageKind.FAULT, published_at=None)
    assert "area_class" in exc.value.message_dict


def test_arrears_notice_disconnection_and_night_reconnection(world, calendar):
    user = world.user("submitter_x")
    n = register(
        user,
        world.county_x,
        kind=OutageKind.ARREARS,
        external_id="QF-1",
        end_at=None,
        channels=["written"],
        start_at=at("2026-05-20 09:00"),
        published_at=at("2026-05-15 10:00"),
        arrears_amount="356.80",
        arrears_overdue_since=at("2026-04-25 00:00"),
        status=NoticeStatus.IN_PROGRESS,
        actual_start_at=at("2026-05-20 09:00"),
        paid_at=at("2026-05-20 22:40"),
        reconnected_at=at("2026-05-21 09:30"),
    )
    states = rule_states(n)
    assert states["outage.notice.arrears.statutory"] == "compliant"  # 3 days (statute)
    assert states["outage.notice.arrears"] == "violation"  # 7 days (commitment)
    assert states["arrears.overdue_before_disconnection"] == "violation"  # only 25 days overdue
    assert states["arrears.reconnection"] == "compliant"  # paid after 22:00 → by 10:00 next morning
    n = notice_update(notice=n, data={"reconnected_at": at("2026-05-21 10:30")}, acting_user=user)
    assert rule_states(n)["arrears.reconnection"] == "violation"


def test_end_before_start_is_an_input_error_and_nothing_is_written(world, calendar):
    with pytest.raises(ValidationError) as exc:
        register(world.user("submitter_x"), world.county_x, end_at=at("2026-03-10 07:00"))
    assert "end_at" in exc.value.message_dict
    assert not OutageNotice.objects.exists()


def test_publication_after_start_is_a_violation_not_an_input_error(world, calendar):
    n = register(world.user("submitter_x"), world.county_x, published_at=at("2026-03-10 09:00"))
    assert n.compliance_state == ComplianceState.VIOLATION


def test_workflow_refuses_illegal_moves(world, calendar):
    user = world.user("submitter_x")
    n = register(user, world.county_x)
    n = notice_cancel(notice=n, acting_user=user, reason="天气原因")
    assert n.status == NoticeStatus.CANCELLED
    with pytest.raises(ValidationError) as exc:
        notice_start(notice=n, at=at("2026-03-10 08:00"), acting_user=user)
    assert "status" in exc.value.message_dict


def test_cancelling_an_unpublished_notice_cancels_its_deadlines_and_needs_no_notice(world, calendar):
    user = world.user("submitter_x")
    start = future(10)
    n = register(user, world.county_x, published_at=None, start_at=start, end_at=start + timedelta(hours=3))
    n = notice_cancel(notice=n, acting_user=user)
    assert set(TrackedDeadline.objects.for_object(n).values_list("status", flat=True)) == {DeadlineStatus.CANCELLED}
    assert n.compliance_state == ComplianceState.COMPLIANT


def test_only_own_organisation_may_write(world, calendar):
    with pytest.raises(PermissionDenied):
        register(world.user("manager_y"), world.county_x)
    with pytest.raises(PermissionDenied):
        register(world.user("reg_staff_a"), world.county_x)
    with pytest.raises(PermissionDenied):
        register(world.user("system_a"), world.county_x)
    assert register(world.user("system_x"), world.county_x).pk


def test_the_table_allows_exactly_the_moves_it_always_did():
    """One table: the steps' sources and targets are the moves of the former TRANSITIONS, and a status sent
    as data (an edit, PUT, a pushed update) is allowed exactly where a step leads (or where it already is)."""
    from outages.lifecycle import WORKFLOW, status_refusal

    S = NoticeStatus
    upcoming = {S.SCHEDULED, S.RESCHEDULED}
    moves = {(old, new) for old in upcoming for new in (S.IN_PROGRESS, S.RESTORED, S.CANCELLED, S.RESCHEDULED)}
    moves.add((S.IN_PROGRESS, S.RESTORED))
    assert {(old, step.to) for step in WORKFLOW.steps if step.to for old in step.sources} == moves
    for old in S:
        for new in S:
            assert (status_refusal(old, new) is None) == (old == new or (old, new) in moves), (old, new)
    assert WORKFLOW.step("publish").to is None and not WORKFLOW.step("publish").sources  # in any status
