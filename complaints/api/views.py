"""/api/v1/complaints/: idempotent intake (single and bulk), reads with the list's filters, and the
lifecycle steps (generated from the workflow table, `complaints.lifecycle`). Scoping through `visible_to`
(out of scope: 404); who may write is decided by the services (403 with the reason)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from complaints import lifecycle, services
from complaints.api import serializers as s
from complaints.filtersets import ComplaintFilterSet
from complaints.models import Appeal, Complaint, Investigation, Supervision, Talk
from portal.api.base import ScopedViewSetMixin
from portal.api.errors import Conflict
from portal.api.pagination import CursorPagination
from portal.api.parsers import BoundedJSONParser, NormalisedFormParser, NormalisedMultiPartParser
from portal.api.workflow import workflow_actions


class ComplaintCursorPagination(CursorPagination):
    """Keyset pagination in the order of the list (newest received first), through cmp_received."""

    ordering = ("-received_at", "-id")


def _escalation(tickets) -> dict:
    """The supervision levels and talks of a page's tickets: one query each, only if any has them."""
    out = {}
    for name, model, attr, user_field in (
        ("supervisions", Supervision, "supervision_level", "by"),
        ("talks", Talk, "talk_count", "by"),
        ("investigations", Investigation, "officer_id", "by"),
        ("appeals", Appeal, "appeal_count", "decided_by"),
    ):
        ids = [t.pk for t in tickets if getattr(t, attr)]
        rows: dict[int, list] = {}
        if ids:
            for row in model.objects.filter(complaint_id__in=ids).select_related(user_field):
                rows.setdefault(row.complaint_id, []).append(row)
        out[name] = rows
    return out


def _links(tickets, user) -> dict[int, list[int]]:
    """The tickets of each case, as far as `user` may see them (the same scope as the ticket page)."""
    cases = {t.case_id for t in tickets if t.case_id}
    if not cases:
        return {}
    out: dict[int, list[int]] = {}
    for pk, case_id in Complaint.objects.visible_to(user).filter(case_id__in=cases).values_list("id", "case_id"):
        out.setdefault(case_id, []).append(pk)
    return out


@workflow_actions(lifecycle.WORKFLOW, output=s.ComplaintSerializer)
@extend_schema_view(
    create=extend_schema(
        request=s.ComplaintInputSerializer,
        responses={
            201: s.ComplaintSerializer,
            200: OpenApiResponse(s.ComplaintSerializer, description="Identical retry: the existing ticket."),
            400: OpenApiResponse(description="Invalid input, with messages per field."),
            403: OpenApiResponse(description="Not a ticket your organisation may write."),
            409: OpenApiResponse(description="Same channel and external id with different content."),
        },
    )
)
class ComplaintViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Complaint tickets of the utilities you may see (12398 items reach a utility once forwarded)."""

    queryset = Complaint.objects.select_related("utility", "officer").prefetch_related("deadlines")
    serializer_class = s.ComplaintSerializer
    filterset_class = ComplaintFilterSet
    pagination_class = ComplaintCursorPagination
    parser_classes = [BoundedJSONParser, NormalisedFormParser, NormalisedMultiPartParser]
    http_method_names = ["get", "post", "head", "options"]

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        context = self.get_serializer_context() | {"links": _links(page, request.user)} | _escalation(page)
        return self.get_paginated_response(s.ComplaintSerializer(page, many=True, context=context).data)

    def _out(self, ticket: Complaint, code=status.HTTP_200_OK) -> Response:
        """The ticket as it stands now (re-read with what the answer shows, after a step changed it)."""
        return self._answer(self.queryset.get(pk=ticket.pk), code)

    def _answer(self, ticket: Complaint, code) -> Response:
        context = self.get_serializer_context() | {"links": _links([ticket], self.request.user)}
        return Response(s.ComplaintSerializer(ticket, context=context).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._out(self.get_object())

    def create(self, request, *args, **kwargs):
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"non_field_errors": ["Send one ticket as a JSON object."]})
        try:
            ticket, outcome = services.complaint_create(
                data=dict(request.data.items()), acting_user=request.user, queryset=self.queryset
            )
        except services.TicketConflict as exc:
            raise Conflict(str(exc)) from None
        # Read once, after the write, with what the answer shows: no second read.
        return self._answer(ticket, status.HTTP_201_CREATED if outcome == "created" else status.HTTP_200_OK)

    @extend_schema(request=s.ComplaintBulkSerializer, responses=s.ComplaintBulkResultSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Up to 1,000 tickets in one call: `{"items": [...], "update": false}` (or a bare list). Each item
        answers created (201) / unchanged (200) / updated (200, with `update`) / error (400, 403, 409)
        with its messages; one bad item never loses the good ones."""
        payload = request.data if isinstance(request.data, dict) else {"items": request.data}
        envelope = s.ComplaintBulkSerializer(data=payload)
        envelope.is_valid(raise_exception=True)
        results = services.complaints_intake(
            items=envelope.validated_data["items"],
            acting_user=request.user,
            update=envelope.validated_data["update"],
        )
        counts = {"created": 0, "unchanged": 0, "updated": 0, "error": 0}
        for r in results:
            counts[r.result] += 1
        return Response({"counts": counts, "results": [r.as_dict() for r in results]})

    def step_response(self, ticket: Complaint) -> Response:
        return self._out(ticket)

    @extend_schema(request=s.ComplaintLinkSerializer, responses=s.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        """Confirm that another ticket (by id) is the same grievance: both join one case."""

        def call(ticket, data):
            other = get_object_or_404(self.get_queryset(), pk=data["other"])
            services.complaint_link(ticket=ticket, other=other, acting_user=request.user, note=data["note"])
            return ticket

        return self._verb(request, s.ComplaintLinkSerializer, call)

    def _verb(self, request, serializer_class, call):
        ticket = self.get_object()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        return self._out(call(ticket, dict(data.validated_data)))

    @extend_schema(request={"multipart/form-data": s.ComplaintAttachmentSerializer}, responses=s.ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def attachments(self, request, pk=None):
        """Attach a file (PDF, image, Office document; type sniffed from the content; size limited)."""

        def call(ticket, data):
            services.complaint_attach(
                ticket=ticket, file=data["file"], acting_user=request.user, description=data["description"]
            )
            return ticket

        return self._verb(request, s.ComplaintAttachmentSerializer, call)
