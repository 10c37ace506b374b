"""Faults with real processes: a Redis broker stopped while deadlines cross, a worker killed mid-import.

These start redis-server and a Celery worker + beat as subprocesses against the test database, so they
run wherever the test command runs (SQLite file or PostgreSQL). What they showed is in docs/reliability.md.
"""

import contextlib
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


def wait_for(predicate, timeout: float, step: float = 0.5) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
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

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from complaints.fields import COMPLAINT_FIELDS
    from complaints.models import Complaint
    from portal.models import ImportJob, ImportStatus
    from portal.tasks import run_import_job

    wb = Workbook()
    ws = wb.active
    ws.append(list(COMPLAINT_FIELDS.import_columns))
    rows = 6000  # thirty chunks of 200: an import runs at ~2,000 rows/s, so the kill must land within ~3 s
    for i in range(rows):
        ws.append(_ticket_row(i, "T-X-C-K"))
    path = tmp_path / "tickets.xlsx"
    wb.save(path)
    manager = world.user("manager_x")
    job = ImportJob.objects.create(
        kind="complaints.tickets",
        organisation=manager.organisation,
        created_by=manager,
        filename="tickets.xlsx",
        sha256="0" * 64,
        total_rows=rows,
    )
    job.file.save("tickets.xlsx", SimpleUploadedFile("tickets.xlsx", path.read_bytes()))

    redis = Redis(tmp_path)
    redis.start()
    os.environ["IMPORT_STALL_SECONDS"] = "3"
    os.environ["IMPORT_CHUNK_ROWS"] = "200"  # the kill lands mid-file
    worker = start_worker(redis, tmp_path, beat=False)
    try:
        app = __import__("portal.celery", fromlist=["app"]).app
        app.conf.update(broker_url=f"redis://127.0.0.1:{redis.port}/0", task_always_eager=False)
        t0 = time.monotonic()
        run_import_job.apply_async(args=[job.pk], connection=app.connection_for_write())
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).processed_rows >= 200, 60, step=0.05)
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
        assert Complaint.objects.filter(external_id__startswith="FAULT-").count() == rows
        assert job.created_count + job.unchanged_count == rows
    finally:
        app.conf.update(task_always_eager=True)
        os.environ.pop("IMPORT_STALL_SECONDS", None)
        os.environ.pop("IMPORT_CHUNK_ROWS", None)
        stop(worker)
        redis.stop()


def test_worker_killed_mid_render_is_redelivered_and_finishes_one_version(world, campaign_with_data, tmp_path):
    """SIGKILL the worker while it lays out the special report; the unacknowledged task is redelivered to
    a new worker, which renders the same version again: one job, one version, one stored PDF."""
    from django.conf import settings

    from reporting.choices import JobStatus, ReportKind
    from reporting.models import ReportJob
    from reporting.services import report_file_path, report_request
    from reporting.tasks import run_report

    job = report_request(
        kind=ReportKind.CAMPAIGN_SPECIAL,
        raw={"campaign": campaign_with_data.pk},
        acting_user=world.user("reg_admin_a"),
        enqueue=False,
    )
    # On SQLite a rolled-back test gives its ids back, so an earlier test in this process may have left a
    # file under the same job id (its rows are gone): clear them, so what is counted is what this job wrote.
    media = Path(settings.MEDIA_ROOT)
    for leftover in media.glob(f"reports/*/{job.pk}-v*.pdf"):
        leftover.unlink()
    redis = Redis(tmp_path)
    redis.start()
    worker = start_worker(redis, tmp_path, beat=False)
    app = __import__("portal.celery", fromlist=["app"]).app
    try:
        app.conf.update(broker_url=f"redis://127.0.0.1:{redis.port}/0", task_always_eager=False)
        run_report.apply_async(args=[job.pk], connection=app.connection_for_write())
        # Killed once the content is collected and the layout has begun (55 %: "排版").
        assert wait_for(lambda: ReportJob.objects.get(pk=job.pk).progress >= 55, 120, step=0.05)
        stop(worker, signal.SIGKILL)
        killed = ReportJob.objects.get(pk=job.pk)
        assert killed.status == JobStatus.RUNNING and not killed.file, (killed.status, killed.progress)
        worker = start_worker(redis, tmp_path, beat=False)
        assert wait_for(lambda: ReportJob.objects.get(pk=job.pk).status == JobStatus.DONE, 180)
        job.refresh_from_db()
        print(f"killed at {killed.progress}% ({killed.stage}); finished after {job.attempts} attempts")
        assert job.attempts == 2 and job.version == 1
        assert ReportJob.objects.filter(series_key=job.series_key).count() == 1
        assert report_file_path(job).read_bytes()[:5] == b"%PDF-"
        assert len(list(media.glob(f"reports/*/{job.pk}-v1-*.pdf"))) == 1
    finally:
        app.conf.update(task_always_eager=True)
        stop(worker)
        redis.stop()


class Server:
    """gunicorn serving the portal against the test database, as in production (several processes)."""

    def __init__(self, tmp: Path):
        self.port = free_port()
        self.tmp = tmp
        self.proc = None

    def __enter__(self):
        from django.conf import settings

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.local",
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "CELERY_TASK_ALWAYS_EAGER": "1",
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "-c", "portal/gunicorn.conf.py",
             "-b", f"127.0.0.1:{self.port}", "-w", "3",
             "-k", "gthread", "--threads", "8", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=open(self.tmp / "server.log", "ab"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start: " + (self.tmp / "server.log").read_text())

    def __exit__(self, *exc):
        stop(self.proc)


def hammer(port: int, path: str, body: dict, token: str, total: int, concurrency: int = 32) -> dict:
    """POST the same body `total` times over `concurrency` keep-alive connections; count the statuses
    (and keep the first answers of any status other than 200/201, to say what went wrong)."""
    import http.client
    import json
    import threading
    from collections import Counter

    payload = json.dumps(body).encode()
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    statuses: Counter = Counter()
    samples: list[str] = []
    lock = threading.Lock()
    left = iter(range(total))
    start = threading.Barrier(concurrency)

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        start.wait()
        while True:
            with lock:
                if next(left, None) is None:
                    break
            conn.request("POST", path, payload, headers)
            response = conn.getresponse()
            text = response.read()
            with lock:
                statuses[response.status] += 1
                if response.status not in (200, 201) and len(samples) < 5:
                    samples.append(f"{response.status}: {text[:300]!r}")
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"statuses": dict(statuses), "samples": samples}


DUPLICATES = int(os.environ.get("FAULT_DUPLICATES", "10000"))


def test_the_request_line_limit_is_the_published_one(world, tmp_path):
    """A URL up to gunicorn's 8,190-byte request line reaches the portal and gets its JSON answer; a longer one
    gets the 414 in HTML the schema publishes (`portal/gunicorn.conf.py`, `portal.api.schema`)."""
    import http.client
    import json

    from rest_framework.authtoken.models import Token

    token = Token.objects.get_or_create(user=world.user("reg_staff_a"))[0].key

    def get(line_bytes: int) -> tuple[int, str, bytes]:
        head = "/api/v1/complaints/?external_id="
        path = head + "x" * (line_bytes - len(f"GET {head} HTTP/1.1"))
        assert len(f"GET {path} HTTP/1.1") == line_bytes
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("GET", path, headers={"Authorization": f"Token {token}"})
        response = conn.getresponse()
        answer = (response.status, response.getheader("Content-Type"), response.read())
        conn.close()
        return answer

    with Server(tmp_path) as server:
        status, content_type, body = get(8190)
        assert status == 200 and content_type == "application/json", body  # the portal read it: no such id
        assert json.loads(body)["results"] == []
        status, content_type, _ = get(8191)
        assert (status, content_type) == (414, "text/html")


@pytest.mark.parametrize("kind", ["complaint", "outage notice"])
def test_concurrent_duplicate_intake_creates_one_record(world, calendar, tmp_path, kind):
    """The same record pushed DUPLICATES / 2 times at once by a utility's system, for complaints and for
    outage notices (DUPLICATES in all): one record, one history 'created' row, every answer 201 (the
    first) or 200 (the same record again), none an error."""
    from rest_framework.authtoken.models import Token

    from complaints.models import Complaint
    from outages.models import OutageNotice
    from tests.complaints.factories import recent, ticket_data
    from tests.outages.factories import future

    token = Token.objects.get_or_create(user=world.user("system_x"))[0].key
    if kind == "complaint":
        path, model = "/api/v1/complaints/", Complaint
        body = ticket_data(external_id="DUP-0001", received_at=recent(0.1))
    else:
        path, model = "/api/v1/outage-notices/", OutageNotice
        start = future(12)
        body = {
            "utility": world.county_x.code,
            "kind": "planned",
            "external_id": "DUP-0001",
            "reason": "10kV线路检修",
            "area": "城关镇东关村",
            "lines": "10kV城关线",
            "affected_customers": 120,
            "start_at": start.isoformat(),
            "end_at": (start + timedelta(hours=8)).isoformat(),
        }
    total = DUPLICATES // 2
    with Server(tmp_path) as server:
        t0 = time.monotonic()
        answers = hammer(server.port, path, body, token, total)
        elapsed = time.monotonic() - t0
    statuses = answers["statuses"]
    print(f"{kind}: {total} duplicate requests in {elapsed:.1f}s: {statuses}")
    assert not answers["samples"], answers["samples"]
    assert sum(statuses.values()) == total
    assert statuses.get(201) == 1
    assert statuses.get(200) == total - 1
    records = model.objects.filter(external_id="DUP-0001")
    assert records.count() == 1
    assert records.get().history.filter(history_type="+").count() == 1


def _ticket_row(i: int, utility: str) -> list:
    """A row of the complaints import (the columns of `COMPLAINT_FIELDS.import_columns`, in order)."""
    return ["95598", "投诉", f"FAULT-{i:05d}", "2026-09-30 14:00", None, utility, "演练", "停限电",
            f"演练工单{i}：城关镇东关村频繁停电。", None, None, None]  # fmt: skip


PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)

SETUP_JOB = """
from django.core.files.base import ContentFile
from openpyxl import Workbook
import io
from complaints.fields import COMPLAINT_FIELDS
from portal.choices import OrgKind, OrgLevel, Role
from portal.models import ImportJob, Organisation, Province, User
from tests.hardening.test_faults import _ticket_row
utility = Organisation.objects.create(code="U-PG", name="演练供电公司", kind=OrgKind.UTILITY, level=OrgLevel.PROVINCIAL,
                                      province=Province.objects.get(code="37"))
manager = User.objects.create_user("pg-manager", password="pw-for-tests-1", organisation=utility,
                                   role=Role.UTILITY_MANAGER)
wb = Workbook(); ws = wb.active; ws.append(list(COMPLAINT_FIELDS.import_columns))
for i in range({rows}):
    ws.append(_ticket_row(i, "U-PG"))
buf = io.BytesIO(); wb.save(buf)
job = ImportJob.objects.create(kind="complaints.tickets", organisation=utility, created_by=manager,
                               filename="tickets.xlsx", sha256="0" * 64, total_rows={rows})
job.file.save("tickets.xlsx", ContentFile(buf.getvalue()))
from portal.tasks import run_import_job
run_import_job.delay(job.pk)
print(job.pk)
"""


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (initdb in a temp folder), so it can be restarted without
    touching the database the rest of the suite runs on."""

    def __init__(self, tmp: Path):
        import tempfile

        self.dir = Path(tempfile.mkdtemp(prefix="pg-fault-"))
        shutil.chown(self.dir, "postgres")
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/portal"

    def _pg(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        if not (self.dir / "data").exists():
            self._pg(str(PG_BIN / "initdb"), "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres",
                     "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        self._pg(str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w", "start", "-o",
                 f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._pg(str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-w", "-m", mode, "stop")

    def query(self, sql: str, *params):
        import psycopg2

        with psycopg2.connect(self.url) as conn, conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchone()[0]


@pytest.mark.skipif(
    PG_BIN is None or os.geteuid() != 0 or shutil.which("runuser") is None,
    reason="needs PostgreSQL's server binaries and root to run a private cluster",
)
def test_postgres_restart_mid_import_resumes_without_duplicates(tmp_path):
    """A worker imports 8,000 rows; PostgreSQL is restarted (fast shutdown: every connection is cut)
    mid-file. The import task retries on the lost connection, takes its running job over and finishes
    after the last committed chunk: every row once, nothing lost."""
    rows = 8000  # forty chunks of 200: the restart must land before the import's ~4 s are over
    pg = PrivatePostgres(tmp_path)
    pg.start()
    redis = Redis(tmp_path)
    redis.start()
    worker = None
    try:
        subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p",
                        str(pg.port), "portal"], check=True, timeout=60)  # fmt: skip
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.local",
            "DATABASE_URL": pg.url,
            "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "IMPORT_CHUNK_ROWS": "200",  # the restart lands mid-file
        }
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
        worker_env = {**env, "DATABASE_URL": pg.url}
        os.environ["IMPORT_STALL_SECONDS"] = "120"
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", "--loglevel=WARNING", "--concurrency=1",
             "-n", f"pg-fault-{redis.port}@%h"],
            cwd=ROOT, env=worker_env, stdout=open(tmp_path / "worker.log", "ab"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        out = subprocess.run(
            [*manage, "shell", "-c", SETUP_JOB.format(rows=rows)], cwd=ROOT, env=env, check=True, timeout=120,
            capture_output=True, text=True,
        )  # fmt: skip
        job_id = int(out.stdout.strip().splitlines()[-1])

        def job(column: str):
            return pg.query(f"SELECT {column} FROM portal_importjob WHERE id = %s", job_id)  # noqa: S608

        log = tmp_path / "worker.log"
        assert wait_for(lambda: job("processed_rows") >= 400, 120, step=0.05), log.read_text()[-2000:]
        pg.stop("fast")  # every connection is cut mid-chunk
        time.sleep(2)
        pg.start()
        at_restart = job("processed_rows")
        assert at_restart < rows, "the import finished before the restart: make the file longer"
        assert wait_for(lambda: job("status") == "done", 180), (tmp_path / "worker.log").read_text()[-3000:]
        print(f"restarted PostgreSQL at row {at_restart} of {rows}")
        assert job("processed_rows") == rows
        assert pg.query("SELECT count(*) FROM complaints_complaint WHERE external_id LIKE 'FAULT-%%'") == rows
        assert job("created_count + unchanged_count") == rows
        assert job("error_count") == 0
    finally:
        os.environ.pop("IMPORT_STALL_SECONDS", None)
        os.environ.pop("IMPORT_CHUNK_ROWS", None)
        if worker:
            stop(worker)
        redis.stop()
        with contextlib.suppress(subprocess.CalledProcessError):
            pg.stop("immediate")
        shutil.rmtree(pg.dir, ignore_errors=True)
