"""API of the shared core: organisations, rules, the calendar and its deadline calculator, deadlines,
violations and notifications."""

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import serializers as s
from portal.api.base import ScopedReadOnlyViewSet
from portal.calendar import get_calendar
from portal.choices import REGULATOR_ROLES
from portal.deadlines import compute_deadline
from portal.filtersets import TrackedDeadlineFilterSet, ViolationFilterSet
from portal.instants import YEAR_MAX, YEAR_MIN, InstantError, parse_instant, parse_year
from portal.models import (
    CalendarDay,
    CalendarYear,
    Notification,
    Organisation,
    Province,
    Rule,
    TrackedDeadline,
    Violation,
)
from portal.selectors import local_date, notice_judge, rule_for_code
from portal.services import violation_dispose


def _province_id(code: str | None) -> int | None:
    if not code:
        return None
    province = Province.objects.filter(code=code).first()
    if province is None:
        raise ValidationError({"province": [f"Unknown province code '{code}'."]})
    return province.pk


def _instant(field: str, value: str):
    try:
        return parse_instant(value)
    except InstantError as exc:
        raise ValidationError({field: [str(exc)]}) from None


class OrganisationViewSet(ScopedReadOnlyViewSet):
    queryset = Organisation.objects.select_related("parent", "province")
    serializer_class = s.OrganisationSerializer
    filterset_fields = ["kind", "level", "code"]
    pagination_class = None


class RuleViewSet(viewsets.ReadOnlyModelViewSet):
    """The rule catalogue is public knowledge for every signed-in user."""

    queryset = Rule.objects.select_related("jurisdiction")
    serializer_class = s.RuleSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["code", "source_class", "unit"]
    pagination_class = None


class CalendarViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = s.CalendarDaySerializer
    queryset = CalendarDay.objects.all()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX},
                required=True,
                description="2000–2100",
            )
        ],
        responses=s.CalendarDaySerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def days(self, request):
        try:
            year = parse_year(request.query_params.get("year"))
        except InstantError as exc:
            raise ValidationError({"year": [str(exc)]}) from None
        days = CalendarDay.objects.filter(date__year=year)
        return Response(s.CalendarDaySerializer(days, many=True).data)

    @extend_schema(responses=s.CalendarYearSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def years(self, request):
        return Response(s.CalendarYearSerializer(CalendarYear.objects.all(), many=True).data)

    @extend_schema(
        parameters=[s.DeadlineQuerySerializer],
        responses=inline_serializer(
            "DeadlineResult",
            {
                "rule": serializers.CharField(),
                "start": serializers.DateTimeField(),
                "due": serializers.DateTimeField(),
                "provisional": serializers.BooleanField(),
                "at_risk": serializers.DateTimeField(allow_null=True),
                "trace": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    @action(detail=False, methods=["get"])
    def deadline(self, request):
        """Explain a deadline: the due instant of rule `rule` from instant `start`, with the days counted."""
        q = s.DeadlineQuerySerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        start = _instant("start", q.validated_data["start"])
        try:
            rule = rule_for_code(
                q.validated_data["rule"],
                on=local_date(start),
                province_id=_province_id(q.validated_data.get("province")),
            )
        except Rule.DoesNotExist:
            raise ValidationError(
                {"rule": [f"Unknown rule id '{q.validated_data['rule']}' (or none in force on that date)."]}
            ) from None
        result = compute_deadline(rule.spec(), start, get_calendar())
        return Response(
            {**result.as_dict(), "title": rule.title, "source_class": rule.source_class, "source": rule.source}
        )

    @extend_schema(
        parameters=[s.NoticeCheckQuerySerializer],
        responses=inline_serializer(
            "NoticeCheckResult",
            {
                "state": serializers.CharField(),
                "lead_hours": serializers.FloatField(allow_null=True),
                "rules": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    @action(detail=False, methods=["get"], url_path="notice-check")
    def notice_check(self, request):
        """Judge an advance outage notice: compliant, borderline or violation under every rule in force."""
        q = s.NoticeCheckQuerySerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        start = _instant("start", q.validated_data["start"])
        notice = q.validated_data.get("notice")
        notice_at = _instant("notice", notice) if notice else None
        return Response(
            notice_judge(
                kind=q.validated_data["kind"],
                notice_at=notice_at,
                start=start,
                province_id=_province_id(q.validated_data.get("province")),
            )
        )


class TrackedDeadlineViewSet(ScopedReadOnlyViewSet):
    queryset = TrackedDeadline.objects.select_related("utility")
    serializer_class = s.TrackedDeadlineSerializer
    filterset_class = TrackedDeadlineFilterSet


class ViolationViewSet(ScopedReadOnlyViewSet):
    queryset = Violation.objects.select_related("utility", "content_type")
    serializer_class = s.ViolationSerializer
    filterset_class = ViolationFilterSet
    action_roles = {"dispose": REGULATOR_ROLES}

    @extend_schema(request=s.ViolationDisposeSerializer, responses=s.ViolationSerializer)
    @action(detail=True, methods=["post"])
    def dispose(self, request, pk=None):
        violation = self.get_object()
        data = s.ViolationDisposeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        violation = violation_dispose(
            violation=violation,
            disposition=data.validated_data["disposition"],
            reason=data.validated_data["reason"],
            acting_user=request.user,
        )
        return Response(s.ViolationSerializer(violation).data)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.NotificationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return Notification.objects.visible_to(self.request.user)

    @extend_schema(request=None, responses=inline_serializer("MarkRead", {"marked": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        with transaction.atomic():
            n = self.get_queryset().filter(read_at__isnull=True).update(read_at=timezone.now())
        return Response({"marked": n})


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "role": serializers.CharField(),
                "organisation": serializers.CharField(allow_null=True),
            },
        )
    )
    def get(self, request):
        u = request.user
        return Response(
            {"username": u.username, "role": u.role, "organisation": u.organisation.code if u.organisation else None}
        )


class UnknownPath(APIView):
    """A path under /api/v1/ that names no operation (e.g. a malformed id such as `0.5`): the API's JSON 404
    in its error envelope, never Django's HTML page."""

    permission_classes = [AllowAny]
    schema = None

    def initial(self, request, *args, **kwargs):
        raise NotFound()
