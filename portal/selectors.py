"""Reads of the shared core: which rules judge an event, and explanations of deadlines."""

from datetime import date, datetime

from portal.deadlines import Deadline, compute_deadline, local_date
from portal.models import Organisation, Rule


def rules_in_force(*, prefix: str, on: date, context: dict | None = None, province_id: int | None = None) -> list[Rule]:
    """Every rule whose id starts with `prefix`, in force on `on`, for the event's province
    (national rules plus that province's own), that applies to `context` (e.g. channel, kind)."""
    rules = Rule.objects.in_force(on).filter(code__startswith=prefix).select_related("jurisdiction")
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
    candidates = [r for r in Rule.objects.in_force(on).filter(code=code) if r.jurisdiction_id in (None, province_id)]
    if not candidates:
        raise Rule.DoesNotExist(code)
    candidates.sort(key=lambda r: (r.jurisdiction_id is None, -r.effective_from.toordinal()))
    return candidates[0]


def deadline_explain(*, rule: Rule, start: datetime) -> Deadline:
    """Recompute a deadline with its trace, for the 'explain this deadline' views."""
    from portal.calendar import get_calendar

    return compute_deadline(rule.spec(), start, get_calendar())


def supervising_regulators(utility: Organisation):
    return Organisation.objects.supervising(utility)


__all__ = ["deadline_explain", "local_date", "rule_for_code", "rules_in_force", "supervising_regulators"]


NOTICE_KINDS = ("planned", "temporary", "restriction", "arrears")


def notice_judge(*, kind: str, notice_at: datetime | None, start: datetime, province_id: int | None = None) -> dict:
    """Judge an advance notice against every rule in force for the outage kind on the event's date.

    Returns {"state", "lead_hours", "rules": [judgement per rule with its source class]}; the overall
    state is the worst of the rules (statute and commitment are reported apart in `rules`).
    """
    from portal.deadlines import NoticeState, judge_notice, worst_state

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
