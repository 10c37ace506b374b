"""/api/v1/connections/: connection applications (业扩报装) pushed by the utilities' marketing systems —
idempotent create and bulk by (source, external id), reads scoped by `visible_to`, and the steps generated
from the workflow table (`complaints.connections.WORKFLOW`)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers

from complaints import connections
from complaints.models import ConnectionApplication
from portal.api.work_orders import DEADLINES, WorkOrderSerializer, WorkOrderViewSet
from portal.api.workflow import workflow_actions


class ConnectionInputSerializer(serializers.Serializer):
    """What a marketing system pushes (validated by `complaints.connections.clean_item`)."""

    source = serializers.CharField(max_length=40, help_text="The pushing system, e.g. 营销系统.")
    external_id = serializers.CharField(max_length=64)
    utility = serializers.CharField(help_text="Organisation code of the responsible utility.")
    customer_class = serializers.ChoiceField(
        choices=["residential", "low_voltage", "small_micro", "hv_single", "hv_dual"],
        help_text="Code, English or Chinese label (居民, 低压非居民, 小微企业, 高压单电源, 高压双电源).",
    )
    capacity_kva = serializers.DecimalField(max_digits=10, decimal_places=1)
    affordable_housing = serializers.BooleanField(required=False, help_text="保障性住房 (green channel).")
    step_count = serializers.ChoiceField(choices=[2, 4], required=False, help_text="Default: 2 when allowed.")
    customer_name = serializers.CharField(required=False, max_length=60)
    address = serializers.CharField(required=False, max_length=200)
    applied_at = serializers.DateTimeField()
    scheme_replied_at = serializers.DateTimeField(required=False)
    accepted_at = serializers.DateTimeField(required=False)
    powered_at = serializers.DateTimeField(required=False)


class ConnectionSerializer(WorkOrderSerializer):
    class Meta:
        model = ConnectionApplication
        fields = [
            "id",
            "source",
            "external_id",
            "utility",
            "customer_class",
            "capacity_kva",
            "affordable_housing",
            "step_count",
            "status",
            "applied_at",
            "scheme_replied_at",
            "accepted_at",
            "powered_at",
            "withdrawn_at",
            "working_days",
            "deadlines",
            "violations",
        ]
        read_only_fields = fields


@workflow_actions(connections.WORKFLOW, output=ConnectionSerializer)
@extend_schema_view(
    create=extend_schema(
        request=ConnectionInputSerializer,
        responses={
            201: ConnectionSerializer,
            200: OpenApiResponse(ConnectionSerializer, description="Identical retry: the existing application."),
            400: OpenApiResponse(description="Invalid input, with messages per field."),
            403: OpenApiResponse(description="Not an application your organisation may push."),
            409: OpenApiResponse(description="Same source and external id with different content."),
        },
    )
)
class ConnectionViewSet(WorkOrderViewSet):
    """Connection applications of the utilities you may see."""

    queryset = ConnectionApplication.objects.select_related("utility").prefetch_related(DEADLINES)
    serializer_class = ConnectionSerializer
    filters = ("status", "customer_class", "source")
    intake = staticmethod(connections.connections_intake)
    create_one = staticmethod(connections.connection_create)
