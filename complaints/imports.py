"""Excel/CSV import of tickets through the shared resumable import jobs (`portal.imports`).

One row is one ticket, idempotent on (channel, external id) like the REST intake (the same
validation, `complaints.intake.clean_item`): a resumed or re-run job creates nothing twice, and a
changed row updates its ticket. Columns are Chinese; values may be codes or Chinese words.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from complaints.services import complaints_intake
from portal.choices import Role
from portal.imports import register_import_handler

# Header -> API field name. The template's columns, in order.
COLUMNS = {
    "渠道": "channel",
    "类型": "kind",
    "外部编号": "external_id",
    "受理时间": "received_at",
    "受理确认时间": "accepted_at",
    "责任单位编码": "utility",
    "地区": "region",
    "诉求分类": "category",
    "诉求内容": "content",
    "客户姓名": "customer_name",
    "联系电话": "customer_phone",
    "地址": "address",
}
HEADER_OF = {v: k for k, v in COLUMNS.items()}


def row_to_item(row: dict) -> dict:
    item = {}
    for header, field in COLUMNS.items():
        value = row.get(header)
        if value is None:
            continue
        if isinstance(value, float) and value.is_integer():
            value = str(int(value))  # phone numbers and ids read as numbers from Excel
        elif isinstance(value, int | float):
            value = str(value)
        item[field] = value
    return item


def import_ticket_row(row: dict, *, job, acting_user) -> str:
    result = complaints_intake(items=[row_to_item(row)], acting_user=acting_user, update=True)[0]
    if result.result == "error":
        raise ValidationError(
            {HEADER_OF.get(k, k): (v if isinstance(v, list) else [str(v)]) for k, v in result.errors.items()}
        )
    return result.result


def register() -> None:
    def allowed(user) -> bool:
        return user.is_superuser or user.role in (
            Role.UTILITY_MANAGER,
            Role.UTILITY_SUBMITTER,
            Role.SYSTEM,
            Role.REGULATOR_ADMIN,
            Role.REGULATOR_STAFF,
        )

    register_import_handler(
        "complaints.tickets",
        import_ticket_row,
        label=gettext_lazy("Complaint tickets"),
        columns=list(COLUMNS),
        allowed=allowed,
    )
