"""Reads of the shared core: which rules judge an event, and explanations of deadlines."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.db import connection

from portal.deadlines import NoticeState, judge_notice, local_date, worst_state
from portal.models import CalendarDay, CalendarYear, Organisation, Rule

_BATCH: ContextVar[dict | None] = ContextVar("portal_batch", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Within this block the rule catalogue and the calendar are read once, not per record: for bulk
    intake, imports and re-evaluations of thousands of records (neither changes meanwhile)."""
    if _BATCH.get() is not None:
        yield
        return
    token = _BATCH.set({})
    try:
        yield
    finally:
        _BATCH.reset(token)


def batch_cached(key: str, load):
    """`load()` once per batch (every time outside one)."""
    cache = _BATCH.get()
    if cache is None:
        return load()
    if key not in cache:
        cache[key] = load()
    return cache[key]


_loaded: dict[str, tuple[tuple, object]] = {}
_FINGERPRINT = (
    "SELECT (SELECT COUNT(*) FROM {r}), (SELECT MAX(history_date) FROM {h}),"
    " (SELECT COUNT(*) FROM {d}), (SELECT MAX(updated_at) FROM {d}),"
    " (SELECT COUNT(*) FROM {y}), (SELECT MAX(loaded_at) FROM {y}), (SELECT MAX(year) FROM {y})"
)


def reference_cached(key: str, load):
    """`load()` again only when the rule catalogue or the calendar changed since this process last loaded
    `key`: any process may edit them, so every request (or batch) asks the database in one statement.
    An edit outside the ORM (a migration, `update()`) is seen when the process restarts, as on a deploy."""
    fingerprint = batch_cached("reference", _reference_fingerprint)
    held = _loaded.get(key)
    if held is None or held[0] != fingerprint:
        held = (fingerprint, load())
        _loaded[key] = held
    return held[1]


def _reference_fingerprint() -> tuple:
    # Counts catch a deletion whose history a rollback took away; the latest change instant catches an edit.
    rules, history = Rule._meta.db_table, Rule.history.model._meta.db_table
    days, years = CalendarDay._meta.db_table, CalendarYear._meta.db_table
    sql = _FINGERPRINT.format(r=rules, h=history, d=days, y=years)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def _in_force(on: date):
    rules = reference_cached("rules", lambda: list(Rule.objects.select_related("jurisdiction")))
    return [
        r for r in rules if r.is_active and r.effective_from <= on and (r.effective_to is None or r.effective_to > on)
    ]


def rules_in_force(*, prefix: str, on: date, context: dict | None = None, province_id: int | None = None) -> list[Rule]:
    """Every rule whose id starts with `prefix`, in force on `on`, for the event's province
    (national rules plus that province's own), that applies to `context` (e.g. channel, kind)."""
    rules = [r for r in _in_force(on) if r.code.startswith(prefix)]
    out = []
    for rule in rules:
        if rule.jurisdiction_id is not None and rule.jurisdiction_id != province_id:
            continue
        if context is not None and not rule.applies(context):
            continue
        out.append(rule)
    return out


def rule_for_code(code: str, *, on: date, province_id: int | None = None) -> Rule:
    """The version of rule `code` in force on `on`; a provincial version wins over the national one."""
    candidates = [r for r in _in_force(on) if r.code == code and r.jurisdiction_id in (None, province_id)]
    if not candidates:
        raise Rule.DoesNotExist(code)
    candidates.sort(key=lambda r: (r.jurisdiction_id is None, -r.effective_from.toordinal()))
    return candidates[0]


def supervising_regulators(utility: Organisation):
    return Organisation.objects.supervising(utility)


__all__ = ["local_date", "rule_for_code", "rules_in_force", "supervising_regulators"]


NOTICE_KINDS = ("planned", "temporary", "restriction", "arrears")


def notice_judge(*, kind: str, notice_at: datetime | None, start: datetime, province_id: int | None = None) -> dict:
    """Judge an advance notice against every rule in force for the outage kind on the event's date.

    Returns {"state", "lead_hours", "rules": [judgement per rule with its source class]}; the overall
    state is the worst of the rules (statute and commitment are reported apart in `rules`).
    """
    if kind not in NOTICE_KINDS:
        raise ValueError(kind)
    prefix = f"outage.notice.{kind}"
    rules = [
        r
        for r in rules_in_force(prefix=prefix, on=local_date(start), province_id=province_id)
        if r.code == prefix or r.code.startswith(prefix + ".")
    ]
    judgements = []
    for rule in rules:
        j = judge_notice(rule.spec(), notice_at=notice_at, event_start=start)
        judgements.append(
            {
                **j.as_dict(),
                "source_class": rule.source_class,
                "statutory": rule.is_statutory,
                "title": rule.title,
                "source": rule.source,
            }
        )
    state = worst_state(NoticeState(j["state"]) for j in judgements) if judgements else NoticeState.COMPLIANT
    lead = round((start - notice_at).total_seconds() / 3600, 2) if notice_at else None
    return {"kind": kind, "state": str(state), "lead_hours": lead, "rules": judgements}
