from rest_framework import serializers

from portal.api.filters import QuerySerializer
from portal.deadline_state import tracked_state
from portal.filtersets import INSTANT_PATTERN
from portal.models import CalendarDay, CalendarYear, Notification, Organisation, Rule, TrackedDeadline, Violation


class OrganisationSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "short_name", "kind", "level", "parent", "province", "path", "is_active"]


class RuleSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Rule
        fields = [
            "id",
            "code",
            "title",
            "value",
            "unit",
            "params",
            "applies_to",
            "source_class",
            "jurisdiction",
            "effective_from",
            "effective_to",
            "source",
            "source_text",
            "is_active",
        ]


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]


class CalendarYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarYear
        fields = ["year", "source", "complete", "loaded_at"]


class DeadlineQuerySerializer(QuerySerializer):
    rule = serializers.CharField(help_text="Rule id, e.g. complaint.reply")
    start = serializers.RegexField(INSTANT_PATTERN, help_text="ISO 8601 instant, e.g. 2026-09-30T14:00:00+08:00")
    province = serializers.CharField(
        required=False, allow_blank=True, help_text="Province code for provincial rule versions"
    )


class NoticeCheckQuerySerializer(QuerySerializer):
    kind = serializers.ChoiceField(choices=["planned", "temporary", "restriction", "arrears"])
    notice = serializers.RegexField(
        "^$|" + INSTANT_PATTERN, required=False, allow_blank=True, help_text="When the notice was published"
    )
    start = serializers.RegexField(INSTANT_PATTERN, help_text="Scheduled start of the outage")
    province = serializers.CharField(required=False, allow_blank=True)


class TrackedDeadlineSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()
    utility = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TrackedDeadline
        fields = [
            "id",
            "code",
            "label",
            "source_class",
            "utility",
            "start",
            "due",
            "at_risk_at",
            "remind_at",
            "provisional",
            "status",
            "state",
            "met_at",
            "overdue_at",
        ]

    def get_state(self, obj) -> str:
        return tracked_state(obj)


class ViolationSerializer(serializers.ModelSerializer):
    utility = serializers.SlugRelatedField(slug_field="code", read_only=True)
    subject_type = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = Violation
        fields = [
            "id",
            "utility",
            "subject_type",
            "object_id",
            "code",
            "source_class",
            "occurred_at",
            "shortfall_seconds",
            "description",
            "disposition",
            "disposition_reason",
            "disposed_at",
        ]
        read_only_fields = fields


class ViolationDisposeSerializer(serializers.Serializer):
    disposition = serializers.ChoiceField(choices=["confirmed", "excused"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "subject", "body", "url", "level", "created_at", "read_at"]
