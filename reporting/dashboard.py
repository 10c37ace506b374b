"""Dashboard aggregates (regulators and utilities): one GROUP BY each, scoped by `visible_to`.

Every figure carries, per bar, the URL of the filtered list behind it, so a click on the chart
lands on exactly the records counted (same FilterSet parameters as the lists).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Max, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.choices import RectificationStatus, ReportStatus
from campaigns.models import Campaign
from campaigns.selectors import (
    rectification_completion_by_utility,
    rectification_counts_by_status,
    report_counts_by_status,
)
from complaints.choices import Category, Channel
from outages.choices import ComplianceState, OutageKind
from outages.selectors import notice_counts_by_kind_and_state, utilities_with_most_violations
from reporting import work_orders
from reporting.models import ComplaintMonthStat
from reporting.selectors import STATE_ORDER, local_range


@dataclass
class Filters:
    campaign: Campaign | None = None
    start: date | None = None
    end: date | None = None


def _url(name: str, **params) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{reverse(name)}?{urlencode(clean)}" if clean else reverse(name)


def _window(f: Filters) -> dict:
    lo, hi = local_range(f.start or date(2000, 1, 1), f.end or date(2100, 12, 31))
    return {"lo": lo if f.start else None, "hi": hi if f.end else None}


def _time_params(f: Filters) -> dict:
    lo, hi = local_range(f.start or date(2000, 1, 1), f.end or date(2100, 12, 31))
    return {
        "start_after": lo.isoformat() if f.start else None,
        "start_before": hi.isoformat() if f.end else None,
    }


def outages_by_kind(user, f: Filters) -> dict:
    """Notices per kind and compliance state (one grouped query)."""
    rows = notice_counts_by_kind_and_state(user, **_window(f))
    kinds = list(OutageKind)
    tp = _time_params(f)
    return {
        "categories": [str(k.label) for k in kinds],
        "series": [
            {
                "name": str(s.label),
                "state": s.value,
                "data": [rows.get((k.value, s.value), 0) for k in kinds],
                "urls": [_url("outages:list", kind=k.value, compliance=s.value, **tp) for k in kinds],
            }
            for s in STATE_ORDER
        ],
    }


def outage_violations_by_utility(user, f: Filters, limit: int = 15) -> dict:
    """The utilities with the most notices in violation (one grouped query)."""
    rows = utilities_with_most_violations(user, limit=limit, **_window(f))
    tp = _time_params(f)
    return {
        "categories": [r["utility__name"] for r in rows],
        "series": [
            {
                "name": str(_("Notices in violation")),
                "data": [r["n"] for r in rows],
                "urls": [
                    _url("outages:list", utility=r["utility__code"], compliance=ComplianceState.VIOLATION, **tp)
                    for r in rows
                ],
            }
        ],
    }


def self_check_status(user, f: Filters) -> dict:
    counts = report_counts_by_status(user, campaign=f.campaign)
    code = f.campaign.code if f.campaign else None
    states = list(ReportStatus)
    return {
        "categories": [str(s.label) for s in states],
        "series": [
            {
                "name": str(_("Self-check reports")),
                "data": [counts.get(s.value, 0) for s in states],
                "urls": [_url("campaigns:reports", status=s.value, campaign=code) for s in states],
            }
        ],
    }


def rectification_status(user, f: Filters) -> dict:
    counts = rectification_counts_by_status(user, campaign=f.campaign)
    code = f.campaign.code if f.campaign else None
    states = list(RectificationStatus)
    return {
        "categories": [str(s.label) for s in states],
        "series": [
            {
                "name": str(_("Rectification items")),
                "data": [counts.get(s.value, 0) for s in states],
                "urls": [_url("campaigns:rectification-list", status=s.value, campaign=code) for s in states],
            }
        ],
    }


def rectification_by_utility(user, f: Filters, limit: int = 15) -> dict:
    """Completion per utility (verified / all items), the lowest first (one grouped query)."""
    rows = rectification_completion_by_utility(user, campaign=f.campaign)
    rows.sort(key=lambda r: (r["rate"], r["utility__code"]))
    rows = rows[:limit]
    code = f.campaign.code if f.campaign else None
    return {
        "max": 100,
        "categories": [r["utility__name"] for r in rows],
        "series": [
            {
                "name": str(_("Completion rate (%)")),
                "data": [r["rate"] for r in rows],
                "urls": [_url("campaigns:rectification-list", utility=r["utility__code"], campaign=code) for r in rows],
            }
        ],
    }


def _stats(user, f: Filters):
    """The monthly complaint figures the user may see, within the filter's months."""
    qs = ComplaintMonthStat.objects.visible_to(user).order_by()
    if f.start:
        qs = qs.filter(month__gte=f.start.replace(day=1))
    if f.end:
        qs = qs.filter(month__lte=f.end.replace(day=1))
    return qs


def _received_params(f: Filters) -> dict:
    lo, hi = local_range(f.start or date(2000, 1, 1), f.end or date(2100, 12, 31))
    return {
        "received_after": lo.isoformat() if f.start else None,
        "received_before": hi.isoformat() if f.end else None,
    }


def _reply_due_params(f: Filters) -> dict:
    return {f"reply_due_{k.removeprefix('received_')}": v for k, v in _received_params(f).items()}


def _complaints_by(user, f: Filters, field: str, choices) -> dict:
    """Tickets received per value of `field` (every choice shown, zeros too), each bar linked to its list."""
    counts = {r[field]: r["n"] for r in _stats(user, f).values(field).annotate(n=Sum("received"))}
    rp = _received_params(f)
    items = list(choices)
    return {
        "categories": [str(c.label) for c in items],
        "series": [
            {
                "name": str(_("Tickets")),
                "data": [counts.get(c.value) or 0 for c in items],
                "urls": [_url("complaints:list", **{field: c.value}, **rp) for c in items],
            }
        ],
    }


def complaints_by_channel(user, f: Filters) -> dict:
    return _complaints_by(user, f, "channel", Channel)


def complaints_by_category(user, f: Filters) -> dict:
    return _complaints_by(user, f, "category", Category)


def complaints_by_month(user, f: Filters) -> dict:
    """Tickets received per month (Asia/Shanghai months), the last 24 in the filter."""
    months = [
        (r["month"], r["n"])
        for r in _stats(user, f).values("month").annotate(n=Sum("received")).order_by("month")
        if r["n"]
    ][-24:]
    urls = []
    for m, _n in months:
        nxt = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
        lo, hi = local_range(m, nxt - timedelta(days=1))
        urls.append(_url("complaints:list", received_after=lo.isoformat(), received_before=hi.isoformat()))
    return {
        "categories": [f"{m:%Y-%m}" for m, _n in months],
        "series": [{"name": str(_("Tickets")), "data": [n for _m, n in months], "urls": urls}],
    }


def complaint_on_time_by_utility(user, f: Filters, limit: int = 15) -> dict:
    """Replied on time / reply due, per utility, of the months in the filter (lowest first)."""
    rows = [
        r
        for r in _stats(user, f)
        .values("utility__code", "utility__name")
        .annotate(due_n=Sum("due"), ok=Sum("on_time"))
        .order_by("utility__code")
        if r["due_n"]
    ]
    for r in rows:
        r["rate"] = round(100.0 * r["ok"] / r["due_n"], 1)
    rows.sort(key=lambda r: (r["rate"], r["utility__code"]))
    rows = rows[:limit]
    return {
        "max": 100,
        "categories": [r["utility__name"] for r in rows],
        "series": [
            {
                "name": str(_("On-time closure rate (%)")),
                "data": [r["rate"] for r in rows],
                # The list behind a bar: the utility's tickets whose reply fell due in the months shown.
                "urls": [_url("complaints:list", utility=r["utility__code"], **_reply_due_params(f)) for r in rows],
            }
        ],
    }


def complaint_stats_as_of(user):
    return ComplaintMonthStat.objects.aggregate(at=Max("refreshed_at"))["at"]


CHARTS = [
    ("complaints_channel", _("Complaint tickets by channel"), complaints_by_channel, "bar"),
    ("complaints_category", _("Complaint tickets by category"), complaints_by_category, "bar"),
    ("complaints_month", _("Complaint tickets by month"), complaints_by_month, "bar"),
    ("complaints_on_time", _("On-time closure rate by utility (lowest first)"), complaint_on_time_by_utility, "hbar"),
    ("outages_by_kind", _("Outage notices by kind and compliance"), outages_by_kind, "stack"),
    ("outage_violations", _("Utilities with the most notices in violation"), outage_violations_by_utility, "hbar"),
    ("self_check", _("Self-check reports by status"), self_check_status, "bar"),
    ("rectification", _("Rectification items by status"), rectification_status, "bar"),
    (
        "rectification_utility",
        _("Rectification completion by utility (lowest first)"),
        rectification_by_utility,
        "hbar",
    ),
]


def _work_order_chart(key: str):
    """Issue 12: the on-time rate per utility of a pushed record kind (deadlines due in the filter's window)."""

    def figure(user, f: Filters) -> dict:
        return work_orders.chart(user, key, **_window(f))

    return figure


CHARTS += [
    (f"{key}_on_time", chart_title, _work_order_chart(key), "hbar")
    for key, _title, _model, _list, chart_title in work_orders.KINDS
]


def dashboard_data(user, f: Filters) -> list[dict]:
    """Every chart: its payload for ECharts (read by static/reporting/dashboard.js from a
    json_script element) and the same figures as table rows with their links."""
    out = []
    for key, title, fn, kind in CHARTS:
        payload = {"key": key, "title": str(title), "type": kind, **fn(user, f)}
        rows = [
            {
                "label": label,
                "cells": [{"name": s["name"], "value": s["data"][i], "url": s["urls"][i]} for s in payload["series"]],
            }
            for i, label in enumerate(payload["categories"])
        ]
        out.append({"key": key, "title": str(title), "dom_id": f"data-{key}", "payload": payload, "rows": rows})
    return out
