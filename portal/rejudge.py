"""Judging tracked deadlines again after the calendar changed.

A change names the dates whose kind changed (or every date of a year that became known). A deadline
counted in working or calendar days depends on the dates after its start day up to its due day, so
those whose span touches a changed date are computed again with the new calendar:

- an open deadline moves (due, at-risk, reminder, provisional) and its subject's summary follows;
- a met or overdue deadline keeps the judgement it had (a published verdict does not change under
  anyone's feet), and its history notes how the new calendar would have judged it, when differently.

Set-based: candidates come from one indexed range query per chunk, updates go out in bulk with their
history rows; progress is stored on the change, so a page shows it and a crashed run resumes.
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from portal.calendar import get_calendar
from portal.choices import DeadlineStatus, RuleUnit
from portal.deadlines import SHANGHAI, compute_deadline, end_of_day, fraction_instant, local_date
from portal.models import CalendarChange, ImportStatus, Rule, TrackedDeadline
from portal.services import remind_fraction

CALENDAR_UNITS = (RuleUnit.WORKING_DAYS, RuleUnit.CALENDAR_DAYS)
CHUNK = 2000
PENDING_GRACE = timedelta(minutes=2)  # the task queued on save normally runs within seconds
STALLED_AFTER = timedelta(hours=1)
MOVED_FIELDS = ["due", "at_risk_at", "remind_at", "provisional"]

# Subject apps register how their records follow moved deadlines (e.g. a ticket's summary columns),
# keyed by "app_label.model", called with the ids of the records whose open deadlines moved.
MOVED_HANDLERS: dict[str, Callable[[list[int]], None]] = {}
# And what else of theirs follows the calendar itself (e.g. a deliverable "due on a rest day").
CALENDAR_HANDLERS: list[Callable[[list[date]], None]] = []


def register_moved_handler(model: type[models.Model], handler: Callable[[list[int]], None]) -> None:
    MOVED_HANDLERS[model._meta.label_lower] = handler


def register_calendar_handler(handler: Callable[[list[date]], None]) -> None:
    if handler not in CALENDAR_HANDLERS:
        CALENDAR_HANDLERS.append(handler)


def calendar_rejudge_run(change_id: int, *, now: datetime | None = None) -> CalendarChange:
    """Judge again every deadline the change touches. Safe to run twice: a finished change is left alone,
    and a rerun of an interrupted one only rewrites what still differs."""
    now = now or timezone.now()
    with transaction.atomic():
        change = CalendarChange.objects.select_for_update().get(pk=change_id)
        if change.status == ImportStatus.DONE:
            return change
        change.status = ImportStatus.RUNNING
        change.save(update_fields=["status"])
    dates = sorted(date.fromisoformat(d) for d in change.dates)
    try:
        if dates:
            _run(change, dates, now)
            for handler in CALENDAR_HANDLERS:
                handler(dates)
    except Exception as exc:
        CalendarChange.objects.filter(pk=change_id).update(status=ImportStatus.FAILED, failure_reason=str(exc)[:2000])
        raise
    CalendarChange.objects.filter(pk=change_id).update(status=ImportStatus.DONE, finished_at=timezone.now())
    change.refresh_from_db()
    return change


def calendar_rejudge_pending() -> int:
    """Run every change not finished yet (beat: a message the broker lost is not a change forgotten)."""
    now = timezone.now()
    pending = list(
        CalendarChange.objects.filter(
            models.Q(status__in=[ImportStatus.QUEUED, ImportStatus.FAILED], created_at__lt=now - PENDING_GRACE)
            | models.Q(status=ImportStatus.RUNNING, created_at__lt=now - STALLED_AFTER)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    for pk in pending:
        calendar_rejudge_run(pk)
    return len(pending)


def deadlines_window(dates: list[date]):
    """Deadlines that may depend on a date in [first, last]: started before the last, due after the first."""
    first = datetime.combine(dates[0], time.min, tzinfo=SHANGHAI)
    return TrackedDeadline.objects.filter(
        rule__unit__in=CALENDAR_UNITS, start__lte=end_of_day(dates[-1]), due__gte=first
    ).exclude(status=DeadlineStatus.CANCELLED)


# What judging a deadline reads; full rows are loaded only for the few that move or get a note.
READ = ["id", "rule_id", "start", "due", "at_risk_at", "remind_at", "provisional", "status", "met_at"]


def _run(change: CalendarChange, dates: list[date], now: datetime) -> None:
    window = deadlines_window(dates)
    CalendarChange.objects.filter(pk=change.pk).update(total=window.count(), processed=0, moved=0, noted=0)
    cal = get_calendar()
    specs = {pk: rule.spec() for pk, rule in Rule.objects.in_bulk().items()}
    last_id = 0
    while True:
        rows = list(window.filter(id__gt=last_id).order_by("id").values(*READ)[:CHUNK])
        if not rows:
            break
        with transaction.atomic():
            moved, noted = _judge_chunk(rows, dates, cal, specs, change, now)
            CalendarChange.objects.filter(pk=change.pk).update(
                processed=models.F("processed") + len(rows),
                moved=models.F("moved") + len(moved),
                noted=models.F("noted") + len(noted),
            )
        last_id = rows[-1]["id"]


def _touches(dates: list[date], start: date, due: date) -> bool:
    """Whether a changed date lies after the start day and on or before the due day."""
    i = bisect_right(dates, start)
    return i < len(dates) and dates[i] <= due


def _judge_chunk(rows: list[dict], dates, cal, specs, change, now) -> tuple[list, list]:
    new_values: dict[int, tuple] = {}
    notes: dict[int, str] = {}
    for row in rows:
        if not _touches(dates, local_date(row["start"]), local_date(row["due"])):
            continue
        result = compute_deadline(specs[row["rule_id"]], row["start"], cal, explain=False)
        if row["status"] == DeadlineStatus.OPEN:
            start = row["start"]
            remind = fraction_instant(start, result.due, remind_fraction()) if result.due > start else None
            new = (result.due, result.at_risk, remind, result.provisional)
            if new != (row["due"], row["at_risk_at"], row["remind_at"], row["provisional"]):
                new_values[row["id"]] = new
            continue
        verdict = _verdict(row["met_at"], result.due, now)
        if verdict != row["status"]:
            notes[row["id"]] = (
                _("Calendar changed: due would be %(due)s, judged %(verdict)s; the recorded judgement stands")
                % {"due": f"{timezone.localtime(result.due):%Y-%m-%d %H:%M}", "verdict": DeadlineStatus(verdict).label}
            )[:100]
    loaded = TrackedDeadline.objects.in_bulk(list(new_values) + list(notes))
    moved = [loaded[pk] for pk in new_values]
    for obj in moved:
        obj.due, obj.at_risk_at, obj.remind_at, obj.provisional = new_values[obj.pk]
    noted = [loaded[pk] for pk in notes]
    for obj in noted:
        obj._change_reason = notes[obj.pk]
    if moved:
        bulk_update_with_history(
            moved,
            TrackedDeadline,
            MOVED_FIELDS,
            batch_size=500,
            default_user=change.requested_by,
            default_change_reason=_("Calendar changed: deadline recomputed")[:100],
        )
        by_model = defaultdict(list)
        for obj in moved:
            by_model[obj.content_type_id].append(obj.object_id)
        _tell_subjects(by_model)
    if noted:
        TrackedDeadline.history.bulk_history_create(noted, update=True, default_user=change.requested_by)
    return moved, noted


def _verdict(met_at: datetime | None, due: datetime, now: datetime) -> str:
    if met_at is not None:
        return DeadlineStatus.MET if met_at <= due else DeadlineStatus.MET_LATE
    return DeadlineStatus.OVERDUE if due < now else DeadlineStatus.OPEN


def _tell_subjects(by_model: dict[int, list[int]]) -> None:
    for ct_id, ids in by_model.items():
        ct = ContentType.objects.get_for_id(ct_id)
        handler = MOVED_HANDLERS.get(f"{ct.app_label}.{ct.model}")
        if handler:
            handler(sorted(set(ids)))
