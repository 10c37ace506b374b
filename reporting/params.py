"""Parameters of each report kind: parsed and checked once, for the UI, the API, the CLI and the task.

`report_params(kind=…, raw=…, user=…)` returns what a job stores. A campaign, self-check report or
office the user may not see is a 404 (its existence does not leak); a kind the role may not request
is refused; anything malformed is a ValidationError naming the field.
"""

from __future__ import annotations

import calendar as _cal
import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.models import Organisation

MAX_ID = 2**31 - 1
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass
class Resolved:
    """The checked parameters of a report request and the records they point at."""

    kind: str
    params: dict
    organisation: object  # portal.Organisation the report is for (its scope of data)
    campaign: object | None = None


def parse_period(text: str) -> tuple[date, date]:
    """'2026' | '2026-03' | '2026Q1' | '2026-01-01..2026-03-31' → (first day, last day), inclusive."""
    text = (text or "").strip()
    try:
        if m := re.fullmatch(r"(\d{4})", text):
            y = int(m[1])
            start, end = date(y, 1, 1), date(y, 12, 31)
        elif m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            y, mo = int(m[1]), int(m[2])
            start, end = date(y, mo, 1), date(y, mo, _cal.monthrange(y, mo)[1])
        elif m := re.fullmatch(r"(\d{4})[Qq]([1-4])", text):
            y, q = int(m[1]), int(m[2])
            start = date(y, 3 * q - 2, 1)
            end_month = 3 * q
            end = date(y, end_month, _cal.monthrange(y, end_month)[1])
        elif m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text):
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        else:
            raise ValueError(text)
    except ValueError:
        raise ValidationError(
            {"period": _("Give the period as 2026, 2026-03, 2026Q1 or 2026-01-01..2026-03-31.")}
        ) from None
    if end < start:
        raise ValidationError({"period": _("The period cannot end before it starts.")})
    if not (MIN_YEAR <= start.year <= MAX_YEAR and MIN_YEAR <= end.year <= MAX_YEAR):
        raise ValidationError({"period": _("The period must lie between 2000 and 2100.")})
    if (end - start).days > 3 * 366:
        raise ValidationError({"period": _("A report covers at most three years.")})
    return start, end


def int_param(raw: dict, name: str, *, required: bool = True) -> int | None:
    """A record id in `raw[name]`: a whole number in 1..MAX_ID (else a ValidationError naming it)."""
    value = raw.get(name)
    if value in (None, ""):
        if required:
            raise ValidationError({name: _("This parameter is required.")})
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: _("Give a whole number.")}) from None
    if not 1 <= number <= MAX_ID:
        raise ValidationError({name: _("No such record.")})
    return number


def own_org(user, fallback):
    """The user's organisation (the report is for it), or `fallback` (the CLI, an operator)."""
    if user is not None and getattr(user, "organisation", None) is not None:
        return user.organisation
    return fallback


def visible_organisations(user):

    return Organisation.objects.all() if user is None else Organisation.objects.visible_to(user)


def period_params(raw: dict) -> dict:
    """The stored form of `raw['period']`: {"start": ISO date, "end": ISO date}."""
    start, end = parse_period(str(raw.get("period") or ""))
    return {"start": start.isoformat(), "end": end.isoformat()}


def stored_period(params: dict) -> tuple[date, date]:
    return date.fromisoformat(params["start"]), date.fromisoformat(params["end"])


def report_params(*, kind: str, raw: dict, user=None) -> Resolved:
    """Check and resolve the parameters of `kind` as `user` may request them (None: the CLI, sees all).
    Each kind's checks are its definition's `resolve` (reporting/kinds/)."""
    from reporting.kinds import spec  # cycle: reporting.params -> reporting.kinds -> (each kind) -> reporting.params

    return spec(kind).resolve(raw, user)


def raw_from_params(params: dict) -> dict:
    """The request parameters that give `params` again (to regenerate a stored version)."""
    raw = {k: v for k, v in params.items() if k not in ("start", "end")}
    if "start" in params and "end" in params:
        raw["period"] = f"{params['start']}..{params['end']}"
    return raw
