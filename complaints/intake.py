"""Validation of tickets pushed by other systems (REST create, bulk, Excel/CSV import): one pure
function for all three, fast enough for thousands of items per second (no query per item).

`clean_item(raw, utilities=..., now=...)` returns `(data, errors)`: `errors` maps field names to
messages; nothing is written by this module. Which fields it reads, how (their kind) and their limits
come from the field spec, `complaints.fields.COMPLAINT_FIELDS`.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from complaints import fields
from complaints.choices import Category, Channel, Finding, Kind
from portal.deadlines import SHANGHAI
from portal.fieldspec import CHOICE, INSTANT, ORG, PHONE, TEXT, choice_aliases
from portal.instants import read_instant

# The kinds of value `clean_item` reads (a field of another kind needs its reader here first).
READS = frozenset({CHOICE, TEXT, PHONE, INSTANT, ORG})
# The intake keys hashed by the first fingerprint, blank or not; frozen (see `fingerprint`).
FINGERPRINT_V1_FIELDS = (
    "channel",
    "kind",
    "external_id",
    "received_at",
    "accepted_at",
    "utility",
    "region",
    "category",
    "content",
    "customer_name",
    "customer_phone",
    "address",
)
# Mobile (1[3-9]xxxxxxxxx) or landline with area code (0xx-xxxxxxxx), optionally +86 / extension.
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")
_PHONE_STRIP = re.compile(r"[\s\-()（）]")
PHONE_MESSAGE = gettext_noop(
    "'%(value)s' is not a phone number (a mobile such as 13812345678 or a landline such as 0538-8201234)."
)


def _extra_aliases() -> dict[str, dict[str, str]]:
    # The words of the issue and the seeds (停限电, 业扩报装, ...) and short channel names.
    return {
        "category": {
            "停限电": Category.OUTAGE,
            "停电": Category.OUTAGE,
            "业扩报装": Category.CONNECTION,
            "报装接电": Category.CONNECTION,
            "电费电价": Category.BILLING,
            "计量": Category.METERING,
            "供电质量": Category.QUALITY,
            "服务行为": Category.CONDUCT,
            "服务态度": Category.CONDUCT,
            "抢修": Category.REPAIR,
            "其他": Category.OTHER,
        },
        "kind": {
            "投诉": Kind.COMPLAINT,
            "举报": Kind.REPORT,
            "咨询": Kind.INQUIRY,
            "意见建议": Kind.SUGGESTION,
            "意见": Kind.SUGGESTION,
            "建议": Kind.SUGGESTION,
        },
        # 核实结论 as the source systems write it.
        "finding": {
            "属实": Finding.FOUNDED,
            "部分属实": Finding.PARTLY,
            "不属实": Finding.UNFOUNDED,
            "基本属实": Finding.PARTLY,
        },
        "channel": {"信函": Channel.LETTER, "网站": Channel.WEBSITE, "来访": Channel.WALK_IN, "其他": Channel.OTHER},
    }


def normalise_phone(value: str) -> str | None:
    """The phone in canonical form, or None when it is not a phone number."""
    text = _PHONE_STRIP.sub("", value)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    main = text.split("转", 1)[0].split("ext", 1)[0]
    if _MOBILE.match(main) or _LANDLINE.match(main):
        return text[:20]
    return None


def clean_item(raw, *, utilities: dict, now: datetime) -> tuple[dict, dict[str, list[str]]]:
    """Validate one pushed ticket. `utilities` maps organisation codes to Organisation rows (loaded
    once per call for every item). Returns (data, errors); data["utility"] is the Organisation."""
    errors: dict[str, list[str]] = {}
    if not isinstance(raw, dict):
        return {}, {"non_field_errors": [_("Each ticket must be a JSON object.")]}
    data: dict = {}
    extra = _extra_aliases()
    for f in fields.COMPLAINT_FIELDS.intake_fields:
        field = f.name
        value = raw.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            if f.required:
                errors.setdefault(field, []).append(_("This field is required."))
            continue
        if f.kind == INSTANT:
            parsed = read_instant(value, field, errors, now, happened=f.happened)
            if parsed is not None:
                data[field] = parsed
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            errors.setdefault(field, []).append(_("Give a text value."))
            continue
        text = str(value).strip()
        if "\x00" in text:
            errors.setdefault(field, []).append(_("Null characters are not allowed."))
            continue
        if f.kind == CHOICE:
            aliases = choice_aliases(field, f.choices)
            key = text if text in aliases else text.lower()
            chosen = aliases.get(key) or extra.get(field, {}).get(text)
            if chosen is None:
                errors.setdefault(field, []).append(
                    _("Unknown %(field)s '%(value)s'; use one of %(allowed)s.")
                    % {"field": field, "value": text[:40], "allowed": ", ".join(str(v) for v, _l in f.choices)}
                )
                continue
            data[field] = str(chosen)
            continue
        if f.max_length is not None and len(text) > f.max_length:
            errors.setdefault(field, []).append(
                _("At most %(limit)d characters (this has %(n)d).") % {"limit": f.max_length, "n": len(text)}
            )
            continue
        if f.kind == ORG:
            org = utilities.get(text)
            if org is None or not org.is_utility:
                errors.setdefault(field, []).append(_("Unknown utility '%(code)s'.") % {"code": text[:40]})
                continue
            data[field] = org
            continue
        if f.kind == PHONE:
            phone = normalise_phone(text)
            if phone is None:
                errors.setdefault(field, []).append(_(PHONE_MESSAGE) % {"value": text[:20]})
                continue
            data[field] = phone
            continue
        data[field] = text
    if "received_at" in data and "accepted_at" in data and data["accepted_at"] < data["received_at"]:
        errors.setdefault("accepted_at", []).append(_("A ticket cannot be accepted before it was received."))
    return (data if not errors else {}), errors


def fingerprint(data: dict) -> str:
    """A hash of what the source system said, to tell an identical retry from a conflicting one.

    It covers what the client sent: a blank or absent value is not content (the intake drops it).
    The keys of the first version (FINGERPRINT_V1_FIELDS) are always in the hash, "" when not sent,
    exactly as that version hashed them, so a ticket stored before keeps matching its identical
    retries; a field added to the spec later enters the hash only when sent, so adding an optional
    field leaves every old retry "unchanged", while a retry that sends a value for it is different
    content (409, or an update). Stored hashes need no migration and no version mark.
    """
    canon = dict.fromkeys(FINGERPRINT_V1_FIELDS, "")
    for field in fields.COMPLAINT_FIELDS.intake_names:
        value = data.get(field)
        if isinstance(value, datetime):
            value = value.astimezone(SHANGHAI).isoformat()
        elif hasattr(value, "code"):
            value = value.code
        if value not in (None, ""):
            canon[field] = value
    return hashlib.sha256(json.dumps(canon, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def utility_codes(items) -> set[str]:
    """The utility codes named by a batch (for one query loading them all)."""
    codes = set()
    limit = fields.COMPLAINT_FIELDS["utility"].max_length
    for raw in items:
        if isinstance(raw, dict):
            code = raw.get("utility")
            if isinstance(code, str) and 0 < len(code.strip()) <= limit and "\x00" not in code:
                codes.add(code.strip())
    return codes
