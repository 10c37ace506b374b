"""Benchmark of connection applications (业扩报装, issue 12): bulk intake rate and sweep time.

    DATABASE_URL=sqlite:////tmp/bench_connections.sqlite3 .venv/bin/python bench/connections.py --total 100000
    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_connections \\
        .venv/bin/python bench/connections.py --total 1000000

Default database: a SQLite file in the system's temp folder (never the project's or the test database). Prints:
  1. bulk REST intake rate: --total applications with their original instants pushed through
     POST /api/v1/connections/bulk/ in calls of --batch (validated, keys checked, clocks computed from the
     catalogue — scheme reply, power-on, 获得电力 — deadlines inserted met / met late / open, the violations of
     late steps recorded, history rows written);
  2. the same push again: every item `unchanged`, nothing written (its rate too);
  3. sweep time: the shared `deadlines_sweep` over the open deadlines of the still-open applications (those
     past due become overdue, one violation each);
  4. the per-utility 获得电力 averages query time, and peak memory.
With --fill N (PostgreSQL), the table is first topped up to N applications set-based in SQL (generate_series):
residential applications of the last 600 days, three in four powered on, the open quarter with their two open
clocks (scheme reply, 获得电力) tracked, due as the rules' calendar days would put them (these filler rows are
not computed by the engine; the pushed ones are). The intake then runs against a table of that size and the
sweep walks its open deadlines.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'bench_connections.sqlite3'}")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from bench.common import check, peak_rss_mib  # noqa: E402
from complaints.connection_selectors import getting_electricity_by_utility  # noqa: E402
from complaints.models import ConnectionApplication  # noqa: E402
from portal.models import Organisation, TrackedDeadline, User, Violation  # noqa: E402
from portal.services import deadlines_sweep  # noqa: E402

SH = ZoneInfo("Asia/Shanghai")
CLASSES = ["residential"] * 5 + ["low_voltage", "small_micro", "small_micro", "hv_single", "hv_dual"]
CAPACITY = {"residential": 8, "low_voltage": 200, "small_micro": 100, "hv_single": 630, "hv_dual": 3150}


def items(total: int, utilities: list[str], seed: int = 12) -> list[dict]:
    """`total` applications of 2025–2026, three in four powered on, some late, one in four still open."""
    rng = random.Random(seed)
    base = datetime(2025, 1, 2, 9, tzinfo=SH)
    out = []
    for i in range(total):
        cls = rng.choice(CLASSES)
        applied = base + timedelta(minutes=rng.randint(0, 600 * 24 * 60))
        item = {
            "source": "营销系统",
            "external_id": f"BENCH-{i:08d}",
            "utility": rng.choice(utilities),
            "customer_class": cls,
            "capacity_kva": CAPACITY[cls],
            "applied_at": applied.isoformat(),
        }
        if rng.random() < 0.75:
            at = applied
            steps = ["powered_at"] if cls == "small_micro" else ["scheme_replied_at", "accepted_at", "powered_at"]
            for name in steps:
                at += timedelta(days=rng.choice([1, 2, 3, 4, 6, 9, 14]), hours=rng.randint(0, 6))
                item[name] = at.isoformat()
        out.append(item)
    return out


def fill(total: int, utility_ids: list[int]) -> None:
    """Top the table up to `total` applications, with the deadlines of the open ones, in SQL."""
    check(connection.vendor == "postgresql", "--fill runs on PostgreSQL")
    missing = total - ConnectionApplication.objects.count()
    if missing <= 0:
        return
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM django_content_type WHERE app_label='complaints' AND model='connectionapplication'")
        ct = cur.fetchone()[0]
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM complaints_connectionapplication")
        first = cur.fetchone()[0] + 1
        rules = {}
        for code in ("connection.scheme_reply.residential", "connection.getting_electricity.residential"):
            cur.execute(
                "SELECT id, title, source_class FROM portal_rule WHERE code = %s ORDER BY effective_from DESC", [code]
            )
            rules[code] = cur.fetchone()
        step = 200_000
        for lo in range(first, first + missing, step):
            hi = min(first + missing, lo + step) - 1
            cur.execute(
                """
                INSERT INTO complaints_connectionapplication (source, external_id, customer_name, address,
                    fingerprint, created_at, updated_at, utility_id, customer_class, capacity_kva,
                    affordable_housing, step_count, status, applied_at, scheme_replied_at, accepted_at, powered_at,
                    working_days)
                SELECT '营销系统', 'FILL-' || g, '', '', md5(g::text), now(), now(),
                    (%(utilities)s::bigint[])[1 + g %% %(nu)s], 'residential', 8, false, 4,
                    CASE WHEN g %% 4 = 0 THEN 'applied' ELSE 'powered' END,
                    now() - (g %% 600) * interval '1 day' - interval '20 days',
                    CASE WHEN g %% 4 = 0 THEN NULL ELSE now() - (g %% 600) * interval '1 day' - interval '17 days' END,
                    CASE WHEN g %% 4 = 0 THEN NULL ELSE now() - (g %% 600) * interval '1 day' - interval '12 days' END,
                    CASE WHEN g %% 4 = 0 THEN NULL ELSE now() - (g %% 600) * interval '1 day' - interval '10 days' END,
                    CASE WHEN g %% 4 = 0 THEN NULL ELSE 8 END
                FROM generate_series(%(lo)s, %(hi)s) AS g
                """,
                {"utilities": utility_ids, "nu": len(utility_ids), "lo": lo, "hi": hi},
            )
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM complaints_connectionapplication")
        last = cur.fetchone()[0]
        for code, days in (
            ("connection.scheme_reply.residential", 5),
            ("connection.getting_electricity.residential", 32),
        ):
            rule_id, title, source_class = rules[code]
            cur.execute(
                """
                INSERT INTO portal_trackeddeadline (content_type_id, object_id, utility_id, rule_id, code, label,
                    source_class, start, due, at_risk_at, remind_at, provisional, status, created_at)
                SELECT %(ct)s, a.id, a.utility_id, %(rule)s, %(code)s, %(title)s, %(class)s, a.applied_at,
                    a.applied_at + %(days)s * interval '1 day', NULL,
                    a.applied_at + %(days)s * interval '0.8 day', false, 'open', now()
                FROM complaints_connectionapplication a
                WHERE a.id BETWEEN %(first)s AND %(last)s AND a.status = 'applied'
                """,
                {
                    "ct": ct,
                    "rule": rule_id,
                    "code": code,
                    "title": title,
                    "class": source_class,
                    "days": days,
                    "first": first,
                    "last": last,
                },
            )
        cur.execute("ANALYZE complaints_connectionapplication")
        cur.execute("ANALYZE portal_trackeddeadline")
    print(f"fill: {missing:,} applications in SQL, {time.perf_counter() - t0:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--total", type=int, default=100_000, help="applications to push (default 100,000)")
    parser.add_argument("--batch", type=int, default=1000, help="applications per bulk call (at most 1,000)")
    parser.add_argument("--fill", type=int, default=0, help="top the table up to this many applications in SQL first")
    args = parser.parse_args()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    call_command("seed_calendar", verbosity=0)
    from portal import demo

    demo.load()
    ConnectionApplication.objects.filter(external_id__startswith="BENCH-").delete()  # a clean push each run
    writer = User.objects.get(username="sys_95598_sd")
    codes = list(
        Organisation.objects.filter(code__startswith="SGCC-SD", level__in=["city", "county"])
        .utilities()
        .values_list("code", flat=True)
    )
    if args.fill:
        fill(args.fill, list(Organisation.objects.filter(code__in=codes).values_list("pk", flat=True)))
    client = APIClient()
    client.force_authenticate(writer)
    data = items(args.total, codes)
    print(f"database: {connection.vendor}  applications: {args.total:,}  utilities: {len(codes)}")

    def push(expect: str) -> float:
        t0 = time.perf_counter()
        for lo in range(0, len(data), args.batch):
            r = client.post("/api/v1/connections/bulk/", {"items": data[lo : lo + args.batch]}, format="json")
            check(r.status_code == 200, r.content[:200])
            check(r.json()["counts"][expect] == len(data[lo : lo + args.batch]), r.json()["counts"])
        return time.perf_counter() - t0

    took = push("created")
    deadlines = TrackedDeadline.objects.filter(content_type__model="connectionapplication").count()
    violations = Violation.objects.filter(code__startswith="connection.").count()
    print(
        f"1. bulk intake: {took:.1f} s, {args.total / took:,.0f} applications/s ({deadlines:,} deadlines, "
        f"{violations:,} violations of late steps)"
    )
    took = push("unchanged")
    check(ConnectionApplication.objects.filter(external_id__startswith="BENCH-").count() == args.total, "once")
    print(f"2. second push (all unchanged): {took:.1f} s, {args.total / took:,.0f} applications/s")
    t0 = time.perf_counter()
    counts = deadlines_sweep()
    took = time.perf_counter() - t0
    print(f"3. sweep: {took:.2f} s ({counts['overdue']:,} newly overdue, {counts['violations']:,} violations)")
    t0 = time.perf_counter()
    again = deadlines_sweep()
    print(f"   sweep again (nothing new): {time.perf_counter() - t0:.2f} s ({again['overdue']} overdue)")
    t0 = time.perf_counter()
    rows = getting_electricity_by_utility(ConnectionApplication.objects.all())
    print(
        f"4. 获得电力 averages of {len(rows)} utilities: {time.perf_counter() - t0:.2f} s; "
        f"peak memory {peak_rss_mib():,.0f} MiB"
    )


if __name__ == "__main__":
    main()
