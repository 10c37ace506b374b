"""/api/v1/outage-notices/: intake from utility systems (idempotent on utility + external id),
the workflow steps (generated from the table, `outages.lifecycle`), filters shared with the HTML list,
and per-utility violation rates. Scoping through `visible_to` (out of scope: 404); who may write is the
write guard's (`writable_by`), asked by the services (403 with the reason)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from outages import lifecycle, services
from outages.api import serializers as s
from outages.filtersets import OutageNoticeFilterSet
from outages.models import OutageNotice
from outages.selectors import violation_rates
from portal.api.base import ScopedModelViewSet
from portal.api.errors import Conflict, django_validation_to_drf
from portal.api.workflow import workflow_actions
from portal.choices import UTILITY_ROLES, Party, Role
from portal.models import Organisation
from portal.selectors import batch

WRITE_ROLES = frozenset(UTILITY_ROLES | {Role.SYSTEM})


def _service_data(validated: dict) -> dict:
    return {k: v for k, v in validated.items() if k != "utility"}


@workflow_actions(lifecycle.WORKFLOW, output=s.OutageNoticeSerializer)
@extend_schema_view(
    create=extend_schema(
        responses={
            201: s.OutageNoticeSerializer,
            200: OpenApiResponse(s.OutageNoticeSerializer, description="Identical retry: the existing notice."),
            409: OpenApiResponse(description="Same external id with different content: use PUT or PATCH."),
        }
    )
)
class OutageNoticeViewSet(ScopedModelViewSet):
    """Outage notices of the utilities you may see. Writes: utility staff and system accounts,
    for their own organisation's subtree only."""

    queryset = OutageNotice.objects.select_related("utility")
    serializer_class = s.OutageNoticeSerializer
    filterset_class = OutageNoticeFilterSet
    write_roles = WRITE_ROLES
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def _utilities(self):
        """The utilities the caller registers notices for (the write guard)."""
        return Organisation.objects.writable_by(self.request.user, Party.UTILITY).utilities()

    def get_serializer(self, *args, **kwargs):
        if self.request is not None and self.request.method not in ("GET", "HEAD", "OPTIONS"):
            kwargs.setdefault("writable_utilities", self._utilities())
        return super().get_serializer(*args, **kwargs)

    def _require_writer(self) -> None:
        if not self._utilities().exists():
            raise exceptions.PermissionDenied("Your organisation does not register outage notices.")

    def create(self, request, *args, **kwargs):
        self._require_writer()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            notice, outcome = services.notice_upsert(
                utility=data["utility"], data=_service_data(data), acting_user=request.user, update=False
            )
        except services.NoticeConflict as exc:
            raise Conflict(str(exc)) from None
        code = status.HTTP_201_CREATED if outcome == "created" else status.HTTP_200_OK
        return Response(s.OutageNoticeSerializer(notice).data, status=code)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        notice = self.get_object()
        serializer = self.get_serializer(notice, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        utility = data.pop("utility", None)
        if utility is not None and utility.pk != notice.utility_id:
            raise exceptions.ValidationError({"utility": ["A notice cannot move to another utility."]})
        notice = services.notice_update(notice=notice, data=data, acting_user=request.user)
        return Response(s.OutageNoticeSerializer(notice).data)

    def step_response(self, notice: OutageNotice) -> Response:
        return Response(s.OutageNoticeSerializer(notice).data)

    @extend_schema(request=s.BulkSerializer, responses=s.BulkResultSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Up to 1000 notices in one call: a bad item is reported with its errors and the good ones are kept.
        Items are idempotent like single creates; new ones are registered set-based (`notices_intake`)."""
        self._require_writer()
        payload = request.data if isinstance(request.data, dict) else {"items": request.data}
        envelope = s.BulkSerializer(data=payload)
        envelope.is_valid(raise_exception=True)
        update = envelope.validated_data["update"]
        # One input serializer for every item (its fields are built once), the writable utilities read once.
        validator = s.OutageNoticeSerializer(writable_utilities=self._utilities())
        writable = set(self._utilities().values_list("pk", flat=True))
        items = envelope.validated_data["items"]
        results: list = [None] * len(items)
        with transaction.atomic(), batch():
            valid = []
            for index, item in enumerate(items):
                try:
                    valid.append((index, item, validator.run_validation(item)))
                except exceptions.ValidationError as exc:
                    results[index] = self._outcome(index, item, status=400, result="error", errors=exc.detail)
            outcomes = services.notices_intake(
                [(d["utility"], _service_data(d)) for _i, _t, d in valid],
                acting_user=request.user,
                update=update,
                writable=writable,
            )
            for (index, item, _data), (outcome, value) in zip(valid, outcomes, strict=True):
                results[index] = self._item_result(index, item, outcome, value)
        counts = {"created": 0, "updated": 0, "unchanged": 0, "conflict": 0, "error": 0}
        for r in results:
            counts[r["result"]] += 1
        return Response({"counts": counts, "results": results})

    @staticmethod
    def _outcome(index, item, *, status, result, notice=None, errors=None) -> dict:
        out = {"index": index, "external_id": item.get("external_id"), "status": status, "result": result}
        out.update(id=notice.pk if notice else None, compliance_state=getattr(notice, "compliance_state", None))
        if errors is not None:
            out["errors"] = errors
        return out

    def _item_result(self, index, item, outcome, value) -> dict:
        if outcome == "conflict":
            errors = {"detail": [str(value)]}
            return self._outcome(index, item, status=409, result=outcome, errors=errors) | {"id": value.notice.pk}
        if isinstance(value, DjangoValidationError):
            return self._outcome(index, item, status=400, result="error", errors=django_validation_to_drf(value).detail)
        if isinstance(value, DjangoPermissionDenied):
            return self._outcome(index, item, status=403, result="error", errors={"utility": [str(value)]})
        return self._outcome(index, item, status=201 if outcome == "created" else 200, result=outcome, notice=value)

    @extend_schema(responses=s.UtilityRateSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def rates(self, request):
        """Per utility: notices, notices with a violation and the rate, statutory and commitment
        breaches, dispositions (the filters of the list apply)."""
        notices = self.filter_queryset(self.get_queryset())
        return Response(s.UtilityRateSerializer(violation_rates(request.user, notices), many=True).data)
