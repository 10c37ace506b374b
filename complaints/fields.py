"""The fields of a complaint ticket, declared once: intake (REST create, bulk and the spreadsheet
import, `complaints.intake`), the import template (`complaints.imports`), the Excel export
(`complaints.views`) and the API output (`complaints.api.serializers`) all derive from
`COMPLAINT_FIELDS`. Adding a field: docs/fields.md.

Readers look the spec up through this module when they run (`fields.COMPLAINT_FIELDS`), so a test
can swap in an extended spec with one monkeypatch.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint
from portal.fieldspec import PHONE, Export, Field, FieldSpec

# The content is a text column; its intake limit is ours (the handling opinion shares it).
CONTENT_MAX_LENGTH = 10000


def _personal(name: str):
    """Personal data as the reader may see it: whoever writes tickets out first sets
    `ticket._personal = complaints.selectors.personal(user, ticket)`; without it the read fails
    rather than show the unmasked value."""

    def get(ticket):
        return ticket._personal[name]

    return get


def _yes(attr: str):
    def get(ticket):
        return gettext("yes") if getattr(ticket, attr) else ""

    return get


COMPLAINT_FIELDS = FieldSpec(
    Complaint,
    [
        Field("id", label=_("Ticket id"), export=Export(width=10)),
        Field("case", source="case_id", export=Export(kind="int", width=8)),
        Field("channel", intake=True, required=True, column="渠道", export=Export(width=14)),
        Field("kind", intake=True, required=True, column="类型", export=Export(width=10)),
        Field("external_id", intake=True, required=True, column="外部编号", export=Export(width=22)),
        Field("received_at", intake=True, required=True, happened=True, column="受理时间", export=Export()),
        Field(
            "accepted_at", label=_("Accepted at"), intake=True, happened=True, column="受理确认时间", export=Export()
        ),
        Field(
            "utility",
            source="utility.code",
            intake=True,
            required=True,
            column="责任单位编码",
            help_text="The responsible utility's organisation code.",
            export=Export(label=_("Utility code")),
        ),
        Field("utility_name", source="utility.name", export=Export(width=24)),
        Field("region", intake=True, column="地区", export=Export(width=14)),
        Field("category", intake=True, required=True, column="诉求分类", export=Export(width=14)),
        Field(
            "content",
            label=_("Content"),
            intake=True,
            required=True,
            max_length=CONTENT_MAX_LENGTH,
            column="诉求内容",
            export=Export(width=50),
        ),
        Field(
            "customer_name",
            source=_personal("customer_name"),
            intake=True,
            column="客户姓名",
            export=Export(width=10),
        ),
        Field(
            "customer_phone",
            source=_personal("customer_phone"),
            intake=True,
            kind=PHONE,
            column="联系电话",
            export=Export(width=14),
        ),
        Field("address", source=_personal("address"), intake=True, column="地址", export=Export(width=30)),
        Field("status", export=Export(width=10)),
        Field("forwarded_at"),
        Field("contacted_at", export=Export()),
        Field("replied_at", export=Export()),
        Field("reply_opinion"),
        Field("visited_at"),
        Field("satisfaction", export=Export(width=10)),
        Field("closed_at"),
        Field("reopen_count"),
        Field("appeal_count", export=Export(width=8)),
        Field("appeal_outcome", export=Export(width=14)),
        Field("appeals_lodged", computed=True),
        Field("supervised_at"),
        Field("supervision_note"),
        Field("declined_at", export=Export()),
        Field("declined_reason", export=Export(width=30)),
        Field("finding", intake=True, column="核实结论", export=Export(width=12)),
        Field("responsible_department", intake=True, column="责任部门", export=Export(width=16)),
        Field("outage", source="outage_id", label=_("Fault outage"), export=Export(kind="int", width=10)),
        Field("officer", source=lambda t: t.officer.username if t.officer_id else None, export=Export(width=12)),
        Field("assigned_at"),
        Field("conclusion", export=Export(width=30)),
        Field("concluded_at", export=Export()),
        Field("investigation_steps", computed=True),
        Field("supervision_level", export=Export(width=8)),
        Field("talk_count", export=Export(width=8)),
        Field("supervision_levels", computed=True),
        Field("talks_held", computed=True),
        Field("contact_due", export=Export()),
        Field("reply_due", export=Export()),
        Field("next_due"),
        Field("overdue", source="overdue_now", label=_("Overdue"), export=Export(value=_yes("overdue_now"), width=8)),
        Field("late", source="late_now"),
        Field(
            "statutory_breach",
            source="statutory_breach_now",
            label=_("Statutory deadline missed"),
            export=Export(value=_yes("statutory_breach_now"), width=10),
        ),
        Field("provisional"),
        Field("deadlines", computed=True),
        Field("linked", computed=True),
        Field("created_at"),
        Field("updated_at"),
    ],
    export_order=(
        "id",
        "channel",
        "kind",
        "external_id",
        "received_at",
        "accepted_at",
        "utility",
        "utility_name",
        "region",
        "category",
        "content",
        "customer_name",
        "customer_phone",
        "address",
        "status",
        "contact_due",
        "reply_due",
        "contacted_at",
        "replied_at",
        "overdue",
        "statutory_breach",
        "satisfaction",
        "case",
    ),
)
