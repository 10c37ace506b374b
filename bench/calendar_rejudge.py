"""Benchmark of the re-judgement after a calendar change (PostgreSQL database portal_calendar, never the
test database).

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_calendar \
        .venv/bin/python bench/calendar_rejudge.py --total 1000000

Generates --total open deadlines (complaint.reply, 7 working days) with starts spread over 2026, plus a
tenth as many met ones, set-based. Then measures, each as the median of --repeat runs:
  1. moving one holiday (端午节 19 June → 22 June and back): the deadlines whose span touches the two days;
  2. entering a whole year again (2026 as the library has it, after removing it): every deadline of 2026.
Figures: deadlines checked and moved, seconds, deadlines per second, peak RSS.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")
os.environ.setdefault("DATABASE_URL", "postgres://portal:portal@127.0.0.1:5432/portal_calendar")

import django

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench.common import check, peak_rss_mib  # noqa: E402
from portal.calendar import Day, calendar_year_save, get_calendar, year_days  # noqa: E402
from portal.choices import DayKind, DeadlineStatus, OrgKind, OrgLevel, Role  # noqa: E402
from portal.deadlines import compute_deadline  # noqa: E402
from portal.models import CalendarChange, CalendarYear, Organisation, Rule, TrackedDeadline, User  # noqa: E402
from portal.rejudge import calendar_rejudge_run  # noqa: E402
from portal.services import deadline_values  # noqa: E402

SH = ZoneInfo("Asia/Shanghai")
FIRST = datetime(2026, 1, 5, 9, 0, tzinfo=SH)


def setup(total: int) -> tuple[User, int]:
    call_command("migrate", verbosity=0)
    utility, _ = Organisation.objects.get_or_create(
        code="BENCH-U", defaults={"name": "基准供电公司", "kind": OrgKind.UTILITY, "level": OrgLevel.PROVINCIAL}
    )
    office, _ = Organisation.objects.get_or_create(
        code="BENCH-R", defaults={"name": "基准监管局", "kind": OrgKind.REGULATOR, "level": OrgLevel.REGIONAL}
    )
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"organisation": office, "role": Role.REGULATOR_ADMIN}
    )
    have = TrackedDeadline.objects.filter(utility=utility).count()
    if have < total:
        rule = Rule.objects.get(code="complaint.reply", jurisdiction=None)
        ct = ContentType.objects.get_for_model(Organisation)
        cal = get_calendar()
        step = timedelta(seconds=(360 * 86400) // total)
        batch = []
        for i in range(have, total):
            start = FIRST + step * i
            values = deadline_values(
                utility_id=utility.pk, rule=rule, start=start, result=compute_deadline(rule.spec(), start, cal)
            )
            row = TrackedDeadline(content_type=ct, object_id=i, **{**values, "code": "bench.reply"})
            if i % 10 == 0:
                row.status, row.met_at = DeadlineStatus.MET, start + timedelta(days=3)
            batch.append(row)
            if len(batch) == 10000:
                TrackedDeadline.objects.bulk_create(batch)
                batch = []
        TrackedDeadline.objects.bulk_create(batch)
    return admin, TrackedDeadline.objects.filter(utility=utility).count()


def timed(change) -> tuple[float, CalendarChange]:
    CalendarChange.objects.filter(pk=change.pk).update(status="queued")
    started = time.perf_counter()
    calendar_rejudge_run(change.pk)
    return time.perf_counter() - started, CalendarChange.objects.get(pk=change.pk)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    admin, total = setup(args.total)
    # The run is timed here, in this process, rather than queued to a worker.
    mock.patch("portal.calendar.calendar_rejudge.delay").start()
    print(f"deadlines in the table: {total:,} (cores: {os.cpu_count()})")

    original = year_days(2026)
    moved_holiday = [d for d in original if d.date != date(2026, 6, 19)]
    moved_holiday.append(Day(date(2026, 6, 22), DayKind.HOLIDAY, "端午节"))
    runs = []
    for _ in range(args.repeat):
        for days in (moved_holiday, original):
            change = calendar_year_save(year=2026, days=days, title="基准：端午节调整", acting_user=admin)
            check(change is not None, "the change moved nothing")
            runs.append(timed(change))
    seconds = statistics.median(r[0] for r in runs)
    sample = runs[0][1]
    print(
        f"one holiday moved: {sample.total:,} candidates, {sample.processed:,} checked, {sample.moved:,} moved,"
        f" {sample.noted:,} noted; median {seconds:.2f} s ({sample.total / seconds:,.0f} deadlines/s)"
    )

    runs = []
    for _ in range(args.repeat):
        CalendarYear.objects.filter(year=2026).delete()
        change = calendar_year_save(year=2026, days=original, title="基准：全年重新录入", acting_user=admin)
        runs.append(timed(change))
    seconds = statistics.median(r[0] for r in runs)
    sample = runs[0][1]
    print(
        f"whole year entered: {sample.total:,} candidates, {sample.moved:,} moved, {sample.noted:,} noted;"
        f" median {seconds:.2f} s ({sample.total / seconds:,.0f} deadlines/s); peak RSS {peak_rss_mib():.0f} MiB"
    )


if __name__ == "__main__":
    main()
