"""/api/v1/connections/: connection applications (业扩报装) pushed by the utilities' marketing systems —
idempotent create and bulk by (source, external id), reads scoped by `visible_to`, and the steps generated
from the workflow table (`complaints.connections.WORKFLOW`)."""

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from complaints import connections
from complaints.models import ConnectionApplication
from portal.api.base import ScopedViewSetMixin
from portal.api.errors import Conflict
from portal.api.parsers import BoundedJSONParser
from portal.api.serializers import TrackedDeadlineSerializer, ViolationSerializer
from portal.api.workflow import workflow_actions
from portal.models import Violation


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


class ConnectionSerializer(serializers.ModelSerializer):
    utility = serializers.SlugRelatedField(slug_field="code", read_only=True)
    deadlines = TrackedDeadlineSerializer(many=True, read_only=True)
    violations = serializers.SerializerMethodField()

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

    def get_violations(self, obj) -> list[dict]:
        ct = ContentType.objects.get_for_model(ConnectionApplication)
        rows = Violation.objects.filter(content_type=ct, object_id=obj.pk).order_by("code")
        return ViolationSerializer(rows, many=True).data


class BulkSerializer(serializers.Serializer):
    items = serializers.ListField(max_length=1000, allow_empty=False)
    update = serializers.BooleanField(default=False)


class BulkItemSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    external_id = serializers.CharField(allow_null=True)
    result = serializers.CharField()
    status = serializers.IntegerField()
    id = serializers.IntegerField(allow_null=True)
    errors = serializers.DictField()


class BulkResultSerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField())
    results = BulkItemSerializer(many=True)


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
class ConnectionViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Connection applications of the utilities you may see."""

    queryset = ConnectionApplication.objects.select_related("utility").prefetch_related("deadlines")
    serializer_class = ConnectionSerializer
    parser_classes = [BoundedJSONParser]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        qs = super().get_queryset()
        params = self.request.query_params
        for name in ("status", "customer_class", "source"):
            if params.get(name):
                qs = qs.filter(**{name: params[name]})
        return qs

    def _out(self, app, code=status.HTTP_200_OK) -> Response:
        app = self.queryset.get(pk=app.pk)
        return Response(ConnectionSerializer(app).data, status=code)

    def create(self, request, *args, **kwargs):
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"non_field_errors": ["Send one application as a JSON object."]})
        try:
            app, outcome = connections.connection_create(data=dict(request.data.items()), acting_user=request.user)
        except connections.ConnectionConflict as exc:
            raise Conflict(str(exc)) from None
        return self._out(app, status.HTTP_201_CREATED if outcome == "created" else status.HTTP_200_OK)

    @extend_schema(request=BulkSerializer, responses=BulkResultSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Up to 1,000 applications: `{"items": [...], "update": false}`. Each answers created (201) /
        unchanged (200) / updated (200, with `update`: later steps taken at their instants) / error (400,
        403, 409); one bad item never loses the good ones."""
        payload = request.data if isinstance(request.data, dict) else {"items": request.data}
        envelope = BulkSerializer(data=payload)
        envelope.is_valid(raise_exception=True)
        results = connections.connections_intake(
            items=envelope.validated_data["items"], acting_user=request.user, update=envelope.validated_data["update"]
        )
        counts = {"created": 0, "unchanged": 0, "updated": 0, "error": 0}
        for r in results:
            counts[r.result] += 1
        return Response({"counts": counts, "results": [r.as_dict() for r in results]})

    def step_response(self, app) -> Response:
        return self._out(app)
