"""Excel/CSV import of tickets through the shared resumable import jobs (`portal.imports`).

One row is one ticket, idempotent on (channel, external id) like the REST intake (the same
validation, `complaints.intake.clean_item`): a resumed or re-run job creates nothing twice, and a
changed row updates its ticket. Columns are Chinese; values may be codes or Chinese words.
"""

from django.utils.translation import gettext_lazy

from complaints import fields
from complaints.services import complaints_intake
from portal.choices import Role
from portal.imports import intake_outcomes, one_row, register_import_handler


def row_to_item(row: dict) -> dict:
    """An intake item from a row: the template's columns (`COMPLAINT_FIELDS.import_columns`) by header."""
    item = {}
    for header, field in fields.COMPLAINT_FIELDS.import_columns.items():
        value = row.get(header)
        if value is None:
            continue
        if isinstance(value, float) and value.is_integer():
            value = str(int(value))  # phone numbers and ids read as numbers from Excel
        elif isinstance(value, int | float):
            value = str(value)
        item[field] = value
    return item


def import_ticket_rows(rows: list[dict], *, job, acting_user) -> list:
    """A chunk of rows through the bulk intake in one call: per row its result or its ValidationError."""
    results = complaints_intake(items=[row_to_item(row) for row in rows], acting_user=acting_user, update=True)
    return intake_outcomes(results, fields.COMPLAINT_FIELDS.header_of)


def import_ticket_row(row: dict, *, job, acting_user) -> str:
    return one_row(import_ticket_rows, row, job=job, acting_user=acting_user)


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
        import_ticket_rows,
        label=gettext_lazy("Complaint tickets"),
        columns=list(fields.COMPLAINT_FIELDS.import_columns),
        allowed=allowed,
    )
