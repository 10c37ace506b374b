"""Report fixtures: a campaign with reports, findings, rectification items, zones and outage notices,
all made through the owning apps' services so the figures are what the portal really produces."""

import subprocess
from datetime import date

import pytest

from campaigns import services as cs
from campaigns.choices import RectificationStatus
from campaigns.models import Campaign
from tests.campaigns.factories import attach_evidence, filled_report, make_campaign
from tests.outages.factories import at, register


def campaign_data(world) -> Campaign:
    """Office A's campaign 2026 (county X and company Y in scope): county X's report submitted with
    two findings (one item verified, one open), company Y's report a draft; two outage notices of
    county X in the campaign's dates (one compliant, one published 2 days ahead: a violation)."""
    campaign = make_campaign(world)
    campaign.experience = "建立“12398”与“95598”联动机制。\n每月通报各单位投诉办理情况。"
    campaign.proposals = "建立常态化监管机制。"
    campaign.save()
    sub, reg = world.user("submitter_x"), world.user("reg_staff_a")
    report = filled_report(world, campaign)
    items = []
    for text, measure in (
        ("计划停电公告未提前7天发布", "修订停电信息发布流程"),
        ("欠费停电通知未送达", "书面通知签收制度"),
    ):
        finding = cs.finding_add(report=report, text=text, acting_user=sub)
        items.append(
            cs.rectification_add(
                finding=finding,
                measure=measure,
                department="营销部",
                person="张三",
                due_date=date(2026, 11, 30),
                acting_user=sub,
            )
        )
    cs.rectification_transition(item=items[0], to=RectificationStatus.IN_PROGRESS, acting_user=sub)
    attach_evidence(items[0], sub)
    cs.rectification_transition(
        item=items[0], to=RectificationStatus.DONE_PENDING_VERIFICATION, acting_user=sub, note="已修订"
    )
    cs.rectification_transition(item=items[0], to=RectificationStatus.VERIFIED, acting_user=reg, note="核实")
    cs.report_submit(report=report, acting_user=sub)
    filled_report(world, campaign, utility=world.company_y, user=world.user("submitter_y"))
    register(world.user("submitter_x"), world.county_x, external_id="R-1")
    register(
        world.user("submitter_x"),
        world.county_x,
        external_id="R-2",
        start_at=at("2026-04-10 08:00"),
        end_at=at("2026-04-10 18:00"),
        published_at=at("2026-04-08 09:00"),
    )
    add_tickets(world)
    return campaign


def add_tickets(world) -> None:
    """County X: one ticket answered on time (satisfied), one never answered (the sweep records a
    statutory and a commitment breach). Company Y: one answered on time, then appealed."""
    from complaints import lifecycle
    from portal.services import deadlines_sweep
    from tests.complaints.factories import at as cat
    from tests.complaints.factories import push

    sub = world.user("submitter_x")
    a = push(world.user("system_x"), external_id="A-1")
    lifecycle.complaint_accept(ticket=a, acting_user=sub, at=cat("2026-09-30 15:00"))
    lifecycle.complaint_contact(ticket=a, acting_user=sub, at=cat("2026-09-30 16:00"))
    lifecycle.complaint_reply(ticket=a, acting_user=sub, opinion="已更换配变。", at=cat("2026-10-09 10:00"))
    lifecycle.complaint_visit(ticket=a, acting_user=sub, satisfaction="satisfied", at=cat("2026-10-10 10:00"))
    push(world.user("system_x"), external_id="A-2", channel="12345", category="billing")
    y = world.user("manager_y")
    c = push(y, external_id="Y-1", utility="T-Y", category="metering")
    lifecycle.complaint_accept(ticket=c, acting_user=y, at=cat("2026-09-30 15:00"))
    lifecycle.complaint_contact(ticket=c, acting_user=y, at=cat("2026-09-30 16:00"))
    lifecycle.complaint_reply(ticket=c, acting_user=y, opinion="已校验电能表。", at=cat("2026-10-09 11:00"))
    lifecycle.complaint_visit(ticket=c, acting_user=y, satisfaction="dissatisfied", at=cat("2026-10-10 11:00"))
    lifecycle.complaint_close(ticket=c, acting_user=y, at=cat("2026-10-10 12:00"))
    lifecycle.complaint_appeal(ticket=c, acting_user=y, note="对校验结果不认可", at=cat("2026-10-11 09:00"))
    deadlines_sweep()


@pytest.fixture
def campaign_with_data(world, calendar):
    return campaign_data(world)


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


__all__ = ["campaign_data", "date", "pdf_fonts", "pdf_text"]
