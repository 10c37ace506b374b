"""我的待办 (issue 20): each role's items from every app, earliest due first, and counts that agree with
the lists they open."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.choices import DeliverableKind, ReportStatus
from campaigns.models import Deliverable, SelfCheckReport
from portal.choices import SourceClass
from portal.models import Rule, Violation
from portal.services import violation_record
from portal.worklist import work_counts, work_items
from reporting.choices import JobStatus
from reporting.models import ReportJob
from tests.campaigns.factories import filled_report, make_campaign
from tests.complaints.factories import push, recent

pytestmark = pytest.mark.django_db


def _rows(html: str, kind: str | None = None) -> list[str]:
    rows = re.findall(r'<tr class="worklist-item[^"]*" data-kind="([a-z_]+)"', html)
    return [r for r in rows if kind is None or r == kind]


@pytest.fixture
def progress_campaign(world, calendar):
    campaign = make_campaign(world)
    campaign_services.deliverable_save(
        campaign=campaign,
        acting_user=world.user("reg_admin_a"),
        kind=DeliverableKind.PROGRESS_REPORT,
        title="11月份工作进展情况",
        due_date=date(2026, 11, 20),
    )
    return campaign


def test_county_submitter_sees_its_overdue_progress_report_first_with_a_link_to_the_campaign(
    world, progress_campaign, client_for
):
    html = client_for(world.user("submitter_x")).get(reverse("dashboard")).content.decode()
    assert 'id="home-worklist"' in html
    assert "11月份工作进展情况" in html
    items, total = work_items(world.user("submitter_x"), kind="deliverable")
    assert total == 2  # the self-check report and the progress report, for county X only
    assert [i.record for i in items] == ["测试专项行动：自查报告", "测试专项行动：11月份工作进展情况"]
    assert all(i.utility == world.county_x.name for i in items)
    progress = Deliverable.objects.get(title="11月份工作进展情况")
    assert items[1].overdue  # straight to its filing form, the occurrence chosen
    assert items[1].url == reverse("campaigns:deliverable", args=[progress.pk]) + "?occurrence=2026-11-20#file"
    assert items[0].url == reverse("campaigns:detail", args=[progress.campaign_id]) + "#deliverables"
    assert "2026-11-20 23:59" in html or "2026-11-21 00:00" in html  # the due instant, in Asia/Shanghai


def test_a_regulator_does_not_get_the_utilities_deliverables(world, progress_campaign):
    kinds = {c.kind.key: c.count for c in work_counts(world.user("reg_admin_a"))}
    assert kinds.get("deliverable", 0) == 0
    manager = {c.kind.key: c.count for c in work_counts(world.user("manager_x"))}
    assert manager["deliverable"] == 2  # county X is in company X's subtree
    assert {c.kind.key: c.count for c in work_counts(world.user("manager_b"))}["deliverable"] == 0


def test_ticket_steps_and_violations_reach_the_side_that_acts(world, calendar, client_for):
    ticket = push(world.user("system_x"), external_id="95598-W-1", received_at=recent(0.1))
    submitter = {c.kind.key: c for c in work_counts(world.user("submitter_x"))}
    assert submitter["ticket"].count == 1
    assert "violation" not in submitter  # judging violations is the regulator's
    items, _total = work_items(world.user("submitter_x"), kind="ticket")
    assert items[0].url == ticket.get_absolute_url() and items[0].due == ticket.next_due
    violation_record(
        subject=ticket,
        utility=ticket.utility,
        rule=Rule.objects.filter(code="complaint.contact.provincial").first(),
        code="complaint.contact.provincial",
        source_class=SourceClass.REGULATOR_RULE,
        occurred_at=ticket.received_at,
        shortfall=timedelta(hours=3),
    )
    assert Violation.objects.count() == 1
    regulator = {c.kind.key: c for c in work_counts(world.user("reg_staff_a"))}
    assert regulator["violation"].count == 1
    assert {c.kind.key: c.count for c in work_counts(world.user("reg_staff_b"))}["violation"] == 0


@pytest.mark.parametrize("username", ["submitter_x", "manager_x", "reg_admin_a", "reg_staff_a", "national_admin"])
def test_every_count_agrees_with_the_list_it_opens(world, progress_campaign, client_for, username):
    push(world.user("system_x"), external_id="95598-W-2", received_at=recent(0.1))
    push(world.user("system_a"), channel="12398", external_id="12398-W-3", received_at=recent(0.2))
    client = client_for(world.user(username))
    home = client.get(reverse("dashboard")).content.decode()
    counts = work_counts(world.user(username))
    assert counts, "every role has kinds of work"
    for c in counts:
        shown = re.search(
            rf'id="work-count-{c.kind.key}"[^>]*>[^<]*<span class="badge text-bg-light count">(\d+)<', home
        )
        assert shown and int(shown.group(1)) == c.count
        page = client.get(reverse("worklist"), {"kind": c.kind.key}).content.decode()
        assert len(_rows(page, c.kind.key)) == c.count == len(_rows(page))
    total = sum(c.count for c in counts)
    assert total > 0
    assert len(_rows(client.get(reverse("worklist")).content.decode())) == total


def test_the_list_is_sorted_by_due_with_undated_items_last(world, progress_campaign):
    push(world.user("system_x"), external_id="95598-W-4", received_at=recent(0.1))
    items, _total = work_items(world.user("submitter_x"))
    dues = [i.due for i in items if i.due is not None]
    assert dues == sorted(dues) and len(dues) == 3
    assert all(i.due is not None for i in items[: len(dues)])


def test_anonymous_is_sent_to_login_and_a_bad_kind_lists_all(world, progress_campaign, client):
    assert client.get(reverse("worklist")).status_code == 302


def test_the_home_page_shows_the_most_urgent_of_every_kind(world, progress_campaign, client_for):
    for n in range(12):  # a backlog of tickets due before the progress report would otherwise fill the page
        push(world.user("system_x"), external_id=f"95598-OLD-{n}", received_at="2026-10-01T09:00:00+08:00")
    home = client_for(world.user("submitter_x")).get(reverse("dashboard")).content.decode()
    kinds = _rows(home)
    assert kinds.count("ticket") == 3 and kinds.count("deliverable") == 2
    assert "11月份工作进展情况" in home


def test_reports_reach_the_side_that_acts_on_them(world, progress_campaign):
    report = filled_report(world, progress_campaign)
    SelfCheckReport.objects.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    office = {c.kind.key: c.count for c in work_counts(world.user("reg_staff_a"))}
    assert office["report_review"] == 1
    assert {c.kind.key: c.count for c in work_counts(world.user("reg_staff_b"))}["report_review"] == 0
    assert {c.kind.key: c.count for c in work_counts(world.user("submitter_x"))}["report_returned"] == 0
    SelfCheckReport.objects.filter(pk=report.pk).update(status=ReportStatus.RETURNED)
    items, total = work_items(world.user("submitter_x"), kind="report_returned")
    assert total == 1 and items[0].url == reverse("campaigns:report", args=[report.pk])
    assert {c.kind.key: c.count for c in work_counts(world.user("reg_staff_a"))}["report_review"] == 0
    job = ReportJob.objects.create(
        kind="self_check",
        params={"report": report.pk},
        series_key="wl",
        title="自查报告",
        organisation=world.office_a,
        created_by=world.user("reg_staff_a"),
        status=JobStatus.DONE,
        finished_at=timezone.now(),
    )
    items, total = work_items(world.user("reg_staff_a"), kind="report_ready")
    assert total == 1 and items[0].url == reverse("reporting:download", args=[job.pk])
    assert work_items(world.user("reg_admin_a"), kind="report_ready")[1] == 0  # the requester's, not the office's
