"""Faults with real processes: a Redis broker stopped while deadlines cross, a worker killed mid-import.

These start redis-server and a Celery worker + beat as subprocesses against the test database, so they
run wherever the test command runs (SQLite file or PostgreSQL). What they showed is in docs/reliability.md.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from portal.choices import DeadlineStatus
from portal.models import TrackedDeadline, Violation
from portal.services import deadline_set

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Redis:
    def __init__(self, tmp: Path):
        self.port = free_port()
        self.tmp = tmp
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis did not start")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


def start_worker(redis: Redis, tmp: Path, *, beat: bool) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.local",
        "DATABASE_URL": database_url(),
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "SWEEP_INTERVAL": "1",
        "CELERY_VISIBILITY_TIMEOUT": "5",
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT", str(tmp / "media")),
    }
    from django.conf import settings

    env["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    args = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        "--loglevel=WARNING",
        "--concurrency=1",
        "--pool=prefork",
        "-n",
        f"fault-{redis.port}@%h",
    ]
    if beat:
        args += ["-B", "--schedule", str(tmp / "beat-schedule")]
    return subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=open(tmp / "worker.log", "ab"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def wait_for(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.5)
    return predicate()


def test_broker_outage_every_deadline_is_flagged_exactly_once(world, tmp_path):
    redis = Redis(tmp_path)
    redis.start()
    worker = start_worker(redis, tmp_path, beat=True)
    try:
        due = timezone.now() + timedelta(seconds=8)
        subjects = [world.county_x, world.city_x, world.company_x, world.company_y]
        for i in range(200):
            subject = subjects[i % 4]
            deadline_set(subject=subject, utility=subject, code=f"fault.{i}", label="故障演练", due=due)
        time.sleep(3)
        redis.stop()  # the broker goes down before the deadlines cross
        time.sleep(max(0, (due - timezone.now()).total_seconds()) + 4)
        assert TrackedDeadline.objects.filter(status=DeadlineStatus.OVERDUE).count() == 0  # nothing swept while down
        redis.start()  # same port: worker and beat reconnect
        assert wait_for(lambda: TrackedDeadline.objects.filter(status=DeadlineStatus.OVERDUE).count() == 200, 60)
        time.sleep(3)  # more sweeps run: nothing may be flagged twice
        assert Violation.objects.filter(code__startswith="fault.").count() == 200
        assert TrackedDeadline.objects.filter(code__startswith="fault.", overdue_at__isnull=True).count() == 0
    finally:
        stop(worker)
        redis.stop()


def test_worker_killed_mid_import_resumes_without_duplicates(world, tmp_path):
    """SIGKILL the worker after its first chunks; the unacknowledged task is redelivered to a new worker,
    which resumes after the last committed chunk. Every row ends up imported exactly once."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from portal.models import CalendarDay, ImportJob, ImportStatus
    from portal.tasks import run_import_job

    wb = Workbook()
    ws = wb.active
    ws.append(["日期", "类型", "节日"])
    first = date(2031, 1, 1).toordinal()
    rows = 1200
    for i in range(rows):
        ws.append([date.fromordinal(first + i).isoformat(), "法定节假日", "演练"])
    path = tmp_path / "days.xlsx"
    wb.save(path)
    admin = world.user("reg_admin_a")
    job = ImportJob.objects.create(
        kind="portal.calendar_days",
        organisation=admin.organisation,
        created_by=admin,
        filename="days.xlsx",
        sha256="0" * 64,
        total_rows=rows,
    )
    job.file.save("days.xlsx", SimpleUploadedFile("days.xlsx", path.read_bytes()))

    redis = Redis(tmp_path)
    redis.start()
    os.environ["IMPORT_STALL_SECONDS"] = "3"
    worker = start_worker(redis, tmp_path, beat=False)
    try:
        app = __import__("portal.celery", fromlist=["app"]).app
        app.conf.update(broker_url=f"redis://127.0.0.1:{redis.port}/0", task_always_eager=False)
        t0 = time.monotonic()
        run_import_job.apply_async(args=[job.pk], connection=app.connection_for_write())
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).processed_rows >= 200, 60)
        stop(worker, signal.SIGKILL)  # the whole worker dies, mid-file
        killed_at = ImportJob.objects.get(pk=job.pk).processed_rows
        assert 0 < killed_at < rows
        t1 = time.monotonic()
        worker = start_worker(redis, tmp_path, beat=False)
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).processed_rows > killed_at, 120)
        t2 = time.monotonic()
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE, 120)
        print(f"first 200 rows {t1 - t0:.1f}s, redelivery {t2 - t1:.1f}s, rest {time.monotonic() - t2:.1f}s")
        job.refresh_from_db()
        assert job.processed_rows == rows and job.error_count == 0
        assert CalendarDay.objects.filter(name="演练").count() == rows
        assert job.created_count + job.unchanged_count == rows
    finally:
        app.conf.update(task_always_eager=True)
        os.environ.pop("IMPORT_STALL_SECONDS", None)
        stop(worker)
        redis.stop()
