"""Issue 12 in the dashboard and the monthly bulletin: the on-time rate per utility of connection
applications, meter requests and arrears cases, each bar leading to the records it counts."""

from datetime import date

import pytest

from complaints.connections import connections_intake
from complaints.meters import meters_intake
from outages.arrears import arrears_intake
from portal.services import deadlines_sweep
from reporting.kinds.campaign_special import build_campaign_special
from reporting.kinds.complaint_bulletin import build_complaint_bulletin
from tests.campaigns.factories import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def pushed(world, calendar):
    system = world.user("system_x")
    base = {"source": "营销系统", "utility": "T-X-C-K", "customer_class": "residential", "capacity_kva": "8"}
    connections_intake(
        items=[
            # on time: 3 deadlines met
            base
            | {
                "external_id": "OK",
                "applied_at": "2026-03-02T10:00:00+08:00",
                "scheme_replied_at": "2026-03-04T10:00:00+08:00",
                "accepted_at": "2026-03-10T10:00:00+08:00",
                "powered_at": "2026-03-12T10:00:00+08:00",
            },
            # late scheme reply (1 late), the rest on time (2 met)
            base
            | {
                "external_id": "LATE",
                "applied_at": "2026-03-02T10:00:00+08:00",
                "scheme_replied_at": "2026-03-09T10:00:00+08:00",
                "accepted_at": "2026-03-10T10:00:00+08:00",
                "powered_at": "2026-03-12T10:00:00+08:00",
            },
        ],
        acting_user=system,
    )
    meters_intake(
        items=[
            {
                "source": "营销系统",
                "external_id": "M1",
                "utility": "T-X-C-K",
                "kind": "test",
                "requested_at": "2026-03-02T10:00:00+08:00",
                "answered_at": "2026-03-12T10:00:00+08:00",
                "within_tolerance": False,
                "error_percent": "3.1",
                "refund_yuan": "20",
            }
        ],
        acting_user=system,
    )
    arrears_intake(
        items=[
            {
                "source": "营销系统",
                "external_id": "A1",
                "utility": "T-X-C-K",
                "amount_yuan": "100",
                "overdue_since": "2026-03-01T00:00:00+08:00",
                "paid_at": "2026-03-20T10:00:00+08:00",
            }
        ],
        acting_user=system,
    )
    deadlines_sweep()


def test_dashboard_shows_the_on_time_rates_and_leads_to_the_records(world, pushed, client_for):
    client = client_for(world.user("reg_staff_a"))
    r = client.get("/reports/dashboard/")
    charts = {c["key"]: c["payload"] for c in r.context["charts"]}
    conn = charts["connection_on_time"]
    assert conn["categories"] == ["国网汶源县供电公司"] and conn["series"][0]["data"] == [83.3]  # 5 of 6
    assert charts["meter_on_time"]["series"][0]["data"] == [0.0]
    assert charts["arrears_on_time"]["series"][0]["data"] == []  # paid before any reminder was owed
    listed = client.get(conn["series"][0]["urls"][0]).content.decode()
    assert "LATE" in listed and ">OK<" in listed
    late_only = client.get(conn["series"][0]["urls"][0] + "&late=1").content.decode()
    assert "LATE" in late_only and ">OK<" not in late_only
    other = client_for(world.user("reg_staff_b")).get("/reports/dashboard/")
    assert {c["key"]: c["payload"] for c in other.context["charts"]}["connection_on_time"]["categories"] == []


def test_the_monthly_bulletin_has_the_new_sections(world, pushed):
    content = build_complaint_bulletin(office=world.office_a, start=date(2026, 3, 1), end=date(2026, 3, 31))
    tables = content.tables
    # Deadlines due in March: the scheme replies and power-ons (the 获得电力 ones fall due on 04-01).
    assert tables["connection_timeliness"].rows == [["国网汶源县供电公司", 4, 3, 1, 0, 75.0]]
    assert tables["meter_timeliness"].rows == [["国网汶源县供电公司", 1, 0, 1, 0, 0.0]]
    assert tables["getting_electricity"].rows == [["国网汶源县供电公司", 2, "8.00", 0, "—"]]
    assert [s["key"] for s in content.context["work_orders"]] == ["connection", "meter", "arrears", "large_customer"]
    elsewhere = build_complaint_bulletin(office=world.office_b, start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert elsewhere.tables["connection_timeliness"].rows == []


def test_the_special_report_has_them_for_the_campaigns_scope_and_window(world, pushed):
    campaign = make_campaign(world, start=date(2026, 3, 1), end=date(2026, 3, 31))
    content = build_campaign_special(campaign=campaign)
    assert content.tables["connection_timeliness"].rows == [["国网汶源县供电公司", 4, 3, 1, 0, 75.0]]
    assert content.tables["getting_electricity"].rows == [["国网汶源县供电公司", 2, "8.00", 0, "—"]]
    assert [s["key"] for s in content.context["work_orders"]] == ["connection", "meter", "arrears", "large_customer"]
    outside = make_campaign(world, code="T-2026-B", start=date(2026, 3, 1), end=date(2026, 3, 31), scope=False)
    assert build_campaign_special(campaign=outside).tables["connection_timeliness"].rows == []
