"""Findings of the regulator's consumer review (消费者评议, seed 004), unannounced checks and complaints analysis
(issue 11), followed to verified closure through the same rectification workflow."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns import services
from campaigns.models import Finding, RectificationItem
from portal.services import deadlines_sweep
from tests.campaigns.factories import attach_evidence

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_a_consumer_review_finding_to_verified_closure(world, campaign):
    reg, sub = world.user("reg_admin_a"), world.user("submitter_x")
    with pytest.raises(PermissionDenied):
        services.finding_add(
            campaign=campaign, utility=world.county_x, source="consumer_review", text="x", acting_user=sub
        )
    with pytest.raises(ValidationError):  # a utility outside the scope
        services.finding_add(
            campaign=campaign, utility=world.company_b, source="consumer_review", text="x", acting_user=reg
        )
    with pytest.raises(ValidationError):  # not a review source
        services.finding_add(campaign=campaign, utility=world.county_x, source="self_check", text="x", acting_user=reg)
    finding = services.finding_add(
        campaign=campaign,
        utility=world.county_x,
        source="consumer_review",
        text="消费者评议反映：农村供电所营业时间不固定，办电须多次往返。",
        acting_user=reg,
    )
    assert finding.source == "consumer_review" and finding.number == 1
    item = services.rectification_add(
        finding=finding,
        measure="统一农村供电所营业时间并公示，推行办电一次性告知。",
        department="营销部",
        person="韦立群",
        due_date=date(2026, 9, 30),
        acting_user=reg,
    )
    deadlines_sweep(now=datetime(2026, 10, 2, 9, tzinfo=SH))
    deadlines_sweep(now=datetime(2026, 10, 10, 9, tzinfo=SH))  # the 7-day re-notice fell due: re-notified again
    item.refresh_from_db()
    assert item.status == "overdue" and item.renotice_count == 2
    attach_evidence(item, sub)
    services.rectification_transition(item=item, to="done_pending_verification", acting_user=sub, note="已公示")
    services.rectification_transition(item=item, to="verified", acting_user=reg, note="暗访核实")
    assert RectificationItem.objects.get(pk=item.pk).status == "verified"


def test_page_and_api(world, campaign, client_for, api):
    reg = client_for(world.user("reg_admin_a"))
    reg.post(
        f"/campaigns/{campaign.pk}/findings/",
        {"source": "unannounced_check", "utility": world.county_x.pk, "text": "暗访发现营业厅未公示收费标准。"},
    )
    assert Finding.objects.get().source == "unannounced_check"
    assert "暗访发现" in reg.get(f"/campaigns/{campaign.pk}/").content.decode()
    r = api(world.user("reg_admin_a")).post(
        "/api/v1/campaign-findings/",
        {
            "campaign": "T-2026",
            "utility": "T-X-C-K",
            "source": "complaints_analysis",
            "text": "投诉分析：计量争议集中。",
        },
        format="json",
    )
    assert r.status_code == 201 and r.json()["source"] == "complaints_analysis"
    r = api(world.user("reg_admin_a")).post(
        "/api/v1/campaign-findings/",
        {"campaign": "T-2026", "utility": "T-B", "source": "complaints_analysis", "text": "x"},
        format="json",
    )
    assert r.status_code == 400
