"""Excel/CSV import of outage notices through the shared import jobs (`portal.imports`).

One row is one notice; rows are idempotent on (utility, external id), so a re-run or a resumed
job creates nothing twice, and a changed row updates its notice.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outages.fields import NOTICE_FIELDS
from outages.services import notices_intake
from portal.choices import UTILITY_ROLES, Party, Role
from portal.deadlines import SHANGHAI
from portal.fieldspec import CHOICE, INSTANT, INT, LIST
from portal.imports import one_row, register_import_handler
from portal.instants import InstantError, parse_instant
from portal.models import Organisation


def _words(choices) -> dict[str, str]:
    """Accept the code or the Chinese label of a choice."""
    out = {}
    for value, label in choices:
        out[str(value)] = value
        out[str(label)] = value
    return out


def _instant(field: str, raw):
    if isinstance(raw, datetime):
        return raw.replace(tzinfo=SHANGHAI) if raw.tzinfo is None else raw
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day, tzinfo=SHANGHAI)
    try:
        return parse_instant(str(raw))
    except InstantError as exc:
        raise ValidationError({field: str(exc)}) from None


def _row_data(row: dict, words: dict) -> dict:
    """One row of the template (`NOTICE_FIELDS.import_columns`), read by each field's kind."""
    data: dict = {}
    for f in NOTICE_FIELDS.import_fields:
        header, field = f.column, f.name
        raw = row.get(header)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        if f.kind == INSTANT:
            data[field] = _instant(header, raw)
        elif f.kind == CHOICE:
            text = str(raw).strip()
            # The kind decides which rules judge the notice: an unknown one is refused here; other
            # choices are left to the model's validation.
            if field == "kind" and text not in words[field]:
                raise ValidationError({header: _("Unknown kind '%(v)s'.") % {"v": raw}})
            data[field] = words[field].get(text, text)
        elif f.kind == LIST:
            parts = [p.strip() for p in str(raw).replace("，", "、").replace(",", "、").split("、") if p.strip()]
            data[field] = [words[field].get(p, p) for p in parts]
        elif f.kind == INT:
            try:
                data[field] = int(float(raw))
            except ValueError:
                raise ValidationError({header: _("Give a whole number.")}) from None
        else:
            data[field] = str(raw).strip()
    for f in NOTICE_FIELDS.import_fields:
        # The utility may be left out: the importer's own organisation.
        if f.required and f.name != "utility" and f.name not in data:
            raise ValidationError({f.column: _("This column is required.")})
    return data


def import_notice_rows(rows: list[dict], *, job, acting_user) -> list:
    """A chunk of rows through the notices' intake in one call (`notices_intake`): per row its result or
    its ValidationError. The utilities the importer may write for are read once."""
    with translation.override("zh-hans"):
        words = {f.name: _words(f.choices) for f in NOTICE_FIELDS.import_fields if f.kind in (CHOICE, LIST)}
    utilities = Organisation.objects.writable_by(acting_user, Party.UTILITY).utilities()
    by_code = {u.code: u for u in utilities}
    own = next((u for u in by_code.values() if u.pk == acting_user.organisation_id), None)
    out: list = [None] * len(rows)
    entries, positions = [], []
    for index, row in enumerate(rows):
        try:
            data = _row_data(row, words)
        except ValidationError as exc:
            out[index] = exc
            continue
        code = data.pop("utility", None)
        utility = by_code.get(code) if code else own
        if utility is None:
            message = _("Unknown utility '%(v)s' (or not one you may write for).") % {"v": code}
            out[index] = ValidationError({"单位编码": message})
            continue
        entries.append((utility, data))
        positions.append(index)
    outcomes = notices_intake(entries, acting_user=acting_user, update=True, writable={u.pk for u in by_code.values()})
    for index, (outcome, value) in zip(positions, outcomes, strict=True):
        if isinstance(value, PermissionDenied):
            value = ValidationError({"单位编码": str(value)})
        out[index] = value if isinstance(value, ValidationError) else outcome
    return out


def import_notice_row(row: dict, *, job, acting_user) -> str:
    return one_row(import_notice_rows, row, job=job, acting_user=acting_user)


def register() -> None:
    register_import_handler(
        "outages.notices",
        import_notice_rows,
        label=gettext_lazy("Outage notices"),
        columns=list(NOTICE_FIELDS.import_columns),
        allowed=lambda user: user.is_superuser or user.role in UTILITY_ROLES or user.role == Role.SYSTEM,
    )
