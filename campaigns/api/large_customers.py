"""/api/v1/large-customers/ and friends (issue 12, seed 002 第五篇): the register (utilities write their own,
regulators read their region), inspection visits, hazard notices with the steps of `HAZARD_WORKFLOW`, and the
periodic filings with `FILING_WORKFLOW`. Every answer carries the record's tracked deadlines and violations."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from campaigns import large_customer_filtersets as f
from campaigns.api.views import UTILITY_WRITERS, step_roles
from campaigns.large_customer_choices import DueStatus
from campaigns.models import GovernmentFiling, HazardNotice, InspectionDue, LargeCustomer, LargeCustomerInspection
from campaigns.services import large_customers as lc
from portal.api.base import ScopedViewSetMixin
from portal.api.errors import Conflict
from portal.api.parsers import NormalisedMultiPartParser
from portal.api.serializers import TrackedDeadlineSerializer, ViolationSerializer
from portal.api.work_orders import WorkOrderBulkResultSerializer, WorkOrderBulkSerializer
from portal.api.workflow import workflow_actions
from portal.models import Organisation, Violation

EXISTS = gettext_lazy("A large customer with this source and external id exists.")


class _Judged(serializers.ModelSerializer):
    """A record with its tracked deadlines and the violations recorded on it."""

    utility = serializers.SlugRelatedField(slug_field="code", read_only=True)
    deadlines = TrackedDeadlineSerializer(many=True, read_only=True)
    violations = serializers.SerializerMethodField()

    def get_violations(self, obj) -> list[dict]:
        ct = ContentType.objects.get_for_model(type(obj))
        return ViolationSerializer(Violation.objects.filter(content_type=ct, object_id=obj.pk), many=True).data


class InspectionDueSerializer(_Judged):
    class Meta:
        model = InspectionDue
        fields = ["id", "kind", "code", "starts_on", "status", "met_by", "utility", "deadlines", "violations"]
        read_only_fields = fields


class LargeCustomerSerializer(serializers.ModelSerializer):
    utility = serializers.SlugRelatedField(slug_field="code", read_only=True)
    emergency_ratio = serializers.DecimalField(max_digits=8, decimal_places=1, read_only=True, allow_null=True)
    emergency_met = serializers.BooleanField(read_only=True, allow_null=True, help_text="Ratio ≥ 120 % (第十二条).")
    cycle_rule = serializers.SerializerMethodField()
    dues = serializers.SerializerMethodField()

    class Meta:
        model = LargeCustomer
        fields = [
            "id",
            "utility",
            *lc.CUSTOMER_FIELDS,
            "emergency_ratio",
            "emergency_met",
            "emergency_plan",
            "cycle_rule",
            "dues",
        ]
        read_only_fields = fields

    def get_cycle_rule(self, obj) -> str | None:
        dues = [d for d in obj.dues.all() if d.kind == "cycle" and d.status == DueStatus.OPEN]
        return dues[-1].code if dues else None

    def get_dues(self, obj) -> list[dict]:
        return InspectionDueSerializer(obj.dues.all(), many=True).data


class LargeCustomerInputSerializer(serializers.ModelSerializer):
    utility = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.all(),
        required=False,
        help_text="Organisation code of the utility (default: your own).",
    )

    class Meta:
        model = LargeCustomer
        fields = ["utility", *lc.CUSTOMER_FIELDS]
        validators = []  # the uniqueness is the service's (idempotent by source and external id)


class InspectionInputSerializer(serializers.Serializer):
    inspected_on = serializers.DateField()
    inspector = serializers.CharField(max_length=80)
    season = serializers.ChoiceField(choices=lc.Season.choices)
    findings = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class LargeCustomerInspectionSerializer(serializers.ModelSerializer):
    utility = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = LargeCustomerInspection
        fields = ["id", "customer", "utility", "inspected_on", "inspector", "season", "findings", "hazard_notices"]
        read_only_fields = fields


class HazardNoticeSerializer(_Judged):
    class Meta:
        model = HazardNotice
        fields = [
            "id",
            "number",
            "customer",
            "utility",
            "inspection",
            "hazard",
            "measures",
            "deadline",
            "status",
            "issued_at",
            "inspector",
            "customer_signatory",
            "customer_signed_at",
            "receipt_on",
            "receipt",
            "renotice_count",
            "refiled_on",
            "closed_at",
            "deadlines",
            "violations",
        ]
        read_only_fields = fields


class HazardNoticeInputSerializer(serializers.Serializer):
    inspection = serializers.IntegerField(help_text="The inspection the hazard was found in.")
    hazard = serializers.CharField(max_length=5000)
    measures = serializers.CharField(max_length=5000)
    deadline = serializers.DateField()
    inspector = serializers.CharField(max_length=80)
    at = serializers.DateTimeField(required=False, help_text="When the notice was issued (default: now).")


class GovernmentFilingSerializer(_Judged):
    class Meta:
        model = GovernmentFiling
        fields = [
            "id",
            "utility",
            "period_start",
            "status",
            "filed_on",
            "authority",
            "reference",
            "notices",
            "filed_at",
            "deadlines",
            "violations",
        ]
        read_only_fields = fields


class FileUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class LargeCustomerViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The register of large customers. A push naming a `source` and `external_id` already registered is
    answered with the existing customer (200) when nothing differs, 409 when something does."""

    queryset = LargeCustomer.objects.select_related("utility").prefetch_related("dues__deadlines")
    serializer_class = LargeCustomerSerializer
    filterset_class = f.LargeCustomerFilterSet
    write_roles = UTILITY_WRITERS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _out(self, customer, code=status.HTTP_200_OK) -> Response:
        return Response(LargeCustomerSerializer(self.get_queryset().get(pk=customer.pk)).data, status=code)

    def _take(self, raw, user, known: dict) -> tuple[str, int, LargeCustomer | None, dict]:
        """One pushed entry: (result, status, customer, errors) — created (201), unchanged (200: the same
        source and external id with the same values), or an error (400 invalid, 403 refused, 409 conflict)."""
        body = LargeCustomerInputSerializer(data=raw)
        if not body.is_valid():
            return "error", 400, None, dict(body.errors)
        data = dict(body.validated_data)
        utility = data.pop("utility", None) or user.organisation
        if utility is None:
            return "error", 400, None, {"utility": [_("Name the utility the customer belongs to.")]}
        key = (data.get("source", ""), data.get("external_id", ""))
        existing = known.get(key) if key[1] else None
        if existing is None and key[1]:
            existing = LargeCustomer.objects.filter(source=key[0], external_id=key[1]).first()
        if existing is not None:
            if not LargeCustomer.objects.visible_to(user).filter(pk=existing.pk).exists():
                return "error", 409, None, {"conflict": [str(EXISTS)]}
            differs = [k for k, v in data.items() if getattr(existing, k) != v]
            differs += ["utility"] if existing.utility_id != utility.pk else []
            if differs:
                message = _("A large customer with this source and external id exists with other values: %(f)s.")
                return "error", 409, existing, {"conflict": [message % {"f": ", ".join(sorted(differs))}]}
            return "unchanged", 200, existing, {}
        try:
            with transaction.atomic():
                customer = lc.large_customer_register(utility=utility, acting_user=user, **data)
        except PermissionDenied as exc:
            return "error", 403, None, {"detail": [str(exc)]}
        except DjangoValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            return "error", 400, None, errors
        except IntegrityError:
            return "error", 409, None, {"conflict": [str(EXISTS)]}
        if key[1]:
            known[key] = customer
        return "created", 201, customer, {}

    @extend_schema(
        request=LargeCustomerInputSerializer,
        responses={
            201: LargeCustomerSerializer,
            200: OpenApiResponse(LargeCustomerSerializer, description="Identical retry: the existing customer."),
            409: OpenApiResponse(description="Same source and external id with different content."),
        },
    )
    def create(self, request, *args, **kwargs):
        body = LargeCustomerInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)  # bad input: 400 with the field messages
        _result, code, customer, errors = self._take(request.data, request.user, {})
        if code == 403:
            raise PermissionDenied(errors["detail"][0])
        if code == 409:
            raise Conflict(errors["conflict"][0])
        if code == 400:
            raise ValidationError(errors)
        return self._out(customer, code)

    @extend_schema(request=WorkOrderBulkSerializer, responses=WorkOrderBulkResultSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Up to 1,000 register entries from a marketing system: `{"items": [...]}`, each idempotent by `source`
        and `external_id` (created 201 / unchanged 200 / error 400, 403, 409); one bad entry never loses the good
        ones. The entries already registered are found in one query."""
        payload = request.data if isinstance(request.data, dict) else {"items": request.data}
        envelope = WorkOrderBulkSerializer(data=payload)
        envelope.is_valid(raise_exception=True)
        items = envelope.validated_data["items"]
        ids = [i.get("external_id") for i in items if isinstance(i, dict) and isinstance(i.get("external_id"), str)]
        known = {
            (c.source, c.external_id): c for c in LargeCustomer.objects.filter(external_id__in=[i for i in ids if i])
        }
        counts, results = {"created": 0, "unchanged": 0, "updated": 0, "error": 0}, []
        for index, raw in enumerate(items):
            if not isinstance(raw, dict):
                result, code, customer, errors = "error", 400, None, {"non_field_errors": [_("Give an object.")]}
            else:
                result, code, customer, errors = self._take(raw, request.user, known)
            counts[result] += 1
            external = raw.get("external_id") if isinstance(raw, dict) else None
            results.append(
                {
                    "index": index,
                    "external_id": external if isinstance(external, str) else None,
                    "result": result,
                    "status": code,
                    "id": customer.pk if customer is not None and code < 400 else None,
                    "errors": errors,
                }
            )
        return Response({"counts": counts, "results": results})

    @extend_schema(request=LargeCustomerInputSerializer, responses=LargeCustomerSerializer)
    def partial_update(self, request, *args, **kwargs):
        customer = self.get_object()
        body = LargeCustomerInputSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if "utility" in data and data.pop("utility") != customer.utility:
            raise ValidationError({"utility": [_("A customer stays with its utility.")]})
        lc.large_customer_update(customer=customer, acting_user=request.user, **data)
        return self._out(customer)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=InspectionInputSerializer, responses={201: LargeCustomerInspectionSerializer})
    @action(detail=True, methods=["post"])
    def inspections(self, request, pk=None):
        customer = self.get_object()
        body = InspectionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        inspection = lc.large_customer_inspect(customer=customer, acting_user=request.user, **body.validated_data)
        return Response(LargeCustomerInspectionSerializer(inspection).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": FileUploadSerializer}, responses=LargeCustomerSerializer)
    @action(detail=True, methods=["post"], url_path="emergency-plan", parser_classes=[NormalisedMultiPartParser])
    def emergency_plan(self, request, pk=None):
        customer = self.get_object()
        body = FileUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        lc.emergency_plan_attach(customer=customer, file=body.validated_data["file"], acting_user=request.user)
        return self._out(customer)


class LargeCustomerInspectionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Inspection visits to large customers (recorded through /large-customers/{id}/inspections/)."""

    queryset = LargeCustomerInspection.objects.select_related("utility").prefetch_related("hazard_notices")
    serializer_class = LargeCustomerInspectionSerializer
    filterset_class = f.LargeCustomerInspectionFilterSet


@workflow_actions(lc.HAZARD_WORKFLOW, output=HazardNoticeSerializer)
class HazardNoticeViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Hazard notices: issued from an inspection, then sign / receipt / close, and renotice when overdue."""

    queryset = HazardNotice.objects.select_related("utility", "customer").prefetch_related("deadlines")
    serializer_class = HazardNoticeSerializer
    filterset_class = f.HazardNoticeFilterSet
    write_roles = UTILITY_WRITERS
    action_roles = step_roles(lc.HAZARD_WORKFLOW)

    @extend_schema(
        request=HazardNoticeInputSerializer,
        responses={
            201: HazardNoticeSerializer,
            404: OpenApiResponse(description="No inspection with this id that you may see."),
        },
    )
    def create(self, request, *args, **kwargs):
        body = HazardNoticeInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        inspection = get_object_or_404(
            LargeCustomerInspection.objects.visible_to(request.user), pk=data.pop("inspection")
        )
        notice = lc.hazard_notice_issue(inspection=inspection, acting_user=request.user, **data)
        return Response(HazardNoticeSerializer(notice).data, status=status.HTTP_201_CREATED)


@workflow_actions(lc.FILING_WORKFLOW, output=GovernmentFilingSerializer)
class GovernmentFilingViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Periodic filings to the government (定期报告): one due per utility at a time, filed with the step `file`."""

    queryset = GovernmentFiling.objects.select_related("utility").prefetch_related("deadlines")
    serializer_class = GovernmentFilingSerializer
    filterset_class = f.GovernmentFilingFilterSet
    action_roles = step_roles(lc.FILING_WORKFLOW)


__all__ = ["GovernmentFilingViewSet", "HazardNoticeViewSet", "LargeCustomerInspectionViewSet", "LargeCustomerViewSet"]
