"""Benchmark of the reporting app on PostgreSQL (database portal_reporting, never the test database).

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_reporting .venv/bin/python bench/reporting.py \
        --utilities 200 --tickets 1000000 --notices 100000

Builds (set-based: INSERT … SELECT generate_series, not the API) a campaign of a regulator office with
--utilities utilities in scope, a self-check report, 5 findings and 5 rectification items per utility,
--notices outage notices and --tickets complaint tickets of those utilities (with violations for a
share of both), then measures:
  1. the special report of the campaign: data collection, layout and PDF time, pages, size, and the
     peak resident memory of this process (ru_maxrss) before and after;
  2. each dashboard aggregate, as the national regulator (sees everything): median of --repeat runs;
  3. the monthly complaint bulletin aggregate of the office.
"""

# The SQL below is built from this script's own constants (no input), and the generated rows are long:
# ruff: noqa: E501, S608, S108
import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://portal:portal@127.0.0.1:5432/portal_reporting")

import django

django.setup()

import logging  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import translation  # noqa: E402

from bench.common import check, peak_rss_mib  # noqa: E402
from campaigns.models import (  # noqa: E402
    Campaign,
    CampaignUtility,
    DemonstrationZone,
    Finding,
    RectificationItem,
    SelfCheckReport,
)
from complaints.models import Complaint  # noqa: E402
from outages.models import OutageNotice  # noqa: E402
from portal.choices import OrgLevel, Role  # noqa: E402
from portal.models import Organisation, Province, User, Violation  # noqa: E402

logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)
BENCH = "BENCH-REP"


def insert_select(model, n: int, exprs: dict[str, str]) -> None:
    """INSERT INTO <table> SELECT … FROM generate_series(1, n) g, with `exprs` per column and a
    neutral value for every other NOT NULL column."""
    cols, vals = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        cols.append(f'"{f.column}"')
        if f.column in exprs:
            vals.append(exprs[f.column])
        elif f.null:
            vals.append("NULL")
        elif isinstance(f, models.BooleanField):
            vals.append("false")
        elif isinstance(f, models.JSONField):
            vals.append("'{}'::jsonb")
        elif isinstance(f, models.IntegerField | models.FloatField | models.DecimalField):
            vals.append("0")
        elif isinstance(f, models.DateTimeField):
            vals.append("now()")
        else:
            vals.append("''")
    sql = f'INSERT INTO "{model._meta.db_table}" ({", ".join(cols)}) SELECT {", ".join(vals)} FROM generate_series(1, {n}) g'
    with connection.cursor() as cur:
        cur.execute(sql)


def build(n_util: int, n_tickets: int, n_notices: int) -> tuple[Campaign, Organisation, User]:
    from campaigns import services as cs

    call_command("seed_calendar", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    sd = Province.objects.get(code="37")
    national, _ = Organisation.objects.get_or_create(
        code="BENCH-NEA", defaults={"name": "国家能源局", "kind": "regulator", "level": OrgLevel.NATIONAL}
    )
    office, _ = Organisation.objects.get_or_create(
        code="BENCH-OFFICE",
        defaults={
            "name": "国家能源局山东监管办公室",
            "short_name": "山东能源监管办",
            "kind": "regulator",
            "level": OrgLevel.REGIONAL,
            "parent": national,
        },
    )
    office.jurisdiction.set([sd])
    reg, _ = User.objects.get_or_create(
        username="bench_reg", defaults={"organisation": office, "role": Role.REGULATOR_ADMIN}
    )
    nea, _ = User.objects.get_or_create(
        username="bench_nea", defaults={"organisation": national, "role": Role.REGULATOR_ADMIN}
    )
    root, _ = Organisation.objects.get_or_create(
        code="BENCH-SD",
        defaults={
            "name": "国网山东省电力公司（测试）",
            "kind": "utility",
            "level": OrgLevel.PROVINCIAL,
            "province": sd,
        },
    )
    utilities = []
    for i in range(n_util):
        u, _ = Organisation.objects.get_or_create(
            code=f"BENCH-U{i:03d}",
            defaults={
                "name": f"国网测试第{i:03d}县供电公司",
                "kind": "utility",
                "level": OrgLevel.COUNTY,
                "parent": root,
                "province": sd,
            },
        )
        utilities.append(u)
    campaign = Campaign.objects.filter(code=BENCH).first()
    if campaign is None:
        campaign = cs.campaign_create(
            owner=office,
            code=BENCH,
            title="居民用电服务质量监管专项行动（基准测试）",
            short_title="基准",
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            acting_user=reg,
        )
        campaign.experience = "建立12398与95598联动机制。\n按月通报投诉办理及时率。"
        campaign.proposals = "建立常态化监管机制。"
        campaign.save()
        CampaignUtility.objects.bulk_create([CampaignUtility(campaign=campaign, utility=u) for u in utilities])
        statuses = ["accepted", "submitted", "returned", "draft", "accepted"]
        reports = SelfCheckReport.objects.bulk_create(
            [
                SelfCheckReport(
                    campaign=campaign,
                    utility=u,
                    status=statuses[i % 5],
                    title="自查报告",
                    is_late=i % 7 == 0,
                    complaints=100 + i,
                    complaints_replied_in_time=90 + i % 10,
                    satisfaction=95,
                )
                for i, u in enumerate(utilities)
            ]
        )
        findings = Finding.objects.bulk_create(
            [
                Finding(
                    campaign=campaign,
                    utility=r.utility,
                    source="self_check",
                    report=r,
                    number=k + 1,
                    text=f"第{k + 1}项问题：停电信息未按规定提前公告，部分台区低电压。",
                )
                for r in reports
                for k in range(5)
            ]
        )
        rect_states = ["verified", "verified", "in_progress", "overdue", "open"]
        RectificationItem.objects.bulk_create(
            [
                RectificationItem(
                    finding=f,
                    campaign=campaign,
                    utility=f.utility,
                    defect_number=f"{BENCH}-{f.pk}",
                    measure="修订停电信息发布流程，短信提前告知。",
                    department="营销部",
                    person="张三",
                    due_date=date(2026, 11, 30),
                    status=rect_states[j % 5],
                )
                for j, f in enumerate(findings)
            ]
        )
        DemonstrationZone.objects.bulk_create(
            [
                DemonstrationZone(campaign=campaign, kind="优质服务示范区", name=f"示范区{i}", utility=utilities[i])
                for i in range(5)
            ]
        )
    ids = [u.pk for u in utilities]
    first, count = min(ids), len(ids)
    check(max(ids) - first + 1 == count, "utility ids must be contiguous (fresh database)")
    have_n = OutageNotice.objects.filter(utility_id__in=ids).count()
    if have_n < n_notices:
        t = time.perf_counter()
        insert_select(
            OutageNotice,
            n_notices - have_n,
            {
                "utility_id": f"{first} + (g % {count})",
                "kind": "(ARRAY['planned','planned','temporary','restriction','arrears','fault'])[1 + g % 6]",
                "external_id": f"'BN-{have_n}-' || g",
                "area": "'城关镇东关村'",
                "start_at": "timestamptz '2026-01-01 08:00+08' + (g % 8700) * interval '1 hour'",
                "end_at": "timestamptz '2026-01-01 16:00+08' + (g % 8700) * interval '1 hour'",
                "published_at": "timestamptz '2025-12-25 08:00+08' + (g % 8700) * interval '1 hour' - (g % 3) * interval '5 days'",
                "channels": "'[\"sms\"]'::jsonb",
                "status": "'restored'",
                "compliance_state": "(ARRAY['compliant','compliant','compliant','borderline','violation'])[1 + g % 5]",
                "created_at": "now()",
                "updated_at": "now()",
            },
        )
        print(f"notices inserted: {n_notices - have_n:,} in {time.perf_counter() - t:.1f} s")
    have_t = Complaint.objects.filter(utility_id__in=ids).count()
    if have_t < n_tickets:
        t = time.perf_counter()
        # Received evenly over 2026 (Asia/Shanghai), whatever the number of tickets.
        recv = f"timestamptz '2026-01-01 09:00+08' + (g * 525000.0 / {n_tickets - have_t}) * interval '1 minute'"
        insert_select(
            Complaint,
            n_tickets - have_t,
            {
                "utility_id": f"{first} + (g % {count})",
                "channel": "(ARRAY['95598','95598','95598','12398','12345','12315','letter'])[1 + g % 7]",
                "kind": "'complaint'",
                "external_id": f"'BT-{have_t}-' || g",
                "received_at": recv,
                "accepted_at": recv,
                "category": "(ARRAY['outage','connection','billing','metering','quality','conduct','repair','other'])[1 + g % 8]",
                "content": "'城关镇东关村频繁停电，未见停电通知。'",
                "status": "(ARRAY['closed','closed','closed','replied','contacted'])[1 + g % 5]",
                "contact_due": f"{recv} + interval '1 day'",
                "reply_due": f"{recv} + interval '9 days'",
                "contacted_at": f"CASE WHEN g % 5 < 4 THEN {recv} + interval '3 hours' ELSE {recv} + interval '2 days' END",
                "replied_at": f"CASE WHEN g % 10 < 8 THEN {recv} + interval '5 days' WHEN g % 10 = 8 THEN {recv} + interval '12 days' END",
                "visited_at": f"CASE WHEN g % 10 < 7 THEN {recv} + interval '6 days' END",
                "satisfaction": "CASE WHEN g % 10 < 7 THEN (ARRAY['satisfied','satisfied','basically','dissatisfied','unreachable'])[1 + g % 5] ELSE '' END",
                "appeal_count": "CASE WHEN g % 50 = 0 THEN 1 ELSE 0 END",
                "late": "g % 10 >= 8",
                "statutory_breach": "g % 10 = 9",
                "has_deadlines": "true",
                "fingerprint": "md5(g::text)",
                "created_at": "now()",
                "updated_at": "now()",
            },
        )
        print(f"tickets inserted: {n_tickets - have_t:,} in {time.perf_counter() - t:.1f} s")
        # Violations: the late tickets (commitment), the statutory ones twice (statute and commitment).
        ct = ContentType.objects.get_for_model(Complaint).pk
        with connection.cursor() as cur:
            for code, cls, cond in (
                ("complaint.reply", "commitment", "late"),
                ("complaint.reply.statutory", "regulator_rule", "statutory_breach"),
            ):
                cur.execute(
                    f"""INSERT INTO portal_violation (utility_id, content_type_id, object_id, code, source_class,
                    occurred_at, shortfall_seconds, description, disposition, disposition_reason, created_at)
                    SELECT utility_id, {ct}, id, '{code}', '{cls}', reply_due, 3600, '', 'pending', '', now()
                    FROM complaints_complaint WHERE {cond} AND utility_id BETWEEN {first} AND {first + count - 1}
                    ON CONFLICT DO NOTHING"""
                )
            nct = ContentType.objects.get_for_model(OutageNotice).pk
            cur.execute(
                f"""INSERT INTO portal_violation (utility_id, content_type_id, object_id, code, source_class,
                occurred_at, shortfall_seconds, description, disposition, disposition_reason, created_at)
                SELECT utility_id, {nct}, id, 'outage.notice.' || kind, 'statute', start_at, 7200, '', 'pending', '', now()
                FROM outages_outagenotice WHERE compliance_state = 'violation' AND utility_id BETWEEN {first} AND {first + count - 1}
                ON CONFLICT DO NOTHING"""
            )
    return campaign, office, nea


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--utilities", type=int, default=200)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", default="/tmp/bench-special-report.pdf")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions of each report phase")
    args = parser.parse_args()
    check(connection.vendor == "postgresql", "run on PostgreSQL (DATABASE_URL)")
    settings.DEBUG = False
    print(f"database: {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    with transaction.atomic():
        campaign, office, nea = build(args.utilities, args.tickets, args.notices)
    with connection.cursor() as cur:  # fresh statistics and visibility map, as autovacuum would leave them
        for table in ("complaints_complaint", "outages_outagenotice", "portal_violation"):
            cur.execute(f"VACUUM ANALYZE {table}")
    print(
        f"data ready in {time.perf_counter() - t:.1f} s: {args.utilities} utilities, "
        f"{Complaint.objects.count():,} tickets, {OutageNotice.objects.count():,} notices, "
        f"{Violation.objects.count():,} violations, {RectificationItem.objects.filter(campaign=campaign).count():,} rectification items"
    )

    # 1. The special report.
    from reporting.render import render_pdf
    from reporting.services import build_content

    before = peak_rss_mib()
    stamps = {}

    def progress(p, stage):
        stamps.setdefault(p, time.perf_counter())

    profiles = [cProfile.Profile() for _ in range(2 if args.profile else 0)]

    def phase(i, fn):
        if not profiles:
            return fn()
        return profiles[i].runcall(fn)

    t0 = time.perf_counter()
    with translation.override("zh-hans"):
        content = phase(0, lambda: build_content("campaign_special", {"campaign": campaign.pk}, office, progress))
        t1 = time.perf_counter()
        rendered = phase(1, lambda: render_pdf(content, document_number="基准〔2026〕专报1号", progress=progress))
    t2 = time.perf_counter()
    for name, profile in zip(("data", "layout+PDF"), profiles, strict=False):
        print(f"--- profile of {name}: the {args.profile} costliest functions by own time (profiled, so slower) ---")
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)
    Path(args.out).write_bytes(rendered.pdf)
    after = peak_rss_mib()
    rows = sum(len(tb.rows) for tb in content.tables.values())
    print(
        f"special report: data {t1 - t0:.2f} s, layout+PDF {t2 - t1:.2f} s (layout to {stamps.get(85, t2) - t1:.2f} s), "
        f"total {t2 - t0:.2f} s; {rendered.pages} pages, {len(rendered.pdf) / 1024:.0f} KiB, {rows:,} table rows; "
        f"peak RSS {before:.0f} → {after:.0f} MiB; written to {args.out}"
    )

    # 2. Dashboard aggregates (the national regulator sees all) and 3. the bulletin aggregate.
    from reporting import complaint_stats, dashboard
    from reporting.selectors import local_range, utilities_of
    from reporting.services import complaint_stats_refresh

    t = time.perf_counter()
    n_stats = complaint_stats_refresh()
    print(f"complaint monthly figures rebuilt (beat task): {n_stats:,} rows in {time.perf_counter() - t:.1f} s")
    print(f"dashboard aggregates, median of {args.repeat} (ms):")
    for f, label in (
        (dashboard.Filters(), "all time"),
        (dashboard.Filters(campaign=campaign, start=date(2026, 3, 1), end=date(2026, 3, 31)), "March 2026, campaign"),
    ):
        for key, _title, fn, _kind in dashboard.CHARTS:
            ms, _ = timed(lambda fn=fn, f=f: fn(nea, f), args.repeat)
            flag = "" if ms <= 300 else "  > 300 ms"
            print(f"  {label:22s} {key:24s} {ms:8.1f}{flag}")
    lo, hi = local_range(date(2026, 3, 1), date(2026, 3, 31))
    ids = list(utilities_of(office).values_list("id", flat=True))  # as build_complaint_bulletin does
    tickets = Complaint.objects.filter(utility_id__in=ids, reply_due__gte=lo, reply_due__lt=hi)
    ms, rows_ = timed(lambda: complaint_stats.timeliness_by_utility(tickets), args.repeat)
    print(
        f"  bulletin aggregate (office, March 2026, {sum(r['due'] for r in rows_):,} tickets due, {len(rows_)} utilities): {ms:.1f} ms"
    )


if __name__ == "__main__":
    main()
