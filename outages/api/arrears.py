"""/api/v1/arrears-cases/: arrears cases pushed by the utilities' marketing systems — idempotent create and bulk
by (source, external id), scoped reads, and the steps of `outages.arrears`."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers

from outages import arrears
from outages.models import ArrearsCase
from portal.api.work_orders import DEADLINES, WorkOrderSerializer, WorkOrderViewSet
from portal.api.workflow import workflow_actions


class ArrearsInputSerializer(serializers.Serializer):
    """What a marketing system pushes (validated by `outages.arrears.clean_item`)."""

    source = serializers.CharField(max_length=40)
    external_id = serializers.CharField(max_length=64)
    utility = serializers.CharField(help_text="Organisation code of the responsible utility.")
    customer_name = serializers.CharField(required=False, max_length=60)
    address = serializers.CharField(required=False, max_length=200)
    amount_yuan = serializers.DecimalField(max_digits=12, decimal_places=2)
    overdue_since = serializers.DateTimeField(help_text="When the bill fell overdue (the 30 days count from it).")
    reminders = serializers.ListField(child=serializers.DateTimeField(), required=False)
    notice_delivered_at = serializers.DateTimeField(required=False)
    announced_cut_at = serializers.DateTimeField(required=False)
    renoticed_at = serializers.DateTimeField(required=False)
    disconnected_at = serializers.DateTimeField(required=False)
    paid_at = serializers.DateTimeField(required=False)
    reconnected_at = serializers.DateTimeField(required=False)


class ArrearsSerializer(WorkOrderSerializer):
    class Meta:
        model = ArrearsCase
        fields = [
            "id",
            "source",
            "external_id",
            "utility",
            "amount_yuan",
            "status",
            "overdue_since",
            "reminders",
            "notice_delivered_at",
            "announced_cut_at",
            "renoticed_at",
            "disconnected_at",
            "paid_at",
            "reconnected_at",
            "deadlines",
            "violations",
        ]
        read_only_fields = fields


@workflow_actions(arrears.WORKFLOW, output=ArrearsSerializer)
@extend_schema_view(
    create=extend_schema(
        request=ArrearsInputSerializer,
        responses={
            201: ArrearsSerializer,
            200: OpenApiResponse(ArrearsSerializer, description="Identical retry: the existing case."),
            400: OpenApiResponse(description="Invalid input, with messages per field."),
            403: OpenApiResponse(description="Not a case your organisation may push."),
            409: OpenApiResponse(description="Same source and external id with different content."),
        },
    )
)
class ArrearsViewSet(WorkOrderViewSet):
    """Arrears cases of the utilities you may see."""

    queryset = ArrearsCase.objects.select_related("utility").prefetch_related(DEADLINES)
    serializer_class = ArrearsSerializer
    filters = ("status", "source")
    intake = staticmethod(arrears.arrears_intake)
    create_one = staticmethod(arrears.arrears_create)
