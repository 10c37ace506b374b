"""Reads of connection applications: 获得电力 averages per utility and on-time rates per utility (for the
pages, the dashboard and the bulletin — `reporting` reads these)."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from complaints.connection_choices import (
    GETTING_RESIDENTIAL_RULE,
    GETTING_SMALL_BUSINESS_RULE,
    CustomerClass,
)
from complaints.models import ConnectionApplication
from portal.models import Organisation, Rule, TrackedDeadline
from portal.tracking import on_time_by_utility  # noqa: F401 - the pages and reporting read it from here

TWO = Decimal("0.01")


def _avg(total: int, n: int) -> Decimal | None:
    return (Decimal(total) / Decimal(n)).quantize(TWO, ROUND_HALF_UP) if n else None


def _target(code: str) -> int | None:
    rule = Rule.objects.filter(code=code, jurisdiction__isnull=True, is_active=True).order_by("-effective_from").first()
    return rule.value if rule else None


def getting_electricity_by_utility(applications) -> list[dict]:
    """Per utility, of the applications powered on in `applications`: how many, their 获得电力 average in
    working days (all, residential, small/micro business) against the catalogue's targets (22 / 25 WD), and
    how many residential connections took longer than 22."""
    res_target, small_target = _target(GETTING_RESIDENTIAL_RULE), _target(GETTING_SMALL_BUSINESS_RULE)
    rows = (
        applications.filter(powered_at__isnull=False, working_days__isnull=False)
        .order_by()
        .values("utility_id", "customer_class")
        .annotate(n=Count("id"), total=Sum("working_days"))
    )
    over = dict(
        applications.filter(customer_class=CustomerClass.RESIDENTIAL, working_days__gt=res_target or 0)
        .order_by()
        .values("utility_id")
        .annotate(n=Count("id"))
        .values_list("utility_id", "n")
    )
    acc: dict[int, dict] = defaultdict(
        lambda: {"n": 0, "total": 0, "res_n": 0, "res_total": 0, "sm_n": 0, "sm_total": 0}
    )
    for r in rows:
        a = acc[r["utility_id"]]
        a["n"] += r["n"]
        a["total"] += r["total"]
        if r["customer_class"] == CustomerClass.RESIDENTIAL:
            a["res_n"], a["res_total"] = a["res_n"] + r["n"], a["res_total"] + r["total"]
        elif r["customer_class"] == CustomerClass.SMALL_MICRO:
            a["sm_n"], a["sm_total"] = a["sm_n"] + r["n"], a["sm_total"] + r["total"]
    orgs = Organisation.objects.in_bulk(list(acc))
    out = []
    for uid, a in acc.items():
        small_avg = _avg(a["sm_total"], a["sm_n"])
        out.append(
            {
                "utility": orgs[uid],
                "powered": a["n"],
                "average": _avg(a["total"], a["n"]),
                "residential": a["res_n"],
                "residential_average": _avg(a["res_total"], a["res_n"]),
                "residential_target": res_target,
                "residential_over": over.get(uid, 0),
                "small_micro": a["sm_n"],
                "small_micro_average": small_avg,
                "small_micro_target": small_target,
                "small_micro_over_target": small_avg is not None
                and small_target is not None
                and small_avg > small_target,
            }
        )
    return sorted(out, key=lambda r: r["utility"].code)


def connection_deadline_rows(app: ConnectionApplication):
    return TrackedDeadline.objects.for_object(app).select_related("rule").order_by("start", "code")
