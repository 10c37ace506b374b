"""Benchmark of the complaints app on PostgreSQL (database portal_complaints, never the test database).

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_complaints \\
        /work/main/.venv/bin/python bench/complaints.py --total 1000000

Prints:
  1. bulk REST intake rate (--intake tickets through POST /api/v1/complaints/bulk/ in calls of 1,000:
     validated, deduplicated, deadlines computed from the catalogue and tracked, history written);
  2. list API p50/p95 (cursor pages of 50) with three filters, and with text search (pg_trgm);
  3. sweep time with --overdue deadlines newly overdue among the open tickets of the table;
  4. peak memory and rate of an asynchronous import of an --import-rows CSV file (the shared job runner).
The table is first filled set-based in SQL to --total open tickets with two open deadlines each
(generate_series; these filler rows are not computed by the deadline engine, only the measured
intake is), so a run at one million takes minutes, not hours.
"""

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://portal:portal@127.0.0.1:5432/portal_complaints")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from bench.common import check, peak_rss_mib, percentile  # noqa: E402
from complaints.models import Complaint  # noqa: E402
from portal.models import Organisation, TrackedDeadline, User  # noqa: E402

CATEGORIES = ["outage", "connection", "billing", "metering", "quality", "conduct", "repair", "other"]
CHANNELS = ["95598", "95598", "95598", "12345", "12315", "website", "letter", "walk_in"]
PHRASES = [
    "近一周频繁停电，没有收到停电通知",
    "晚上电压偏低，空调无法启动",
    "电费比上月高出一倍，怀疑抄表有误",
    "新建住房报装超过十个工作日无人联系",
    "电能表走字过快，申请校验",
    "营业厅工作人员态度恶劣",
    "报修后三个小时抢修人员才到达",
    "缴费后两小时仍未复电",
]
VILLAGES = ["东关村", "西关村", "南关社区", "北店村", "前营村", "后营村", "汶河小区", "滨河花园", "王庄村", "青河镇"]


def setup() -> dict:
    check(connection.vendor == "postgresql", "run on PostgreSQL (DATABASE_URL)")
    settings.DEBUG = False  # no query log growing with every statement
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the in-process API client's host
    call_command("migrate", verbosity=0)
    call_command("seed_calendar", verbosity=0)
    from portal import demo

    demo.load()
    utilities = list(Organisation.objects.filter(code__startswith="SGCC-SD").utilities())
    return {
        "writer": User.objects.get(username="sys_95598_sd"),
        "reader": User.objects.get(username="sd_staff"),
        "utilities": utilities,
    }


def fill(total: int, utilities: list[Organisation]) -> None:
    """Top the table up to `total` open tickets with two open deadlines each, in SQL."""
    have = Complaint.objects.count()
    missing = total - have
    if missing <= 0:
        print(f"table: {have:,} tickets already")
        return
    t0 = time.perf_counter()
    ids = [u.pk for u in utilities]
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM django_content_type WHERE app_label='complaints' AND model='complaint'")
        ct = cur.fetchone()[0]
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM complaints_complaint")
        start = cur.fetchone()[0]
        step = 200_000
        for offset in range(0, missing, step):
            n = min(step, missing - offset)
            cur.execute(
                """
                INSERT INTO complaints_complaint (
                    channel, kind, external_id, received_at, accepted_at, utility_id, region, category, content,
                    customer_name, customer_phone, address, status, reply_opinion, satisfaction, reopen_count,
                    appeal_count, supervision_note, fingerprint, contact_due, reply_due, next_due, next_warn_at,
                    has_deadlines, overdue, late, statutory_breach, provisional, created_at, updated_at,
                    appeal_outcome, supervision_level, talk_count, conclusion, declined_reason, finding,
                    responsible_department)
                SELECT
                    (%(channels)s::text[])[1 + g %% 8], 'complaint', 'FILL-' || g,
                    now() - (g %% 2000) * interval '1 minute', NULL,
                    (%(utilities)s::bigint[])[1 + g %% %(nu)s], '泰安市汶源县',
                    (%(categories)s::text[])[1 + (g / 8) %% 8],
                    (%(villages)s::text[])[1 + g %% 10] || (%(phrases)s::text[])[1 + (g / 3) %% 8] || '，编号' || g,
                    '王五', '138' || lpad((g %% 100000000)::text, 8, '0'),
                    '汶源县城关镇' || (%(villages)s::text[])[1 + g %% 10] || (g %% 300) || '号',
                    'received', '', '', 0, 0, '', md5(g::text),
                    now() + interval '3 days', now() + interval '9 days', now() + interval '3 days', NULL,
                    true, false, false, false, false, now(), now(),
                    '', 0, 0, '', '', '', ''
                FROM generate_series(%(first)s, %(last)s) AS g
                """,
                {
                    "channels": CHANNELS,
                    "utilities": ids,
                    "nu": len(ids),
                    "categories": CATEGORIES,
                    "villages": VILLAGES,
                    "phrases": PHRASES,
                    "first": start + offset + 1,
                    "last": start + offset + n,
                },
            )
            cur.execute(
                """
                INSERT INTO portal_trackeddeadline (
                    content_type_id, object_id, utility_id, code, label, source_class, start, due, provisional,
                    status, created_at)
                SELECT %(ct)s, c.id, c.utility_id, r.code, r.code, r.cls, c.received_at,
                       c.received_at + r.span, false, 'open', now()
                FROM complaints_complaint c
                CROSS JOIN (VALUES ('complaint.contact', 'commitment', interval '3 days'),
                                   ('complaint.reply', 'commitment', interval '9 days')) AS r(code, cls, span)
                WHERE c.external_id LIKE 'FILL-%%' AND c.id > %(above)s
                """,
                {"ct": ct, "above": _max_deadline_object(cur, ct)},
            )
            print(f"  filled {offset + n:,}/{missing:,} ({time.perf_counter() - t0:.0f} s)", flush=True)
        cur.execute("ANALYZE complaints_complaint")
        cur.execute("ANALYZE portal_trackeddeadline")
    print(f"fill: {missing:,} tickets and {2 * missing:,} deadlines in {time.perf_counter() - t0:.1f} s")


def _max_deadline_object(cur, ct: int) -> int:
    cur.execute("SELECT COALESCE(MAX(object_id), 0) FROM portal_trackeddeadline WHERE content_type_id = %s", [ct])
    return cur.fetchone()[0]


START = timezone.now()


def item(i: int, prefix: str, utility: str) -> dict:
    received = START - timedelta(minutes=5 + i % 5000)
    return {
        "channel": "95598",
        "kind": "complaint",
        "external_id": f"{prefix}-{i:07d}",
        "received_at": received.isoformat(),
        "utility": utility,
        "region": "泰安市汶源县",
        "category": CATEGORIES[i % 8],
        "content": f"{VILLAGES[i % 10]}{PHRASES[i % 8]}（批量{i}）",
        "customer_name": "赵六",
        "customer_phone": f"139{i % 100000000:08d}",
        "address": f"汶源县城关镇{VILLAGES[i % 10]}{i % 300}号",
    }


def bench_intake(ctx, n: int) -> None:
    client = APIClient()
    client.force_authenticate(ctx["writer"])
    prefix = f"BENCH{int(time.time())}"
    codes = [u.code for u in ctx["utilities"]]
    times = []
    for start in range(0, n, 1000):
        batch = [item(i, prefix, codes[i % len(codes)]) for i in range(start, min(n, start + 1000))]
        t0 = time.perf_counter()
        response = client.post("/api/v1/complaints/bulk/", {"items": batch}, format="json")
        times.append(time.perf_counter() - t0)
        check(response.status_code == 200, response.content[:300])
        check(response.json()["counts"]["created"] == len(batch), response.json()["counts"])
    rate = n / sum(times)
    print(
        f"intake: {n:,} tickets in {sum(times):.1f} s = {rate:,.0f} tickets/s "
        f"(median call of 1,000: {statistics.median(times):.2f} s)"
    )
    batch = [item(i, prefix, codes[i % len(codes)]) for i in range(1000)]
    t0 = time.perf_counter()
    response = client.post("/api/v1/complaints/bulk/", {"items": batch}, format="json")
    check(response.json()["counts"]["unchanged"] == 1000)
    print(f"intake: identical retry of 1,000 (all unchanged) {time.perf_counter() - t0:.2f} s")


def bench_list(ctx, requests: int) -> None:
    client = APIClient()
    client.force_authenticate(ctx["reader"])
    queries = {
        "no filter": "",
        "utility subtree + channel + category": "?utility=SGCC-SD-TA&channel=95598&category=billing",
        "text search q=电压偏低": "?q=电压偏低",
        "text search + utility": "?q=抢修人员&utility=SGCC-SD",
    }
    for label, query in queries.items():
        times = []
        for _ in range(requests):
            t0 = time.perf_counter()
            response = client.get("/api/v1/complaints/" + query)
            times.append((time.perf_counter() - t0) * 1000)
            check(response.status_code == 200, response.content[:200])
        n = len(response.json()["results"])
        print(
            f"list {label}: p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms ({n} rows/page)"
        )


def bench_sweep(n: int) -> None:
    from portal.services import deadlines_sweep

    now = timezone.now()
    deadlines_sweep(now=now)  # whatever was already due: not part of the measure
    open_count = TrackedDeadline.objects.filter(status="open").count()
    with connection.cursor() as cur:
        cur.execute(
            """UPDATE portal_trackeddeadline SET due = %s, remind_at = NULL
               WHERE id IN (SELECT id FROM portal_trackeddeadline WHERE status = 'open' AND due > %s
                            AND code = 'complaint.contact' ORDER BY id LIMIT %s)""",
            [now - timedelta(seconds=30), now, n],
        )
        moved = cur.rowcount
    t0 = time.perf_counter()
    counts = deadlines_sweep(now=now)
    elapsed = time.perf_counter() - t0
    check(counts["overdue"] >= moved, counts)
    print(f"sweep: {moved:,} newly overdue among {open_count:,} open deadlines: {elapsed:.2f} s ({counts})")
    t0 = time.perf_counter()
    again = deadlines_sweep(now=now)
    print(f"sweep: second run {time.perf_counter() - t0:.3f} s ({again})")


def bench_import(ctx, rows: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from complaints.fields import COMPLAINT_FIELDS
    from portal.imports import import_job_create, import_job_run

    columns = COMPLAINT_FIELDS.import_columns
    headers = list(columns)
    codes = [u.code for u in ctx["utilities"]]
    prefix = f"IMP{int(time.time())}"
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        for i in range(rows):
            data = item(i, prefix, codes[i % len(codes)])
            data["received_at"] = data["received_at"][:19].replace("T", " ")
            writer.writerow([data.get(columns[h], "") for h in headers])
        path = fh.name
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        upload = SimpleUploadedFile("bench.csv", fh.read())
    job = import_job_create(kind="complaints.tickets", file=upload, acting_user=ctx["writer"])
    del upload
    before = peak_rss_mib()
    samples = []
    from portal import imports

    real = imports._run_chunk

    def sampled(job, spec, chunk):
        real(job, spec, chunk)
        samples.append(peak_rss_mib())

    imports._run_chunk = sampled
    t0 = time.perf_counter()
    job = import_job_run(job.pk)
    elapsed = time.perf_counter() - t0
    imports._run_chunk = real
    check(job.created_count == rows, (job.created_count, job.error_count))
    quarter = samples[len(samples) // 4] if samples else before
    print(
        f"import: {rows:,} rows ({size / 2**20:.1f} MB CSV) in {elapsed:.0f} s = {rows / elapsed:,.0f} rows/s; "
        f"peak RSS {before:.0f} MB before, {quarter:.0f} MB after 25 %, {samples[-1]:.0f} MB at the end"
    )
    os.unlink(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", type=int, default=1_000_000)
    parser.add_argument("--intake", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--overdue", type=int, default=10_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--skip", default="", help="comma-separated: intake,list,sweep,import")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    ctx = setup()
    fill(args.total, ctx["utilities"])
    print(f"table: {Complaint.objects.count():,} tickets, {TrackedDeadline.objects.count():,} deadlines")
    if "intake" not in skip:
        bench_intake(ctx, args.intake)
    if "list" not in skip:
        bench_list(ctx, args.requests)
    if "sweep" not in skip:
        bench_sweep(args.overdue)
    if "import" not in skip:
        bench_import(ctx, args.import_rows)


if __name__ == "__main__":
    main()
