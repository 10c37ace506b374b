"""/api/v1/meter-requests/: meter test and abnormal-reading requests pushed by the utilities' systems —
idempotent create and bulk by (source, external id), scoped reads, and the steps of `complaints.meters`."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers

from complaints import meters
from complaints.models import MeterRequest
from portal.api.work_orders import DEADLINES, WorkOrderSerializer, WorkOrderViewSet
from portal.api.workflow import workflow_actions


class MeterRequestInputSerializer(serializers.Serializer):
    """What a utility's system pushes (validated by `complaints.meters.clean_item`)."""

    source = serializers.CharField(max_length=40)
    external_id = serializers.CharField(max_length=64)
    utility = serializers.CharField(help_text="Organisation code of the responsible utility.")
    kind = serializers.ChoiceField(
        choices=["test", "abnormal_reading"], help_text="Or in Chinese: 电能表校验, 抄表数据异常."
    )
    meter_number = serializers.CharField(required=False, max_length=40)
    customer_name = serializers.CharField(required=False, max_length=60)
    address = serializers.CharField(required=False, max_length=200)
    requested_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(required=False, help_text="With the result below.")
    within_tolerance = serializers.BooleanField(required=False)
    error_percent = serializers.DecimalField(max_digits=7, decimal_places=3, required=False)
    refund_yuan = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)


class MeterRequestSerializer(WorkOrderSerializer):
    class Meta:
        model = MeterRequest
        fields = [
            "id",
            "source",
            "external_id",
            "utility",
            "kind",
            "meter_number",
            "status",
            "requested_at",
            "answered_at",
            "within_tolerance",
            "error_percent",
            "refund_yuan",
            "withdrawn_at",
            "deadlines",
            "violations",
        ]
        read_only_fields = fields


@workflow_actions(meters.WORKFLOW, output=MeterRequestSerializer)
@extend_schema_view(
    create=extend_schema(
        request=MeterRequestInputSerializer,
        responses={
            201: MeterRequestSerializer,
            200: OpenApiResponse(MeterRequestSerializer, description="Identical retry: the existing request."),
            400: OpenApiResponse(description="Invalid input, with messages per field."),
            403: OpenApiResponse(description="Not a request your organisation may push."),
            409: OpenApiResponse(description="Same source and external id with different content."),
        },
    )
)
class MeterRequestViewSet(WorkOrderViewSet):
    """Meter test and abnormal-reading requests of the utilities you may see."""

    queryset = MeterRequest.objects.select_related("utility").prefetch_related(DEADLINES)
    serializer_class = MeterRequestSerializer
    filters = ("status", "kind", "source")
    intake = staticmethod(meters.meters_intake)
    create_one = staticmethod(meters.meter_create)
