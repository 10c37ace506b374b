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

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from reporting.choices import ReportKind

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


def _int(raw: dict, name: str, *, required: bool = True) -> int | None:
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


def _may_request_regulator_reports(user) -> bool:
    return user is None or user.is_superuser or (user.organisation is not None and user.organisation.is_regulator)


def _own_org(user, fallback):
    if user is not None and getattr(user, "organisation", None) is not None:
        return user.organisation
    return fallback


def report_params(*, kind: str, raw: dict, user=None) -> Resolved:
    """Check and resolve the parameters of `kind` as `user` may request them (None: the CLI, sees all)."""
    from campaigns.models import Campaign, SelfCheckReport
    from portal.models import Organisation

    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Unknown report kind.")})
    if kind == ReportKind.CAMPAIGN_SPECIAL:
        if not _may_request_regulator_reports(user):
            raise PermissionDenied(_("Only regulators request special reports."))
        pk = _int(raw, "campaign")
        qs = Campaign.objects.all() if user is None else Campaign.objects.visible_to(user)
        campaign = qs.select_related("owner").filter(pk=pk).first()
        if campaign is None:
            raise Http404
        return Resolved(kind, {"campaign": campaign.pk}, _own_org(user, campaign.owner), campaign)
    if kind == ReportKind.SELF_CHECK:
        qs = SelfCheckReport.objects.all() if user is None else SelfCheckReport.objects.visible_to(user)
        pk = _int(raw, "report", required=False)
        if pk is None:
            campaign_pk = _int(raw, "campaign")
            code = str(raw.get("utility") or "").strip()[:40]
            if not code:
                raise ValidationError({"utility": _("Give the report, or the campaign and the utility (code).")})
            report = qs.filter(campaign_id=campaign_pk, utility__code=code).select_related("utility").first()
        else:
            report = qs.filter(pk=pk).select_related("utility").first()
        if report is None:
            raise Http404
        return Resolved(kind, {"report": report.pk}, report.utility, report.campaign)
    start, end = parse_period(str(raw.get("period") or ""))
    params = {"start": start.isoformat(), "end": end.isoformat()}
    visible = Organisation.objects.all() if user is None else Organisation.objects.visible_to(user)
    office_pk = _int(raw, "office", required=False)
    if kind == ReportKind.COMPLAINT_BULLETIN:
        if not _may_request_regulator_reports(user):
            raise PermissionDenied(_("Only regulators issue bulletins."))
        if office_pk is None:
            office = _own_org(user, None)
            if office is None:
                raise ValidationError({"office": _("Give the regulator office.")})
        else:
            office = visible.filter(pk=office_pk).first()
            if office is None:
                raise Http404
        if not office.is_regulator:
            raise ValidationError({"office": _("A bulletin is issued by a regulator office.")})
        params["office"] = office.pk
        return Resolved(kind, params, office)
    # outage_compliance: for an office's jurisdiction or a utility's subtree
    code = str(raw.get("utility") or "").strip()[:40]
    if office_pk is not None:
        org = visible.filter(pk=office_pk).first()
        if org is None:
            raise Http404
    else:
        org = _own_org(user, None)
    if code:
        utility = visible.filter(code=code).first()
        if utility is None or not utility.is_utility:
            raise Http404
        params["utility"] = utility.code
        org = org or utility
    if org is None:
        org = Organisation.objects.filter(kind="regulator", level="national").first()
        if org is None:
            raise ValidationError({"office": _("Give the office the report is for.")})
    params["office"] = org.pk
    return Resolved(kind, params, org)


def raw_from_params(params: dict) -> dict:
    """The request parameters that give `params` again (to regenerate a stored version)."""
    raw = {k: v for k, v in params.items() if k not in ("start", "end")}
    if "start" in params and "end" in params:
        raw["period"] = f"{params['start']}..{params['end']}"
    return raw
