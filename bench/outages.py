"""Benchmark of the outages app on PostgreSQL (database portal_outages, never the test database).

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_outages .venv/bin/python bench/outages.py

Measures, over a table of --total notices (default 100,000):
  1. intake rate through the REST bulk endpoint (--intake notices in calls of 1,000, each item
     judged, its violations recorded and its deadlines tracked, as in production);
  2. p50/p95 of the list API (cursor pages of 50, with and without filters);
  3. compliance re-evaluation of one utility's --reeval notices (default 10,000).
The rest of the table is generated set-based (bulk_create), not through the API, before the intake.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://portal:portal@127.0.0.1:5432/portal_outages")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from bench.common import check, percentile  # noqa: E402
from outages.choices import ComplianceState, NoticeStatus  # noqa: E402
from outages.evaluation import utility_reevaluate  # noqa: E402
from outages.models import OutageNotice  # noqa: E402
from portal.models import Organisation, TrackedDeadline, User, Violation  # noqa: E402

SH = ZoneInfo("Asia/Shanghai")
BASE = datetime(2026, 1, 5, 8, 0, tzinfo=SH)
KINDS = ["planned"] * 5 + ["temporary"] * 3 + ["restriction", "arrears"]
VILLAGES = ["东关村", "西关村", "南关社区", "北店村", "前营村", "后营村", "汶河小区", "滨河花园", "王庄村", "青河镇"]


def item(i: int, utility: str, prefix: str) -> dict:
    rnd = random.Random(i)
    kind = rnd.choice(KINDS)
    start = BASE + timedelta(hours=rnd.randrange(0, 24 * 300))
    lead = timedelta(hours=rnd.choice([200, 170, 167, 100, 30, 23, 12]))
    data = {
        "kind": kind,
        "external_id": f"{prefix}-{i:07d}",
        "utility": utility,
        "reason": "线路检修",
        "area": f"汶源县城关镇{rnd.choice(VILLAGES)}",
        "lines": f"10kV线路{rnd.randrange(1, 60)}",
        "start_at": start.isoformat(),
        "end_at": (start + timedelta(hours=rnd.choice([4, 8, 10]))).isoformat(),
        "published_at": (start - lead).isoformat(),
        "channels": ["sms", "95598"],
        "status": "scheduled",
    }
    if kind == "arrears":
        data.update(end_at=None, channels=["written"])
    return data


def rows(n: int, utilities: list[Organisation], prefix: str, offset: int = 0) -> list[OutageNotice]:
    out = []
    states = [ComplianceState.COMPLIANT] * 6 + [ComplianceState.BORDERLINE, ComplianceState.VIOLATION] * 2
    for i in range(offset, offset + n):
        d = item(i, "", prefix)
        out.append(
            OutageNotice(
                utility=utilities[i % len(utilities)],
                kind=d["kind"],
                external_id=d["external_id"],
                reason=d["reason"],
                area=d["area"],
                lines=d["lines"],
                start_at=datetime.fromisoformat(d["start_at"]),
                end_at=datetime.fromisoformat(d["end_at"]) if d["end_at"] else None,
                published_at=datetime.fromisoformat(d["published_at"]),
                channels=d["channels"],
                status=NoticeStatus.SCHEDULED,
                compliance_state=states[i % len(states)],
                compliance={},
            )
        )
    return out


def _world() -> None:
    """The demo organisations and the two accounts the benchmark uses. (portal's load_demo calls
    User.objects.update_or_create, whose SELECT … FOR UPDATE over the manager's outer join fails on
    PostgreSQL: reported to the lead; this avoids it.)"""
    from portal.demo import ORGANISATIONS
    from portal.models import Province

    call_command("seed_calendar", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    provinces = {p.code: p for p in Province.objects.all()}
    orgs: dict[str, Organisation] = {}
    for code, name, kind, level, parent, province, jurisdiction in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "level": level,
                "parent": orgs.get(parent),
                "province": provinces.get(province),
            },
        )
        org.jurisdiction.set([provinces[c] for c in jurisdiction])
        orgs[code] = org
    for username, org, role in (("sys_95598_sd", "SGCC-SD", "system"), ("nea_admin", "NEA", "regulator_admin")):
        if not User.objects.filter(username=username).exists():
            User.objects.create(username=username, organisation=orgs[org], role=role)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--intake", type=int, default=10_000)
    parser.add_argument("--reeval", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    check(connection.vendor == "postgresql", "run on PostgreSQL (DATABASE_URL)")
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the in-process API client's host
    print(f"database: {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    _world()
    # A clean table each run: the figures must not depend on the previous run.
    Violation.objects.filter(content_type__app_label="outages").delete()
    TrackedDeadline.objects.filter(content_type__app_label="outages").delete()
    OutageNotice.history.all().delete()
    OutageNotice.objects.all().delete()

    utilities = list(Organisation.objects.utilities().filter(province__code__in=["37", "13"]).order_by("code"))
    reeval_utility = Organisation.objects.get(code="SGCC-SD-QD-JB")
    others = [u for u in utilities if u.pk != reeval_utility.pk]
    system = User.objects.get(username="sys_95598_sd")
    client = APIClient()
    client.force_authenticate(system)

    # Set-based fill first, so the intake runs against a full table: the re-evaluated utility's share, the rest.
    t0 = time.perf_counter()
    OutageNotice.objects.bulk_create(rows(args.reeval, [reeval_utility], "RE"), batch_size=5000)
    rest = max(0, args.total - args.intake - args.reeval)
    for off in range(0, rest, 20000):
        OutageNotice.objects.bulk_create(rows(min(20000, rest - off), others, "GEN", off), batch_size=5000)
    fill_s = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute("ANALYZE outages_outagenotice")
    # 1. Intake through the bulk endpoint (Shandong utilities, the system account's subtree).
    sd_codes = [u.code for u in utilities if u.province.code == "37" and u.pk != reeval_utility.pk]
    batches, t0 = [], time.perf_counter()
    for start in range(0, args.intake, 1000):
        payload = [item(i, sd_codes[i % len(sd_codes)], "API") for i in range(start, min(args.intake, start + 1000))]
        t = time.perf_counter()
        r = client.post("/api/v1/outage-notices/bulk/", {"items": payload}, format="json")
        batches.append(time.perf_counter() - t)
        check(r.status_code == 200 and r.json()["counts"]["error"] == 0, str(r.json())[:500])
    intake_s = time.perf_counter() - t0
    # Retry of one batch: all unchanged (idempotency), measured too.
    t = time.perf_counter()
    r = client.post("/api/v1/outage-notices/bulk/", {"items": payload}, format="json")
    retry_s = time.perf_counter() - t
    check(r.json()["counts"]["unchanged"] == len(payload), "retry not idempotent")

    total = OutageNotice.objects.count()

    # 2. List API latency (a regulator of the national office sees everything).
    reader = APIClient()
    reader.force_authenticate(User.objects.get(username="nea_admin"))
    queries = [
        "",
        "?kind=temporary",
        "?compliance=violation",
        "?utility=SGCC-SD",
        "?utility=SGCC-SD-TA-WY&kind=planned",
        "?area=东关村",
        "?start_after=2026-06-01T00:00:00%2B08:00&start_before=2026-07-01T00:00:00%2B08:00",
        "?status=scheduled&compliance=borderline",
    ]
    timings: dict[str, list[float]] = {q: [] for q in queries}
    for n in range(args.requests):
        q = queries[n % len(queries)]
        t = time.perf_counter()
        r = reader.get("/api/v1/outage-notices/" + q)
        timings[q].append(time.perf_counter() - t)
        check(r.status_code == 200, q)
    every = [x for v in timings.values() for x in v]

    # 3. Re-evaluation of one utility's notices.
    t = time.perf_counter()
    done = utility_reevaluate(utility_id=reeval_utility.pk)
    reeval_s = time.perf_counter() - t

    print(f"notices in table: {total:,}")
    print(
        f"intake (REST bulk, {args.intake:,} notices in calls of 1,000): {args.intake / intake_s:,.0f} notices/s; "
        f"per call median {statistics.median(batches):.2f} s, p95 {percentile(batches, 0.95):.2f} s; "
        f"identical retry of 1,000: {retry_s:.2f} s"
    )
    print(f"set-based fill of {total - args.intake:,} rows: {fill_s:.1f} s")
    print(
        f"list API ({args.requests} requests, page 50): median {statistics.median(every) * 1000:.1f} ms, "
        f"p95 {percentile(every, 0.95) * 1000:.1f} ms"
    )
    for q, v in timings.items():
        print(
            f"   {q or '(no filter)':<70} median {statistics.median(v) * 1000:6.1f} ms  p95 "
            f"{percentile(v, 0.95) * 1000:6.1f} ms"
        )
    print(f"re-evaluation of {done:,} notices of {reeval_utility.code}: {reeval_s:.1f} s ({done / reeval_s:,.0f}/s)")


if __name__ == "__main__":
    main()
