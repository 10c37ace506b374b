"""The fields of an outage notice, declared once: what a utility may write (`outages.validation`), the
API's input and output (`outages.api.serializers`), the import template (`outages.imports`) and the
Excel export (`outages.views`) all derive from `NOTICE_FIELDS`. Adding a field: docs/fields.md.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from outages.choices import Channel
from outages.models import OutageNotice
from portal.fieldspec import LIST, Export, Field, FieldSpec

NOTICE_FIELDS = FieldSpec(
    OutageNotice,
    [
        Field("id"),
        Field("utility", intake=True, required=True, column="单位编码", export=Export(value="utility.name", width=24)),
        Field("kind", intake=True, required=True, column="停电类型", export=Export(width=14)),
        Field(
            "external_id",
            label=pgettext_lazy("outage notice", "External id"),
            intake=True,
            required=True,
            column="外部编号",
            export=Export(width=18),
        ),
        Field("reason", intake=True, column="停电原因", export=Export(width=24)),
        Field("area", intake=True, required=True, column="停电区域", export=Export(width=36)),
        Field("lines", intake=True, column="停电线路", export=Export(width=20)),
        Field("affected_customers", intake=True, column="影响户数", export=Export(width=10)),
        Field("important_customers", intake=True, column="重要客户"),
        Field("start_at", intake=True, required=True, column="计划开始", export=Export()),
        Field("end_at", intake=True, column="计划结束", export=Export()),
        Field("published_at", intake=True, column="发布时间", export=Export()),
        Field("channels", intake=True, kind=LIST, choices=Channel.choices, column="发布渠道", export=Export(width=20)),
        Field("important_customers_notified_at", intake=True, happened=True, column="通知重要客户时间"),
        Field("status", intake=True, column="状态", export=Export(width=10)),
        Field("actual_start_at", intake=True, happened=True, column="实际停电", export=Export()),
        Field("actual_end_at", intake=True, happened=True, column="恢复送电", export=Export()),
        Field("delay_explanation", intake=True),
        Field("cause_removed_at", intake=True, happened=True),
        Field("area_class", intake=True, column="区域类别"),
        Field("repair_reported_at", intake=True, happened=True),
        Field("repair_arrived_at", intake=True, happened=True),
        Field("arrears_amount", intake=True),
        Field("arrears_overdue_since", intake=True),
        Field("paid_at", intake=True, happened=True),
        Field("reconnected_at", intake=True, happened=True),
        Field("compliance_state", export=Export(width=10)),
        Field("compliance"),
        # Parts of the compliance details, exported as columns of their own.
        Field(
            "lead_hours",
            source="compliance.lead_hours",
            label=_("Lead time (h)"),
            api=False,
            export=Export(kind="decimal", width=10),
        ),
        Field(
            "statutory_state",
            source="compliance.statutory_state",
            label=_("Statute"),
            api=False,
            export=Export(width=10),
        ),
        Field(
            "commitment_state",
            source="compliance.commitment_state",
            label=_("Commitment"),
            api=False,
            export=Export(width=10),
        ),
        Field("relabelled", export=Export(width=10)),
        Field("original_kind"),
        Field("repeated_temporary", label=_("Repeated temporary outage"), export=Export(width=10)),
        Field("reschedule_count"),
        Field("created_at"),
        Field("updated_at"),
    ],
    export_order=(
        "external_id",
        "utility",
        "kind",
        "status",
        "area",
        "lines",
        "reason",
        "affected_customers",
        "start_at",
        "end_at",
        "published_at",
        "channels",
        "lead_hours",
        "compliance_state",
        "statutory_state",
        "commitment_state",
        "relabelled",
        "repeated_temporary",
        "actual_start_at",
        "actual_end_at",
    ),
    import_order=("external_id", "utility", "kind"),
)
