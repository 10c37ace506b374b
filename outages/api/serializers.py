"""Input and output of /api/v1/outage-notices/. Field names are those of issue 4 §6."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from outages.choices import Channel, NoticeStatus, OutageKind
from outages.fields import NOTICE_FIELDS
from outages.models import OutageNotice
from portal.models import Organisation


def _inline_enum(choices, description: str):
    """A choice field documented inline: 'kind' and 'status' are names other apps use for other
    choice sets, and one shared enum component per name would collide in the schema."""

    @extend_schema_field({"type": "string", "enum": [value for value, _label in choices], "description": description})
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField


OutageKindField = _inline_enum(OutageKind.choices, "planned | temporary | restriction | arrears | fault")
NoticeStatusField = _inline_enum(NoticeStatus.choices, "scheduled | in_progress | restored | cancelled | rescheduled")


class UtilityCodeField(serializers.SlugRelatedField):
    default_error_messages = {
        "does_not_exist": _("Unknown utility '{value}' (or not one you may write for)."),
        "invalid": _("Give the utility's organisation code."),
    }

    def to_internal_value(self, data):
        # A bulk call validates up to 1,000 items with one serializer: each code is looked up once.
        memo = self.__dict__.setdefault("_found", {})
        if isinstance(data, str) and data in memo:
            return memo[data]
        value = super().to_internal_value(data)
        if isinstance(data, str):
            memo[data] = value
        return value


class OutageNoticeSerializer(serializers.ModelSerializer):
    utility = UtilityCodeField(slug_field="code", queryset=Organisation.objects.utilities())
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices), required=False)
    kind = OutageKindField(choices=OutageKind.choices)
    status = NoticeStatusField(choices=NoticeStatus.choices, required=False)
    original_kind = serializers.CharField(read_only=True)
    compliance = serializers.JSONField(read_only=True)

    class Meta:
        model = OutageNotice
        fields = NOTICE_FIELDS.api_names
        read_only_fields = [name for name in fields if name not in NOTICE_FIELDS.intake_names]
        # Idempotency on (utility, external_id) is the view's business (200 / 409), not a 400.
        validators = []
        extra_kwargs = {"external_id": {"required": True, "allow_blank": False}}

    def __init__(self, *args, writable_utilities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if writable_utilities is not None:
            self.fields["utility"].queryset = writable_utilities


class BulkSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=1000)
    update = serializers.BooleanField(
        default=False, help_text="Update notices whose content differs (otherwise such items answer 409)."
    )


class BulkItemResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    external_id = serializers.CharField(allow_null=True)
    status = serializers.IntegerField()
    result = serializers.ChoiceField(choices=["created", "updated", "unchanged", "conflict", "error"])
    id = serializers.IntegerField(allow_null=True)
    compliance_state = serializers.CharField(allow_null=True)
    errors = serializers.DictField(required=False)


class BulkResultSerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField())
    results = BulkItemResultSerializer(many=True)


class UtilityRateSerializer(serializers.Serializer):
    utility = serializers.CharField()
    code = serializers.CharField()
    notices = serializers.IntegerField()
    notices_with_violation = serializers.IntegerField()
    rate = serializers.FloatField()
    violations = serializers.IntegerField()
    statutory = serializers.IntegerField()
    commitment = serializers.IntegerField()
    pending = serializers.IntegerField()
    excused = serializers.IntegerField()
