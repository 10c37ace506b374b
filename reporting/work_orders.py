"""Figures of the records utilities push with their history (issue 12), for the dashboard and the bulletins:
connection applications (业扩报装) and meter requests (complaints app), arrears cases (outages app). Each is
the on-time rate per utility of the record kind's catalogue deadlines (`portal.tracking.on_time_by_utility`),
plus the 获得电力 averages per utility; every figure links to the list of the records behind it."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import InspectionDue
from complaints.connection_selectors import getting_electricity_by_utility
from complaints.models import ConnectionApplication, MeterRequest
from outages.models import ArrearsCase
from portal.tracking import on_time_by_utility
from reporting.tables import Table

# (key, title, model, the list page of its records, the dashboard chart's title)
KINDS = [
    (
        "connection",
        gettext_lazy("Connection applications (业扩报装)"),
        ConnectionApplication,
        "complaints:connection-list",
        gettext_lazy("Connection applications: on-time rate by utility (lowest first)"),
    ),
    (
        "meter",
        gettext_lazy("Meter tests and abnormal readings"),
        MeterRequest,
        "complaints:meter-list",
        gettext_lazy("Meter tests and abnormal readings: on-time rate by utility (lowest first)"),
    ),
    (
        "arrears",
        gettext_lazy("Arrears reminders, notices and reconnection"),
        ArrearsCase,
        "outages:arrears-list",
        gettext_lazy("Arrears cases: on-time rate by utility (lowest first)"),
    ),
    # Issue 12, item 4: large customers' inspections (cycles and spring/autumn windows, seed 002 第十九条).
    (
        "large_customer",
        gettext_lazy("Large-customer inspections (cycles, spring and autumn)"),
        InspectionDue,
        "campaigns:large-customers",
        gettext_lazy("Large-customer inspections: on-time rate by utility (lowest first)"),
    ),
]


def rates(model, *, user=None, utility_ids=None, lo: datetime | None = None, hi: datetime | None = None) -> list:
    records = model.objects.visible_to(user) if user is not None else None
    return on_time_by_utility(model, records, utility_ids=utility_ids, lo=lo, hi=hi)


def drill_down(list_name: str, utility_pk: int, *, late: bool = False) -> str:
    return f"{reverse(list_name)}?utility={utility_pk}" + ("&late=1" if late else "")


def chart(user, key: str, lo=None, hi=None, limit: int = 15) -> dict:
    """An hbar payload: the on-time rate per utility (lowest first), each bar linking to its records."""
    _k, _title, model, list_name, _chart = next(k for k in KINDS if k[0] == key)
    rows = [r for r in rates(model, user=user, lo=lo, hi=hi) if r["judged"]]
    rows.sort(key=lambda r: (r["rate"], r["utility"].code))
    rows = rows[:limit]
    return {
        "max": 100,
        "categories": [r["utility"].name for r in rows],
        "series": [
            {
                "name": str(_("On-time rate (%)")),
                "data": [float(r["rate"]) for r in rows],
                "urls": [drill_down(list_name, r["utility"].pk) for r in rows],
            }
        ],
    }


def timeliness_table(key: str, title, rows: list[dict]) -> Table:
    table = Table(
        f"{key}_timeliness",
        str(title),
        [
            (_("Utility"), "text"),
            (_("Deadlines judged"), "int"),
            (_("Met on time"), "int"),
            (_("Met late"), "int"),
            (_("Overdue"), "int"),
            (_("On-time rate"), "percent"),
        ],
    )
    for r in rows:
        rate = float(r["rate"]) if r["rate"] is not None else None
        table.rows.append([r["utility"].name, r["judged"], r["met"], r["late"], r["overdue"], rate])
    return table


def getting_electricity_table(utility_ids: list[int], lo: datetime, hi: datetime) -> Table:
    apps = ConnectionApplication.objects.filter(utility_id__in=utility_ids, powered_at__gte=lo, powered_at__lt=hi)
    table = Table(
        "getting_electricity",
        _("Getting electricity (获得电力): average working days from application to power-on"),
        [
            (_("Utility"), "text"),
            (_("Powered on"), "int"),
            (_("Residential average (≤ 22)"), "text"),
            (_("Residential over 22"), "int"),
            (_("Small/micro business average (≤ 25)"), "text"),
        ],
    )
    for r in getting_electricity_by_utility(apps):
        table.rows.append(
            [
                r["utility"].name,
                r["powered"],
                str(r["residential_average"] or "—"),
                r["residential_over"],
                str(r["small_micro_average"] or "—") + (" ▲" if r["small_micro_over_target"] else ""),
            ]
        )
    return table


def bulletin_sections(content, utility_ids: list[int], lo: datetime, hi: datetime) -> list[dict]:
    """The bulletin's tables of the three kinds (deadlines due in the period) and the 获得电力 averages
    (applications powered on in the period); returns what the template lists."""
    sections = []
    for key, title, model, _list, _chart in KINDS:
        rows = rates(model, utility_ids=utility_ids, lo=lo, hi=hi)
        table = content.add(timeliness_table(key, title, rows))
        sections.append({"key": key, "title": str(title), "table": table, "any": any(r["judged"] for r in rows)})
    content.add(getting_electricity_table(utility_ids, lo, hi))
    return sections
