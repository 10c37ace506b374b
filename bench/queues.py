"""Benchmark: a requested report does not wait behind e-mail (issue 20, "reports wait behind e-mail").

    redis-server --port 6380 --daemonize yes --save '' --appendonly no
    REDIS_URL=redis://127.0.0.1:6380/0 DATABASE_URL=sqlite:////tmp/bench_queues.sqlite3 \\
        .venv/bin/python bench/queues.py --mail 10000

Loads the demo into an empty database, starts the workers as docker-compose.yml does — one for `default,mail`
and one for `reports`, one process each (the smallest install) — queues --mail notification e-mail tasks, then
requests a monthly complaint bulletin, as a regulator does from /reports/. Prints, over --runs requests: the
time from the request to the PDF being ready, the report's own run time on the worker (started → finished),
the difference (the time the report waited), and how many e-mail tasks were still queued when it was ready.
Never the project's or the test database; the Redis database is flushed first.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench_queues.sqlite3")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6380/0")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench.common import check  # noqa: E402
from portal.models import Notification, User  # noqa: E402
from portal.tasks import send_notification_emails  # noqa: E402
from reporting.choices import JobStatus, ReportKind  # noqa: E402
from reporting.models import ReportJob  # noqa: E402
from reporting.services import report_request  # noqa: E402


def worker(queues: str, name: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "-Q",
            queues,
            "-c",
            "1",
            "-n",
            f"{name}@bench",
            "--loglevel",
            "WARNING",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mail", type=int, default=10_000, help="e-mail tasks queued before the request")
    parser.add_argument("--runs", type=int, default=3, help="report requests, one after the other")
    args = parser.parse_args()
    check(settings.CELERY_BROKER_URL.startswith("redis"), "a Redis broker (REDIS_URL)")
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.flushdb()
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="sd_staff").exists():
        call_command("load_demo", verbosity=0)
    user = User.objects.get(username="sd_staff")
    notes = list(Notification.objects.values_list("organisation_id", "key")[:200]) or [(0, "none")]

    workers = [worker("default,mail", "mail"), worker("reports", "reports")]
    try:
        time.sleep(8)  # the workers connect
        waits, runs, totals, left = [], [], [], []
        for _run in range(args.runs):
            for i in range(args.mail):
                send_notification_emails.delay([list(notes[i % len(notes)])])
            t0 = time.perf_counter()
            job = report_request(kind=ReportKind.COMPLAINT_BULLETIN, raw={"period": "2026-11"}, acting_user=user)
            while True:
                job.refresh_from_db()
                if job.status in (JobStatus.DONE, JobStatus.FAILED):
                    break
                time.sleep(0.05)
            total = time.perf_counter() - t0
            check(job.status == JobStatus.DONE, f"the report rendered ({job.error})")
            run = (job.finished_at - job.started_at).total_seconds()
            totals.append(total)
            runs.append(run)
            waits.append(total - run)
            left.append(broker.llen("mail"))
            broker.delete("mail")  # the next run starts with a fresh backlog
        print(f"cores: {os.cpu_count()}  e-mail tasks queued before each request: {args.mail:,}  runs: {args.runs}")
        print(f"request → PDF ready: median {statistics.median(totals):.2f} s (max {max(totals):.2f})")
        print(f"the report's own run on its worker: median {statistics.median(runs):.2f} s")
        print(f"waited beyond its run: median {statistics.median(waits):.2f} s (max {max(waits):.2f}); goal ≤ 10 s")
        print(f"e-mail tasks still queued when it was ready: median {statistics.median(left):,.0f}")
        print(f"report jobs in the database: {ReportJob.objects.count()}")
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=30)


if __name__ == "__main__":
    main()
