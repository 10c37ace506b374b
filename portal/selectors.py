"""Reads of the shared core: which rules judge an event, and explanations of deadlines."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from portal.deadlines import NoticeState, judge_notice, local_date, worst_state
from portal.models import Organisation, Rule

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


def _in_force(on: date):
    rules = batch_cached("rules", lambda: list(Rule.objects.select_related("jurisdiction")))
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
