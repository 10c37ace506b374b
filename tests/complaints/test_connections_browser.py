"""In a real browser: the connection applications list with its 获得电力 and on-time figures, an application's
page and a step taken from its form; the meter and arrears pages; the dashboard's new charts. Screenshots go to
test-artifacts/issue12/."""

from pathlib import Path

import pytest

from complaints.connections import connections_intake
from complaints.meters import meters_intake
from outages.arrears import arrears_intake
from portal.services import deadlines_sweep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "issue12"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _push(world):
    system = world.user("system_x")
    base = {"source": "营销系统", "utility": "T-X-C-K", "customer_class": "residential", "capacity_kva": "8"}
    items = [
        base
        | {
            "external_id": "YK-OK",
            "customer_name": "李秀英",
            "applied_at": "2026-03-02T10:00:00+08:00",
            "scheme_replied_at": "2026-03-04T10:00:00+08:00",
            "accepted_at": "2026-03-10T10:00:00+08:00",
            "powered_at": "2026-03-12T10:00:00+08:00",
            "affordable_housing": True,
        },
        base
        | {
            "external_id": "YK-LATE",
            "customer_name": "王建国",
            "applied_at": "2026-03-02T10:00:00+08:00",
            "scheme_replied_at": "2026-03-09T10:00:00+08:00",
            "accepted_at": "2026-03-20T10:00:00+08:00",
            "powered_at": "2026-04-10T10:00:00+08:00",
        },
        base
        | {
            "external_id": "YK-OPEN",
            "customer_name": "泰山茶社",
            "customer_class": "small_micro",
            "capacity_kva": "100",
            "applied_at": "2026-11-20T10:00:00+08:00",
        },
    ]
    connections_intake(items=items, acting_user=system)
    meters_intake(
        items=[
            {
                "source": "营销系统",
                "external_id": "JL-1",
                "utility": "T-X-C-K",
                "kind": "电能表校验",
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
                "external_id": "QF-1",
                "utility": "T-X-C-K",
                "amount_yuan": "386.40",
                "overdue_since": "2026-03-01T00:00:00+08:00",
                "reminders": ["2026-03-26T09:00:00+08:00"],
                "notice_delivered_at": "2026-03-26T10:00:00+08:00",
                "announced_cut_at": "2026-03-31T09:00:00+08:00",
                "disconnected_at": "2026-03-30T16:00:00+08:00",
            }
        ],
        acting_user=system,
    )
    deadlines_sweep()


def test_pages_figures_and_a_step(world, calendar, browser_as):
    _push(world)
    page = browser_as(world.user("manager_x"))
    page.goto(f"{page.base}/complaints/connections/")
    assert "国网汶源县供电公司\t2\t18.00" in page.inner_text("#getting-electricity")
    assert page.locator(".connection-row").count() == 3
    _shot(page, "01-connections-list")
    page.click("text=YK-OPEN")
    page.wait_for_selector("#connection-title")
    page.fill("#id_power_on_at", "2026-11-30T10:00")
    page.click("button[name=submit-power_on]")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("#connection-status") == "已装表接电"
    _shot(page, "02-connection-detail-after-power-on")
    page.goto(f"{page.base}/complaints/connections/")
    page.click("#getting-electricity a >> nth=0")
    page.wait_for_selector("#connection-table")
    _shot(page, "03-connections-drill-down")
    page.goto(f"{page.base}/complaints/meters/")
    assert "超出允许误差" in page.inner_text("#meter-table")
    _shot(page, "04-meters-list")
    page.goto(f"{page.base}/outages/arrears/")
    page.click("text=QF-1")
    page.wait_for_selector("#arrears-title")
    assert "arrears.disconnection.as_announced" in page.inner_text("#violations")
    _shot(page, "05-arrears-detail")
    regulator = browser_as(world.user("reg_staff_a"))
    regulator.goto(f"{regulator.base}/reports/dashboard/")
    regulator.wait_for_selector("#data-connection_on_time", state="attached")
    _shot(regulator, "06-dashboard")
