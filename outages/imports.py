"""Excel/CSV import of outage notices through the shared import jobs (`portal.imports`).

One row is one notice; rows are idempotent on (utility, external id), so a re-run or a resumed
job creates nothing twice, and a changed row updates its notice.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outages.choices import AreaClass, Channel, NoticeStatus, OutageKind
from outages.services import notice_upsert, writable_utilities
from portal.choices import UTILITY_ROLES, Role
from portal.deadlines import SHANGHAI
from portal.imports import register_import_handler
from portal.instants import InstantError, parse_instant

# Header → field. The template's columns, in order.
COLUMNS = {
    "外部编号": "external_id",
    "单位编码": "utility",
    "停电类型": "kind",
    "停电原因": "reason",
    "停电区域": "area",
    "停电线路": "lines",
    "影响户数": "affected_customers",
    "重要客户": "important_customers",
    "计划开始": "start_at",
    "计划结束": "end_at",
    "发布时间": "published_at",
    "发布渠道": "channels",
    "通知重要客户时间": "important_customers_notified_at",
    "状态": "status",
    "实际停电": "actual_start_at",
    "恢复送电": "actual_end_at",
    "区域类别": "area_class",
}
INSTANT_FIELDS = {
    "start_at",
    "end_at",
    "published_at",
    "important_customers_notified_at",
    "actual_start_at",
    "actual_end_at",
}


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


def import_notice_row(row: dict, *, job, acting_user) -> str:
    with translation.override("zh-hans"):
        kinds, statuses = _words(OutageKind.choices), _words(NoticeStatus.choices)
        classes, channels = _words(AreaClass.choices), _words(Channel.choices)
    data: dict = {}
    for header, field in COLUMNS.items():
        raw = row.get(header)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        if field in INSTANT_FIELDS:
            data[field] = _instant(header, raw)
        elif field == "kind":
            if str(raw).strip() not in kinds:
                raise ValidationError({header: _("Unknown kind '%(v)s'.") % {"v": raw}})
            data[field] = kinds[str(raw).strip()]
        elif field == "status":
            data[field] = statuses.get(str(raw).strip(), str(raw).strip())
        elif field == "area_class":
            data[field] = classes.get(str(raw).strip(), str(raw).strip())
        elif field == "channels":
            parts = [p.strip() for p in str(raw).replace("，", "、").replace(",", "、").split("、") if p.strip()]
            data[field] = [channels.get(p, p) for p in parts]
        elif field == "affected_customers":
            try:
                data[field] = int(float(raw))
            except ValueError:
                raise ValidationError({header: _("Give a whole number.")}) from None
        else:
            data[field] = str(raw).strip()
    for header, field in (
        ("外部编号", "external_id"),
        ("停电类型", "kind"),
        ("停电区域", "area"),
        ("计划开始", "start_at"),
    ):
        if field not in data:
            raise ValidationError({header: _("This column is required.")})
    code = data.pop("utility", None)
    utilities = writable_utilities(acting_user)
    utility = utilities.filter(code=code).first() if code else utilities.filter(pk=acting_user.organisation_id).first()
    if utility is None:
        raise ValidationError({"单位编码": _("Unknown utility '%(v)s' (or not one you may write for).") % {"v": code}})
    _notice, outcome = notice_upsert(utility=utility, data=data, acting_user=acting_user, update=True)
    return outcome


def register() -> None:
    register_import_handler(
        "outages.notices",
        import_notice_row,
        label=gettext_lazy("Outage notices"),
        columns=list(COLUMNS),
        allowed=lambda user: user.is_superuser or user.role in UTILITY_ROLES or user.role == Role.SYSTEM,
    )
