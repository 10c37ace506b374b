"""Services of the campaigns app: template phases, scope, the report and rectification workflows,
phase rules, deliverable deadlines and the overdue handler with the shared sweep."""

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns import selectors, services
from campaigns.choices import PhaseKind, PhaseOverride, RectificationStatus, ReportStatus
from campaigns.models import Phase, RectificationItem, SelfCheckReport
from portal.choices import DeadlineStatus
from portal.models import Notification, TrackedDeadline, Violation
from portal.services import deadlines_sweep
from tests.campaigns.factories import attach_evidence, checklist, filled_report, make_campaign

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=SH)


def test_template_gives_four_contiguous_phases_within_the_campaign(campaign):
    phases = list(campaign.phases.order_by("order"))
    assert [p.name for p in phases] == ["组织部署", "企业自查", "检查督查", "总结提高"]
    assert phases[0].start_date == campaign.start_date and phases[-1].end_date == campaign.end_date
    for a, b in itertools.pairwise(phases):
        assert b.start_date == a.end_date + timedelta(days=1)


def test_seed_2011_proportions_reproduce_the_seed_dates():
    dates = services.template_phase_dates(date(2011, 10, 25), date(2012, 12, 31))
    assert dates[0] == (date(2011, 10, 25), date(2011, 11, 30))
    assert dates[1][0] == date(2011, 12, 1) and dates[3][1] == date(2012, 12, 31)


def test_current_phase_boundaries_are_inclusive(campaign):
    phases = list(campaign.phases.order_by("order"))
    assert selectors.current_phase(campaign, phases[1].start_date) == phases[1]
    assert selectors.current_phase(campaign, phases[1].end_date) == phases[1]
    assert selectors.current_phase(campaign, campaign.end_date + timedelta(days=1)) is None


def test_phase_outside_the_campaign_or_overlapping_is_refused(world, campaign):
    reg = world.user("reg_admin_a")
    with pytest.raises(ValidationError) as exc:
        services.phase_save(
            campaign=campaign,
            acting_user=reg,
            order=9,
            name="额外",
            start_date=date(2027, 1, 1),
            end_date=date(2027, 1, 5),
        )
    assert "end_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.phase_save(
            campaign=campaign,
            acting_user=reg,
            order=9,
            name="额外",
            start_date=date(2026, 5, 1),
            end_date=date(2026, 5, 5),
        )
    assert "重叠" in str(exc.value.message_dict["start_date"])
    assert Phase.objects.filter(campaign=campaign).count() == 4


def test_hold_and_advance_need_a_reason_and_are_recorded(world, campaign):
    reg = world.user("reg_admin_a")
    with pytest.raises(ValidationError):
        services.campaign_override_phase(campaign=campaign, action=PhaseOverride.HOLD, reason=" ", acting_user=reg)
    services.campaign_override_phase(
        campaign=campaign, action=PhaseOverride.HOLD, reason="迎峰度冬延后", acting_user=reg
    )
    held = campaign.manual_phase
    assert selectors.current_phase(campaign, date(2027, 6, 1)) == held
    assert "迎峰度冬延后" in campaign.history.first().history_change_reason
    services.campaign_override_phase(
        campaign=campaign, action=PhaseOverride.RELEASE, reason="恢复按日期", acting_user=reg
    )
    assert campaign.manual_phase is None


def test_scope_by_subtree_and_only_the_owner_office_manages_it(world, campaign):
    n = services.campaign_set_scope(
        campaign=campaign, subtrees=[world.company_x], acting_user=world.user("reg_admin_a")
    )
    assert n == 4  # company X, its city and county, plus company Y already in scope
    with pytest.raises(PermissionDenied):
        services.campaign_set_scope(
            campaign=campaign, organisations=[world.company_b], acting_user=world.user("reg_staff_b")
        )
    with pytest.raises(ValidationError):
        services.campaign_set_scope(
            campaign=campaign, organisations=[world.office_b], acting_user=world.user("reg_admin_a")
        )


def test_report_for_a_utility_not_in_scope_is_refused(world, campaign):
    with pytest.raises(ValidationError) as exc:
        services.report_create(campaign=campaign, utility=world.company_b, acting_user=world.user("manager_b"))
    assert "utility" in exc.value.message_dict


def test_impossible_indicators_are_refused(world, campaign):
    with pytest.raises(ValidationError) as exc:
        filled_report(world, campaign, voltage_overall="99.99")  # above every class A–D
    assert "voltage_overall" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        filled_report(world, campaign, satisfaction="100.01")
    assert "satisfaction" in exc.value.message_dict
    assert not SelfCheckReport.objects.exists()


def test_full_report_workflow_is_audited(world, campaign):
    report = filled_report(world, campaign)
    sub, reg = world.user("submitter_x"), world.user("reg_staff_a")
    services.report_submit(report=report, acting_user=sub, at=at(2026, 5, 10))
    with pytest.raises(ValidationError):
        services.report_update(report=report, acting_user=sub, summary="改")
    with pytest.raises(ValidationError):
        services.report_return(report=report, comment="", acting_user=reg)
    services.report_return(report=report, comment="补充整改时限", acting_user=reg, at=at(2026, 5, 12))
    services.report_update(report=report, acting_user=sub, summary="已补充")
    services.report_resubmit(report=report, acting_user=sub, at=at(2026, 5, 15))
    with pytest.raises(PermissionDenied):
        services.report_accept(report=report, acting_user=world.user("reg_staff_b"))
    report = services.report_accept(report=report, acting_user=reg)
    assert report.status == ReportStatus.ACCEPTED and not report.is_late
    reasons = [h.history_change_reason for h in report.history.all() if h.history_change_reason]
    assert len(reasons) == 4 and any("补充整改时限" in r for r in reasons)
    with pytest.raises(ValidationError):
        services.report_return(report=report, comment="再改", acting_user=reg)


def test_only_the_utility_files_and_only_the_regulator_reviews(world, campaign):
    report = filled_report(world, campaign)
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, acting_user=world.user("reg_staff_a"))
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, acting_user=world.user("submitter_y"))
    services.report_submit(report=report, acting_user=world.user("manager_x"), at=at(2026, 5, 1))  # parent company
    with pytest.raises(PermissionDenied):
        services.report_accept(report=report, acting_user=world.user("submitter_x"))


def test_filing_before_the_self_check_phase_is_refused_and_after_the_due_date_marked_late(world, campaign):
    report = filled_report(world, campaign)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, acting_user=world.user("submitter_x"), at=at(2026, 3, 2))
    assert "企业自查阶段起" in str(exc.value)
    due = services.self_check_due(campaign)
    report = services.report_submit(
        report=report, acting_user=world.user("submitter_x"), at=at(due.year, due.month, due.day) + timedelta(days=1)
    )
    assert report.is_late
    d = TrackedDeadline.objects.get(code=f"campaign.deliverable.{world.county_x.code}")
    assert d.status == DeadlineStatus.MET_LATE


def test_fixed_due_date_on_a_rest_day_is_flagged_not_moved(world, campaign):
    d = services.deliverable_save(
        campaign=campaign, acting_user=world.user("reg_admin_a"), title="整改方案", due_date=date(2026, 10, 3)
    )  # National Day holiday
    assert d.due_on_rest_day
    tracked = TrackedDeadline.objects.get(object_id=d.pk, code=f"campaign.deliverable.{world.county_x.code}")
    assert tracked.due == datetime(2026, 10, 3, 23, 59, 59, 999999, tzinfo=SH)
    assert tracked.source_class == "campaign"


def test_recurring_deliverable_is_tracked_once_per_year_in_the_campaign(world, calendar):
    campaign = make_campaign(world, code="T-R", start=date(2025, 1, 1), end=date(2026, 12, 31))
    services.deliverable_save(
        campaign=campaign, acting_user=world.user("reg_admin_a"), title="用户报装信息", due_month=7, due_day=15
    )
    rows = [r for r in selectors.deliverable_rows(campaign) if r.deliverable.title == "用户报装信息"]
    assert [r.due for r in rows] == [date(2025, 7, 15), date(2026, 7, 15)]
    assert all(r.expected == 2 for r in rows)  # two utilities in scope


def test_inspection_only_within_the_inspection_phase(world, campaign):
    reg = world.user("reg_staff_a")
    phase = campaign.phases.get(kind=PhaseKind.INSPECTION)
    with pytest.raises(ValidationError) as exc:
        services.inspection_create(
            campaign=campaign,
            utility=world.county_x,
            inspected_on=phase.start_date - timedelta(days=1),
            acting_user=reg,
        )
    assert "inspected_on" in exc.value.message_dict
    insp = services.inspection_create(
        campaign=campaign, utility=world.county_x, inspected_on=phase.start_date, acting_user=reg
    )
    finding = services.finding_add(inspection=insp, text="停电公告不足7天", acting_user=reg)
    assert finding.source == "inspection"


def _item(world, campaign, due=date(2026, 11, 20)):
    report = filled_report(world, campaign)
    finding = services.finding_add(report=report, text="计划停电告知不到位", acting_user=world.user("submitter_x"))
    return services.rectification_add(
        finding=finding,
        measure="修订停电信息发布办法",
        department="调度室",
        person="戚永平",
        due_date=due,
        acting_user=world.user("submitter_x"),
    )


def test_rectification_due_date_is_the_plans_not_capped_by_the_campaign(world, campaign):
    """Issue 11: the seeds' plans run for years — a due date after the campaign's end is kept and tracked;
    only one before the campaign starts is refused."""
    item = _item(world, campaign, due=date(2028, 6, 30))
    assert TrackedDeadline.objects.get(object_id=item.pk, code="campaign.rectification").due.year == 2028
    with pytest.raises(ValidationError) as exc:
        services.rectification_add(
            finding=item.finding,
            measure="x",
            department="调度室",
            due_date=date(2026, 2, 1),
            acting_user=world.user("submitter_x"),
        )
    assert "due_date" in exc.value.message_dict


def test_rectification_workflow_and_unique_defect_numbers(world, campaign):
    item = _item(world, campaign, due=date(2026, 12, 15))
    second = services.rectification_add(
        finding=item.finding,
        measure="短信告知",
        department="客服中心",
        person="鲍晓雯",
        due_date=date(2026, 12, 1),
        acting_user=world.user("submitter_x"),
    )
    assert item.defect_number == "T-2026-T-X-C-K-001" and second.defect_number.endswith("-002")
    sub, reg = world.user("submitter_x"), world.user("reg_staff_a")
    services.rectification_transition(item=item, to=RectificationStatus.IN_PROGRESS, acting_user=sub)
    with pytest.raises(ValidationError):
        services.rectification_transition(item=item, to=RectificationStatus.VERIFIED, acting_user=reg)
    with pytest.raises(ValidationError):  # no evidence file yet
        services.rectification_transition(
            item=item, to=RectificationStatus.DONE_PENDING_VERIFICATION, acting_user=sub, note="已修订并印发"
        )
    attach_evidence(item, sub)
    with pytest.raises(ValidationError):  # no note
        services.rectification_transition(item=item, to=RectificationStatus.DONE_PENDING_VERIFICATION, acting_user=sub)
    services.rectification_transition(
        item=item, to=RectificationStatus.DONE_PENDING_VERIFICATION, acting_user=sub, note="已修订并印发"
    )
    with pytest.raises(PermissionDenied):
        services.rectification_transition(item=item, to=RectificationStatus.VERIFIED, acting_user=sub)
    item = services.rectification_transition(
        item=item, to=RectificationStatus.VERIFIED, acting_user=reg, note="现场核实"
    )
    assert item.verified_by == reg
    assert TrackedDeadline.objects.get(object_id=item.pk, code="campaign.rectification").status == DeadlineStatus.MET


def test_overdue_item_is_flagged_by_the_sweep_renotified_and_counted(world, campaign):
    item = _item(world, campaign, due=date(2026, 11, 20))
    now = at(2026, 11, 23)
    counts = deadlines_sweep(now=now)
    assert counts["overdue"] >= 1
    item.refresh_from_db()
    assert item.status == RectificationStatus.OVERDUE and item.renotice_count == 1
    assert Violation.objects.filter(object_id=item.pk, code="campaign.rectification").count() == 1
    assert Notification.objects.filter(organisation=world.county_x, key__startswith="campaigns.renotice").exists()
    renotice = TrackedDeadline.objects.get(object_id=item.pk, code="campaign.rectification.renotice")
    assert renotice.status == DeadlineStatus.OPEN and renotice.due > now
    deadlines_sweep(now=now)  # idempotent
    item.refresh_from_db()
    assert item.renotice_count == 1
    deadlines_sweep(now=now + timedelta(days=8))  # still unresolved a week later: re-notified again
    item.refresh_from_db()
    assert item.renotice_count == 2
    rates = selectors.campaign_progress(campaign)
    assert rates.overdue == 1 and rates.renotices == 1
    attach_evidence(item, world.user("submitter_x"))
    services.rectification_transition(
        item=item, to=RectificationStatus.DONE_PENDING_VERIFICATION, acting_user=world.user("submitter_x"), note="完成"
    )
    assert RectificationItem.objects.get(pk=item.pk).status == RectificationStatus.DONE_PENDING_VERIFICATION


def test_metadata_check_catches_a_composite_report(world, campaign):
    report = filled_report(
        world,
        campaign,
        declared_organisation="国网沂东县供电公司",
        period_start=date(2009, 1, 1),
        period_end=date(2009, 12, 31),
        indicator_year=2011,
    )
    warnings = selectors.report_metadata_warnings(report)
    assert len(warnings) == 3
    good = filled_report(
        world,
        campaign,
        utility=world.company_y,
        user=world.user("submitter_y"),
        declared_organisation=world.company_y.name,
    )
    assert selectors.report_metadata_warnings(good) == []


def test_answers_only_for_an_attached_checklist(world, campaign):
    template = checklist()
    report = filled_report(world, campaign)
    item = template.items.get(kind="check", number=18)
    with pytest.raises(ValidationError):
        services.answer_save(report=report, item=item, answer="compliant", acting_user=world.user("submitter_x"))
    focus = services.focus_item_save(campaign=campaign, acting_user=world.user("reg_admin_a"), title="保障人民生活用电")
    services.checklist_attach(focus_item=focus, checklist=template, acting_user=world.user("reg_admin_a"))
    ans = services.answer_save(
        report=report, item=item, answer="non_compliant", note="3次公告不足7天", acting_user=world.user("submitter_x")
    )
    assert ans.focus_item == focus


def test_progress_rates(world, campaign):
    report = filled_report(world, campaign)
    services.report_submit(report=report, acting_user=world.user("submitter_x"), at=at(2026, 5, 1))
    rates = selectors.campaign_progress(campaign)
    assert rates.utilities == 2 and rates.submitted == 1 and rates.on_time == 1
    assert rates.submission_rate == 50.0


def test_the_sweep_takes_the_tables_system_step_and_a_person_cannot(world, campaign):
    """`overdue` is the table's step for the sweep (no user): a person is refused it, and an item completed
    meanwhile is left as it is."""
    item = _item(world, campaign, due=date(2026, 11, 20))
    with pytest.raises(PermissionDenied):
        services.RECTIFICATION_WORKFLOW.transition(item, "overdue", world.user("reg_staff_a"))
    services.rectification_overdue([item.pk], at(2026, 11, 23))
    item.refresh_from_db()
    assert item.status == RectificationStatus.OVERDUE and item.renotice_count == 1
    assert "1" in item.history.first().history_change_reason and item.history.first().history_user is None
    attach_evidence(item, world.user("submitter_x"))
    services.rectification_transition(
        item=item, to=RectificationStatus.DONE_PENDING_VERIFICATION, acting_user=world.user("submitter_x"), note="完成"
    )
    services.rectification_overdue([item.pk], at(2026, 12, 1))
    item.refresh_from_db()
    assert item.status == RectificationStatus.DONE_PENDING_VERIFICATION and item.renotice_count == 1
    assert TrackedDeadline.objects.get(object_id=item.pk, code=services.RENOTICE_RULE).status == "cancelled"
