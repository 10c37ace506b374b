"""The write paths measured over HTTP, as another system sees them (issue 14): gunicorn with one sync worker on
PostgreSQL, driven by a stdlib client (http.client, one keep-alive connection, token authentication).

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_http .venv/bin/python bench/over_http.py \\
        --tickets 1000000 --intake 20000 --notices 10000 --applications 10000

Prints, each figure the median of --runs runs in this one process (the machine's cores noted):
  1. single create p50/p95 (ms): one complaint ticket, one outage notice, one connection application per
     request, --singles requests each;
  2. bulk intake rates (records/s) through the bulk endpoints in calls of 1,000: tickets, notices, applications;
  3. database queries per record of a bulk call of 1,000 and of a single create (counted in-process with the
     same code, CaptureQueriesContext: HTTP cannot see them).
The complaints table is first topped up to --tickets rows set-based in SQL (bench/complaints.py `fill`), so
the intake runs against a table of a province's size; every measured record goes through the API.
"""

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://portal:portal@127.0.0.1:5432/portal_http")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from bench import complaints as bc  # noqa: E402
from bench import connections as bconn  # noqa: E402
from bench import outages as bo  # noqa: E402
from bench.common import check, percentile  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8799"))
KINDS = {
    "tickets": "/api/v1/complaints/",
    "notices": "/api/v1/outage-notices/",
    "applications": "/api/v1/connections/",
}


class Client:
    """One keep-alive connection to the server, JSON in and out."""

    def __init__(self, token: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    def post(self, path: str, body) -> tuple[int, dict]:
        self.conn.request("POST", path, body=json.dumps(body).encode(), headers=self.headers)
        response = self.conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")


def _server() -> subprocess.Popen:
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost", "DJANGO_SETTINGS_MODULE": "portal.settings.local"}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    proc = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
        [
            gunicorn,
            "portal.wsgi",
            "--config",
            "portal/gunicorn.conf.py",
            "-w",
            "1",
            "-k",
            "sync",
            "-b",
            f"127.0.0.1:{PORT}",
            "--timeout",
            "600",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/healthz")
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def _items(kind: str, n: int, prefix: str, ctx) -> list[dict]:
    if kind == "tickets":
        codes = [u.code for u in ctx["utilities"]]
        return [bc.item(i, prefix, codes[i % len(codes)]) for i in range(n)]
    if kind == "notices":
        return [bo.item(i, ctx["notice_codes"][i % len(ctx["notice_codes"])], prefix) for i in range(n)]
    out = bconn.items(n, ctx["connection_codes"], seed=hash(prefix) % 10_000)
    for i, item in enumerate(out):
        item["external_id"] = f"{prefix}-{i:08d}"
    return out


def singles(client: Client, kind: str, n: int, prefix: str, ctx) -> list[float]:
    times = []
    for item in _items(kind, n, prefix, ctx):
        t0 = time.perf_counter()
        status, body = client.post(KINDS[kind], item)
        times.append(time.perf_counter() - t0)
        check(status == 201, f"{kind}: {status} {str(body)[:300]}")
    return times


def bulk(client: Client, kind: str, n: int, prefix: str, ctx) -> float:
    items = _items(kind, n, prefix, ctx)
    t0 = time.perf_counter()
    for lo in range(0, n, 1000):
        status, body = client.post(KINDS[kind] + "bulk/", {"items": items[lo : lo + 1000]})
        check(status == 200, f"{kind}: {status} {str(body)[:300]}")
        check(body["counts"]["created"] == len(items[lo : lo + 1000]), f"{kind}: {body['counts']}")
    return n / (time.perf_counter() - t0)


def queries_per_record(kind: str, ctx, prefix: str) -> tuple[float, int]:
    """(queries per record of a bulk call of 1,000, queries of a single create), in-process."""
    client = APIClient()
    client.force_authenticate(ctx["writer"])
    items = _items(kind, 1001, prefix, ctx)
    with CaptureQueriesContext(connection) as bulk_queries:
        r = client.post(KINDS[kind] + "bulk/", {"items": items[:1000]}, format="json")
    check(r.status_code == 200, r.content[:300])
    with CaptureQueriesContext(connection) as single_queries:
        r = client.post(KINDS[kind], items[1000], format="json")
    check(r.status_code == 201, r.content[:300])
    return len(bulk_queries) / 1000, len(single_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000, help="complaints table size before the intake")
    parser.add_argument("--intake", type=int, default=20_000, help="tickets pushed in bulk per run")
    parser.add_argument("--notices", type=int, default=10_000, help="outage notices pushed in bulk per run")
    parser.add_argument("--applications", type=int, default=10_000, help="connection applications per run")
    parser.add_argument("--singles", type=int, default=300, help="single creates per kind per run")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ctx = bc.setup()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    bc.fill(args.tickets, ctx["utilities"])
    from portal.models import Organisation

    sd = Organisation.objects.filter(code__startswith="SGCC-SD", level__in=["city", "county"]).utilities()
    ctx["notice_codes"] = ctx["connection_codes"] = sorted(sd.values_list("code", flat=True))
    token = Token.objects.get_or_create(user=ctx["writer"])[0].key
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    server = _server()
    stamp = int(time.time())
    figures: dict[str, list[float]] = {}
    try:
        client = Client(token)
        for run in range(args.runs):
            for kind in KINDS:
                times = singles(client, kind, args.singles, f"S{stamp}{run}{kind[0]}", ctx)
                figures.setdefault(f"{kind} single p50", []).append(statistics.median(times) * 1000)
                figures.setdefault(f"{kind} single p95", []).append(percentile(times, 0.95) * 1000)
            figures.setdefault("tickets bulk", []).append(bulk(client, "tickets", args.intake, f"B{stamp}{run}", ctx))
            figures.setdefault("notices bulk", []).append(bulk(client, "notices", args.notices, f"B{stamp}{run}", ctx))
            figures.setdefault("applications bulk", []).append(
                bulk(client, "applications", args.applications, f"B{stamp}{run}", ctx)
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(
        f"database: {connection.vendor}, {os.cpu_count()} cores; gunicorn, 1 sync worker; medians of {args.runs} runs"
    )
    from complaints.models import Complaint

    print(f"complaints table: {Complaint.objects.count():,} tickets")
    for kind in KINDS:
        p50 = statistics.median(figures[f"{kind} single p50"])
        p95 = statistics.median(figures[f"{kind} single p95"])
        rate = statistics.median(figures[f"{kind} bulk"])
        per, single = queries_per_record(kind, ctx, f"Q{stamp}{kind[0]}")
        print(
            f"{kind:<13} single create p50 {p50:6.1f} ms  p95 {p95:6.1f} ms ({single} queries) | "
            f"bulk {rate:8,.0f}/s ({per:.3f} queries a record)"
        )


if __name__ == "__main__":
    main()
