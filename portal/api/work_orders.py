"""What the endpoints of pushed work orders share (/api/v1/connections/, /meter-requests/, /arrears-cases/):
idempotent create and bulk by (source, external id) through the kind's intake, reads scoped by
`visible_to` with simple filters, the record with its deadlines and violations, and the steps generated
from the kind's workflow table."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.base import ScopedViewSetMixin
from portal.api.errors import Conflict
from portal.api.parsers import BoundedJSONParser
from portal.api.serializers import TrackedDeadlineSerializer, ViolationSerializer
from portal.models import TrackedDeadline, Violation
from portal.work_orders import OrderConflict

# What a viewset's queryset prefetches for the serializer below: the deadlines with their utility (the codes
# shown), not one query per deadline.
DEADLINES = Prefetch("deadlines", queryset=TrackedDeadline.objects.select_related("utility"))


class WorkOrderSerializer(serializers.ModelSerializer):
    utility = serializers.SlugRelatedField(slug_field="code", read_only=True)
    deadlines = TrackedDeadlineSerializer(many=True, read_only=True)
    violations = serializers.SerializerMethodField()

    def get_violations(self, obj) -> list[dict]:
        rows = getattr(obj, "_violations", None)
        if rows is None:
            rows = _violations_of([obj])[obj.pk]
        return ViolationSerializer(rows, many=True).data


def _violations_of(records: list) -> dict[int, list]:
    """The violations of `records` (one kind), by record id, in one query."""
    by_record = defaultdict(list)
    if records:
        ct = ContentType.objects.get_for_model(type(records[0]))
        rows = Violation.objects.filter(content_type=ct, object_id__in=[r.pk for r in records])
        for row in rows.select_related("utility", "content_type").order_by("code", "pk"):
            by_record[row.object_id].append(row)
    return by_record


class WorkOrderBulkSerializer(serializers.Serializer):
    items = serializers.ListField(max_length=1000, allow_empty=False)
    update = serializers.BooleanField(default=False)


class BulkItemSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    external_id = serializers.CharField(allow_null=True)
    result = serializers.CharField()
    status = serializers.IntegerField()
    id = serializers.IntegerField(allow_null=True)
    errors = serializers.DictField()


class WorkOrderBulkResultSerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField())
    results = BulkItemSerializer(many=True)


class WorkOrderViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    parser_classes = [BoundedJSONParser]
    http_method_names = ["get", "post", "head", "options"]
    filters: tuple[str, ...] = ()  # query parameters, each an exact match on the field (published, held to it)
    intake = None  # the kind's batch intake (items=, acting_user=, update=)
    create_one = None  # the kind's single create (data=, acting_user=) -> (record, outcome)

    @property
    def filterset_fields(self):
        return self.filters

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("many") and args:  # a page: its violations in one query, not one per record
            records = list(args[0])
            violations = _violations_of(records)
            for record in records:
                record._violations = violations[record.pk]
            args = (records, *args[1:])
        return super().get_serializer(*args, **kwargs)

    def _out(self, record, code=status.HTTP_200_OK) -> Response:
        return Response(self.serializer_class(self.queryset.get(pk=record.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"non_field_errors": ["Send one record as a JSON object."]})
        try:
            record, outcome = self.create_one(data=dict(request.data.items()), acting_user=request.user)
        except OrderConflict as exc:
            raise Conflict(str(exc)) from None
        return self._out(record, status.HTTP_201_CREATED if outcome == "created" else status.HTTP_200_OK)

    @extend_schema(request=WorkOrderBulkSerializer, responses=WorkOrderBulkResultSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Up to 1,000 records: `{"items": [...], "update": false}`. Each answers created (201) / unchanged
        (200) / updated (200, with `update`: later steps taken at their instants) / error (400, 403, 409);
        one bad item never loses the good ones."""
        payload = request.data if isinstance(request.data, dict) else {"items": request.data}
        envelope = WorkOrderBulkSerializer(data=payload)
        envelope.is_valid(raise_exception=True)
        results = self.intake(
            items=envelope.validated_data["items"], acting_user=request.user, update=envelope.validated_data["update"]
        )
        counts = {"created": 0, "unchanged": 0, "updated": 0, "error": 0}
        for r in results:
            counts[r.result] += 1
        return Response({"counts": counts, "results": [r.as_dict() for r in results]})

    def step_response(self, record) -> Response:
        return self._out(record)
