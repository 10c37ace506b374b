"""Excel/CSV import of connection applications through the shared resumable import jobs (`portal.imports`).

One row is one application, idempotent on (source, external id) like the REST intake (the same validation,
`complaints.connections.clean_item`), keeping the original instants of its steps: a re-run job creates
nothing twice, and a row with later steps takes them at their instants. Columns are Chinese.
"""

from django.utils.translation import gettext_lazy

from complaints.connections import connections_intake
from portal.choices import Role
from portal.imports import intake_outcomes, register_import_handler

KIND = "complaints.connections"
# The template's headers, in order, and the intake field each fills.
COLUMNS = {
    "来源系统": "source",
    "申请编号": "external_id",
    "供电单位代码": "utility",
    "客户类别": "customer_class",
    "报装容量(kVA)": "capacity_kva",
    "保障性住房": "affordable_housing",
    "环节数": "step_count",
    "客户名称": "customer_name",
    "用电地址": "address",
    "申请时间": "applied_at",
    "供电方案答复时间": "scheme_replied_at",
    "竣工验收时间": "accepted_at",
    "装表接电时间": "powered_at",
}
HEADER_OF = {field: header for header, field in COLUMNS.items()}


def row_to_item(row: dict) -> dict:
    item = {}
    for header, name in COLUMNS.items():
        value = row.get(header)
        if value is None:
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # ids, counts and flags read as numbers from Excel
        if isinstance(value, int) and not isinstance(value, bool) and name != "capacity_kva":
            value = str(value)
        item[name] = value
    return item


def import_connection_rows(rows: list[dict], *, job, acting_user) -> list:
    """A chunk of rows through the bulk intake in one call: per row its result or its ValidationError."""
    results = connections_intake(items=[row_to_item(row) for row in rows], acting_user=acting_user, update=True)
    return intake_outcomes(results, HEADER_OF)


def register() -> None:
    def allowed(user) -> bool:
        return user.is_superuser or user.role in (Role.UTILITY_MANAGER, Role.UTILITY_SUBMITTER, Role.SYSTEM)

    register_import_handler(
        KIND,
        import_connection_rows,
        label=gettext_lazy("Connection applications"),
        columns=list(COLUMNS),
        allowed=allowed,
    )
