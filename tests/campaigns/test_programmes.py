"""Rectification anywhere (issue 11, item 4): a standalone rectification programme (整改方案) outside any campaign,
findings from every source, measures the utility proposes and the regulator approves or returns, due dates the
plan sets (years ahead), overdue items re-noticed by the catalogue's rule and then escalated (约谈, 稽查), and
closure verified on evidence."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from campaigns import services
from campaigns.choices import Escalation, RectificationStatus
from campaigns.models import Finding, RectificationItem, RectificationProgramme
from portal.models import Notification, Rule, TrackedDeadline, Violation
from portal.services import deadlines_sweep
from portal.workflow import StepRefused
from tests.campaigns.factories import attach_evidence

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")

# Seed 004: 国网**省电力公司对消费者评议提出的意见和建议整改措施 — its wording.
SEED_004_FINDING = (
    "消费者评议反映：停电通知有效性不足。停电公告采用专业术语，客户不易知晓；计划停电、临时停电和故障停电的"
    "信息发布时间要求和发布渠道不明确。"
)
SEED_004_MEASURE = (
    "制定《停电信息发布协同工作管理办法》，明确计划停电、临时停电和故障停电的信息发布时间要求和发布渠道、方式，"
    "停电公告应避免采用专业术语，采用客户熟知的方式，在大众日常接触的公共渠道进行公布，提高信息公告的有效性。"
)
SEED_004_MEASURE_2 = (
    "多方筹措资金，追补下达市郊、县域电网修理改造专项费用，重点解决城郊、县域用户低电压，配变、线路重、过载和"
    "供电“卡脖子”问题。"
)


def at(y, m, d, h=9):
    return datetime(y, m, d, h, tzinfo=SH)


@pytest.fixture
def sweep(monkeypatch):
    """The beat's sweep at an instant, with the clock advanced to it (the re-notice is tracked from "now")."""

    def run(when: datetime):
        monkeypatch.setattr(timezone, "now", lambda: when)
        return deadlines_sweep(now=when)

    return run


def make_programme(world, **extra) -> RectificationProgramme:
    fields = {
        "owner": world.office_a,
        "code": "XFPY-2026",
        "title": "对消费者评议提出的意见和建议整改措施",
        "basis": "针对本次消费者评议反映的问题，深入研究、归类分析客户反映的问题，制定整顿措施。",
        "start_date": date(2026, 3, 1),
        "end_date": date(2026, 12, 31),
        "acting_user": world.user("reg_admin_a"),
    }
    fields.update(extra)
    return services.programme_create(**fields)


def test_a_seed_004_programme_outside_any_campaign_to_verified_closure(world, calendar, sweep):
    """The done-when journey: a consumer-review finding of a programme with no campaign; the utility proposes
    its measures, the regulator returns one and approves it revised; an item runs past the programme's end
    (the plan's date); one item is re-noticed twice by the sweep, then escalated to a talk (约谈) and an audit
    (稽查), each recorded by the regulator; it is completed with evidence and verified; the programme closes."""
    admin, staff, sub = world.user("reg_admin_a"), world.user("reg_staff_a"), world.user("submitter_x")
    with pytest.raises(PermissionDenied):  # regulator staff do not create programmes
        make_programme(world, acting_user=staff)
    programme = make_programme(world)
    assert programme.status == "draft"
    programme = services.programme_issue(programme=programme, acting_user=admin)
    assert programme.status == "active"

    with pytest.raises(PermissionDenied):  # the utility does not record the office's findings
        services.finding_add(
            programme=programme, utility=world.county_x, source="consumer_review", text="x", acting_user=sub
        )
    with pytest.raises(ValidationError):  # a utility the office does not supervise
        services.finding_add(
            programme=programme, utility=world.company_b, source="consumer_review", text="x", acting_user=admin
        )
    finding = services.finding_add(
        programme=programme,
        utility=world.county_x,
        source="consumer_review",
        text=SEED_004_FINDING,
        acting_user=staff,
    )
    assert finding.campaign is None and finding.programme == programme and finding.number == 1

    # The utility proposes its measures: proposed, nothing tracked until approved.
    item = services.rectification_add(
        finding=finding, measure=SEED_004_MEASURE, department="营销部", due_date=date(2026, 9, 30), acting_user=sub
    )
    assert item.status == RectificationStatus.PROPOSED and item.campaign is None
    assert item.defect_number == "XFPY-2026-T-X-C-K-001"
    assert not TrackedDeadline.objects.filter(object_id=item.pk, code="campaign.rectification").exists()
    assert Notification.objects.filter(organisation=world.office_a, key__startswith="campaigns.rectification-proposed")
    with pytest.raises(PermissionDenied):  # the utility does not approve its own measure
        services.RECTIFICATION_WORKFLOW.transition(item, "approve", sub)
    with pytest.raises(ValidationError):  # returning needs the reason
        services.RECTIFICATION_WORKFLOW.transition(item, "return", staff)
    services.RECTIFICATION_WORKFLOW.transition(item, "return", staff, note="未明确责任人。")
    item.refresh_from_db()
    assert item.status == RectificationStatus.RETURNED and item.review_note == "未明确责任人。"
    assert Notification.objects.filter(organisation=world.county_x, key__startswith="campaigns.rectification-return")
    services.RECTIFICATION_WORKFLOW.transition(item, "resubmit", sub, person="韦立群", note="补充责任人")
    services.RECTIFICATION_WORKFLOW.transition(item, "approve", staff, note="同意")
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN and item.person == "韦立群" and item.approved_at
    assert TrackedDeadline.objects.get(object_id=item.pk, code="campaign.rectification").status == "open"

    # A second measure runs for years, past the programme's own end: the plan's date, not capped.
    long_item = services.rectification_add(
        finding=finding,
        measure=SEED_004_MEASURE_2,
        department="发展策划部",
        person="吕长青",
        due_date=date(2028, 12, 31),
        acting_user=sub,
    )
    services.RECTIFICATION_WORKFLOW.transition(long_item, "approve", staff)

    # Overdue: re-noticed by the catalogue's rule (every 7 days), twice; then escalated, one level a period.
    sweep(at(2026, 10, 2))
    item.refresh_from_db()
    assert item.status == RectificationStatus.OVERDUE and item.renotice_count == 1
    sweep(at(2026, 10, 10))
    item.refresh_from_db()
    assert item.renotice_count == 2 and item.escalation == Escalation.NONE
    with pytest.raises(ValidationError):  # no talk before the escalation
        services.RECTIFICATION_WORKFLOW.transition(item, "talk", staff, note="x", held_on=date(2026, 10, 10))
    sweep(at(2026, 10, 19))  # the re-notice's 7th day fell on Saturday 10-17: due Monday 10-19 (Civil Code)
    item.refresh_from_db()
    assert item.escalation == Escalation.NONE
    sweep(at(2026, 10, 20))
    item.refresh_from_db()
    assert item.renotice_count == 2 and item.escalation == Escalation.TALK
    escalated = item.history.latest("history_id")
    assert escalated.history_user is None and "约谈" in escalated.history_change_reason
    assert Notification.objects.filter(organisation=world.office_a, key__startswith="campaigns.rectification-escalated")
    assert RectificationItem.objects.filter(escalation__in=["talk", "audit"]).count() == 1
    with pytest.raises(PermissionDenied):  # the regulator records the talk, not the utility
        services.RECTIFICATION_WORKFLOW.transition(item, "talk", sub, note="x", held_on=date(2026, 10, 21))
    services.RECTIFICATION_WORKFLOW.transition(
        item,
        "talk",
        staff,
        note="约谈营销部负责人，要求7日内完成。",
        held_on=date(2026, 10, 21),
        at=at(2026, 10, 21, 15),
    )
    item.refresh_from_db()
    assert item.talk_held_on == date(2026, 10, 21) and item.history.latest("history_id").history_user == staff
    assert "约谈" in item.history.latest("history_id").history_change_reason
    sweep(at(2026, 10, 27))  # the talk's period (7 days from 10-20) runs to the end of 10-27
    item.refresh_from_db()
    assert item.escalation == Escalation.TALK
    sweep(at(2026, 10, 28))
    item.refresh_from_db()
    assert item.escalation == Escalation.AUDIT
    services.RECTIFICATION_WORKFLOW.transition(
        item, "audit", staff, note="稽查发现办法已起草未印发。", held_on=date(2026, 10, 29), at=at(2026, 10, 29, 11)
    )
    assert Violation.objects.filter(object_id=item.pk, code="campaign.rectification").count() == 1
    assert not RectificationItem.objects.get(pk=long_item.pk).renotice_count  # the long item is not due yet

    # Verified closure: evidence first, then the regulator verifies (or rejects back).
    with pytest.raises(StepRefused):
        services.rectification_transition(item=item, to="done_pending_verification", acting_user=sub, note="已印发")
    attach_evidence(item, sub, "停电信息发布协同工作管理办法.pdf")
    services.rectification_transition(item=item, to="done_pending_verification", acting_user=sub, note="已印发")
    services.RECTIFICATION_WORKFLOW.transition(item, "reject", staff, note="未见公示渠道")
    services.rectification_transition(item=item, to="done_pending_verification", acting_user=sub, note="已公示")
    services.rectification_transition(item=item, to="verified", acting_user=staff, note="暗访核实")
    item.refresh_from_db()
    assert item.status == RectificationStatus.VERIFIED and item.verified_by == staff
    with pytest.raises(StepRefused):  # the long item is still open
        services.programme_close(programme=programme, acting_user=admin)
    attach_evidence(long_item, sub)
    services.rectification_transition(item=long_item, to="done_pending_verification", acting_user=sub, note="完成")
    services.rectification_transition(item=long_item, to="verified", acting_user=staff)
    with pytest.raises(PermissionDenied):  # staff do not close the office's programme
        services.programme_close(programme=programme, acting_user=staff)
    programme = services.programme_close(programme=programme, acting_user=admin)
    assert programme.status == "closed"
    with pytest.raises(ValidationError):  # a closed programme takes no more findings
        services.finding_add(
            programme=programme, utility=world.county_x, source="unannounced_check", text="x", acting_user=admin
        )
    steps = [h.history_change_reason for h in RectificationItem.objects.get(pk=item.pk).history.order_by("history_id")]
    assert any("约谈" in (r or "") for r in steps) and any("稽查" in (r or "") for r in steps)


def test_the_number_of_renotices_before_escalation_is_the_catalogues(world, calendar, sweep):
    """`after_renotices` and the levels in order are the rule's parameters: data, changed without code."""
    admin = world.user("reg_admin_a")
    rule = Rule.objects.get(code="campaign.rectification.escalation")
    assert rule.params == {"after_renotices": 2, "levels": ["talk", "audit"]}
    rule.params = {"after_renotices": 1, "levels": ["audit"]}
    rule.save()
    programme = make_programme(world)
    finding = services.finding_add(
        programme=programme,
        utility=world.county_x,
        source="unannounced_check",
        text="暗访：营业厅未公示收费标准。",
        acting_user=admin,
    )
    item = services.rectification_add(
        finding=finding, measure="公示收费标准", department="营销部", due_date=date(2026, 9, 30), acting_user=admin
    )
    assert item.status == RectificationStatus.OPEN  # the regulator's own measure needs no approval
    sweep(at(2026, 10, 2))
    sweep(at(2026, 10, 10))
    item.refresh_from_db()
    assert item.renotice_count == 1 and item.escalation == Escalation.AUDIT
    sweep(at(2026, 10, 20))  # past the last level: re-noticed again
    item.refresh_from_db()
    assert item.renotice_count == 2 and item.escalation == Escalation.AUDIT


def test_every_source_inside_or_outside_a_campaign(world, campaign):
    """Findings of every source the issue names can be recorded in a campaign and in a programme; each finding
    and item belongs to exactly one of them, and a regulator of another office sees none of the programme."""
    admin = world.user("reg_admin_a")
    programme = make_programme(world)
    for source in ("self_check", "inspection", "consumer_review", "unannounced_check", "complaints_analysis"):
        services.finding_add(programme=programme, utility=world.county_x, source=source, text=source, acting_user=admin)
    for source in ("consumer_review", "unannounced_check", "complaints_analysis"):
        services.finding_add(campaign=campaign, utility=world.county_x, source=source, text=source, acting_user=admin)
    assert Finding.objects.filter(programme=programme).count() == 5
    assert Finding.objects.filter(campaign=campaign).count() == 3
    with pytest.raises(ValidationError):
        services.finding_add(
            programme=programme,
            campaign=campaign,
            utility=world.county_x,
            source="inspection",
            text="x",
            acting_user=admin,
        )
    other = world.user("reg_staff_b")
    assert not RectificationProgramme.objects.visible_to(other).exists()
    assert not Finding.objects.visible_to(other).filter(programme=programme).exists()
    # The utility addressed sees the programme and its findings; another utility does not.
    assert RectificationProgramme.objects.visible_to(world.user("submitter_x")).get() == programme
    assert not RectificationProgramme.objects.visible_to(world.user("submitter_y")).exists()


def test_a_measure_without_a_due_date_is_not_approved(world, calendar):
    staff, sub = world.user("reg_staff_a"), world.user("submitter_x")
    programme = make_programme(world)
    finding = services.finding_add(
        programme=programme,
        utility=world.county_x,
        source="complaints_analysis",
        text="投诉分析：抢修到达超时。",
        acting_user=staff,
    )
    item = services.rectification_add(finding=finding, measure="推行首到必修", department="运检部", acting_user=sub)
    with pytest.raises(StepRefused):
        services.RECTIFICATION_WORKFLOW.transition(item, "approve", staff)
    services.RECTIFICATION_WORKFLOW.transition(item, "return", staff, note="请明确完成期限。")
    services.RECTIFICATION_WORKFLOW.transition(item, "resubmit", sub, due_date=date(2027, 6, 30))
    item = services.RECTIFICATION_WORKFLOW.transition(item, "approve", staff)
    assert item.status == RectificationStatus.OPEN and item.due_date == date(2027, 6, 30)
