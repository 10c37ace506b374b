"""Targets as data (issue 11): seed 000's 2011 self-check figures judged against the commitments shipped by the
migration (城市地区供电可靠率不低于99.9%, 居民客户端电压合格率不低于96%) and a province's own target; shown on the
report page, per campaign and in the special report with voltage classes A–D."""

import importlib
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.utils import translation

from campaigns import services
from campaigns.models import Target
from campaigns.selectors import campaign_target_summary, judge_report
from campaigns.targets import DATA
from reporting.kinds.campaign_special import build_campaign_special
from reporting.render import render_html
from tests.campaigns.factories import filled_report, make_campaign
from tests.complaints.factories import ComplaintFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")

# Seed 000's sample reports, indicators of 2011 (campaigns/data/self_check_sample.json).
WENYUAN_2011 = {
    "reliability_urban": "99.96",
    "reliability_rural": "99.81",
    "voltage_overall": "98.98",
    "voltage_a": "99.98",
    "voltage_b": "98.62",
    "voltage_c": "98.95",
    "voltage_d": "96.38",
}
YIDONG_2011 = {
    "reliability_urban": "99.93",
    "reliability_rural": "99.74",
    "voltage_overall": "98.70",
    "voltage_a": "99.91",
    "voltage_b": "98.10",
    "voltage_c": "98.47",
    "voltage_d": "95.88",
}
PERIOD = {"period_start": date(2011, 1, 1), "period_end": date(2012, 4, 30), "indicator_year": 2011}


def test_the_commitments_ship_with_the_migration(reference_data):
    """The migration's frozen snapshot is the data file, and loads the two commitments (idempotent)."""
    migration = importlib.import_module("campaigns.migrations.0004_target_catalogue")
    snapshot = Path(migration.__file__).with_name("targets_issue11.json")
    assert json.loads(snapshot.read_text(encoding="utf-8")) == json.loads(DATA.read_text(encoding="utf-8"))
    Target.objects.all().delete()
    migration.load_targets(django_apps, None)
    migration.load_targets(django_apps, None)
    codes = dict(Target.objects.values_list("code", "value"))
    assert codes == {
        "sgcc.commitment.reliability.urban": Decimal("99.900"),
        "sgcc.commitment.voltage.residential": Decimal("96.000"),
    }


def test_seed_000_2011_self_check_judged_on_report_campaign_and_special_report(world, calendar, targets, client_for):
    campaign = make_campaign(world)
    # A province's own target: Shandong (county X) promises rural reliability of at least 99.85 %.
    Target.objects.create(
        code="sd.rural",
        title="山东省农村地区供电可靠率不低于99.85%",
        indicator="reliability_rural",
        value=Decimal("99.85"),
        source_class="commitment",
        province=world.county_x.province,
        valid_from=date(2010, 1, 1),
    )
    x = filled_report(world, campaign, **WENYUAN_2011, **PERIOD, complaints_12398=2)
    y = filled_report(world, campaign, utility=world.company_y, user=world.user("submitter_y"), **YIDONG_2011, **PERIOD)
    services.report_submit(report=x, acting_user=world.user("submitter_x"))
    services.report_submit(report=y, acting_user=world.user("submitter_y"))

    judged_x = {j.indicator: (j.met, j.margin) for j in judge_report(x)}
    assert judged_x == {
        "reliability_urban": (True, Decimal("0.060")),
        "reliability_rural": (False, Decimal("-0.040")),  # Shandong's own target
        "voltage_d": (True, Decimal("0.380")),
    }
    judged_y = {j.indicator: (j.met, j.margin) for j in judge_report(y)}
    assert judged_y == {"reliability_urban": (True, Decimal("0.030")), "voltage_d": (False, Decimal("-0.120"))}

    # The report page.
    reg = client_for(world.user("reg_admin_a"))
    html = reg.get(f"/campaigns/reports/{y.pk}/").content.decode()
    assert 'data-indicator="voltage_d" class="target-missed"' in html
    assert 'data-indicator="reliability_urban" class="target-met"' in html
    # Per campaign: who missed what.
    summary = {row["target"].code: row for row in campaign_target_summary(campaign)}
    assert summary["sgcc.commitment.voltage.residential"]["met"] == 1
    assert [m["utility"].code for m in summary["sgcc.commitment.voltage.residential"]["missed"]] == ["T-Y"]
    page = reg.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert 'id="target-summary"' in page and "-0.12" in page
    assert (
        'id="target-summary"'
        not in client_for(world.user("submitter_x")).get(f"/campaigns/{campaign.pk}/").content.decode()
    )

    # The portal holds 5 of county X's complaints from 2011 to April 2012 (one via 12398); one later, one inquiry.
    for when, channel, kind in [
        (datetime(2011, 3, 5, 9, tzinfo=SH), "95598", "complaint"),
        (datetime(2011, 6, 1, 9, tzinfo=SH), "12398", "complaint"),
        (datetime(2011, 8, 9, 9, tzinfo=SH), "95598", "complaint"),
        (datetime(2011, 12, 30, 9, tzinfo=SH), "95598", "complaint"),
        (datetime(2012, 4, 30, 20, tzinfo=SH), "95598", "complaint"),
        (datetime(2012, 5, 2, 9, tzinfo=SH), "95598", "complaint"),
        (datetime(2011, 5, 2, 9, tzinfo=SH), "95598", "inquiry"),
    ]:
        ComplaintFactory(utility=world.county_x, received_at=when, channel=channel, kind=kind)

    # The special report: classes A–D, and the same judgements.
    with translation.override("en"):
        content = build_campaign_special(campaign=campaign)
    classes = {r[0]: r[1:] for r in content.tables["voltage_classes"].rows}
    assert classes[world.company_y.name] == [Decimal(v) for v in ("98.70", "99.91", "98.10", "98.47", "95.88")]
    judged = {(r[0], r[1]): (str(r[4]), r[5]) for r in content.tables["targets"].rows}
    assert judged[(world.company_y.name, "居民客户端电压合格率不低于96%")] == ("missed", Decimal("-0.120"))
    assert judged[(world.county_x.name, "山东省农村地区供电可靠率不低于99.85%")] == ("missed", Decimal("-0.040"))
    assert judged[(world.county_x.name, "城市地区供电可靠率不低于99.9%")] == ("met", Decimal("0.060"))
    check = {r[0]: r for r in content.tables["complaint_check"].rows}
    # county X stated 7 complaints (2 via 12398); the portal holds 5 (1 via 12398): 2 more stated than held
    assert check[world.county_x.name][2:] == [7, 5, 2, 2, 1]
    rendered = render_html(content)  # in Chinese, as issued
    assert '<td class="num">95.88</td>' in rendered and "共有2项报告指标未达到目标值" in rendered


def test_the_complaint_check_counts_each_reports_subtree_and_period_in_a_few_queries(
    world, calendar, targets, django_assert_max_num_queries
):
    """A company's stated count is set against its whole subtree's tickets, a county's against its own, each in
    its report's period; the portal's counts cost one query per distinct period, not one per report."""
    from reporting.kinds.campaign_special import _tickets_held

    campaign = make_campaign(world)
    scope = [world.company_x, world.county_x, world.company_y]
    services.campaign_set_scope(campaign=campaign, organisations=scope, acting_user=world.user("reg_admin_a"))
    company = filled_report(world, campaign, utility=world.company_x, user=world.user("manager_x"), **PERIOD)
    county = filled_report(world, campaign, **PERIOD, complaints_12398=1)
    later = {"period_start": date(2012, 1, 1), "period_end": date(2012, 12, 31), "indicator_year": 2012}
    other = filled_report(world, campaign, utility=world.company_y, user=world.user("submitter_y"), **later)
    for utility, when, channel in [
        (world.county_x, datetime(2011, 3, 5, 9, tzinfo=SH), "95598"),
        (world.county_x, datetime(2011, 6, 1, 9, tzinfo=SH), "12398"),
        (world.city_x, datetime(2011, 7, 1, 9, tzinfo=SH), "95598"),
        (world.company_x, datetime(2011, 9, 1, 9, tzinfo=SH), "95598"),
        (world.company_x, datetime(2013, 1, 1, 9, tzinfo=SH), "95598"),  # after both periods
        (world.company_y, datetime(2011, 9, 1, 9, tzinfo=SH), "95598"),  # before Y's period
        (world.company_y, datetime(2012, 2, 1, 9, tzinfo=SH), "12398"),
    ]:
        ComplaintFactory(utility=utility, received_at=when, channel=channel, kind="complaint")
    with django_assert_max_num_queries(3):  # the subtrees' members, then one count for each of the two periods
        held = {r.utility.code: h for r, h in _tickets_held([company, county, other])}
    assert held == {
        "T-X": {"n": 4, "n12398": 1},
        "T-X-C-K": {"n": 2, "n12398": 1},
        "T-Y": {"n": 1, "n12398": 1},
    }
