"""Input and output of /api/v1/complaints/. Field names are those of issue 3 §6.

Input is validated by `complaints.intake.clean_item` (one validation for create, bulk and import);
the input serializer below documents it in the OpenAPI schema.
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from complaints.choices import Category, Channel, Kind
from complaints.intake import CONTENT_MAX_LENGTH, TEXT_LIMITS
from complaints.models import Complaint
from complaints.selectors import personal
from portal.choices import STATUTORY_CLASSES
from portal.deadline_state import tracked_state

PLAIN_FIELDS = (
    "id",
    "channel",
    "kind",
    "external_id",
    "region",
    "category",
    "content",
    "status",
    "reply_opinion",
    "satisfaction",
    "reopen_count",
    "appeal_count",
    "supervision_note",
    "provisional",
)
INSTANT_FIELDS = (
    "received_at",
    "accepted_at",
    "forwarded_at",
    "contacted_at",
    "replied_at",
    "visited_at",
    "closed_at",
    "supervised_at",
    "contact_due",
    "reply_due",
    "next_due",
    "created_at",
    "updated_at",
)


def _iso(value):
    return timezone.localtime(value).isoformat() if value is not None else None


def _deadline(d, now) -> dict:
    return {
        "rule": d.code,
        "label": d.label,
        "source_class": d.source_class,
        "statutory": d.source_class in STATUTORY_CLASSES,
        "start": _iso(d.start),
        "due": _iso(d.due),
        "at_risk_at": _iso(d.at_risk_at),
        "remind_at": _iso(d.remind_at),
        "provisional": d.provisional,
        "status": d.status,
        "state": str(tracked_state(d, now)),
        "met_at": _iso(d.met_at),
    }


class ComplaintInputSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    kind = serializers.ChoiceField(choices=Kind.choices)
    external_id = serializers.CharField(max_length=TEXT_LIMITS["external_id"])
    received_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(required=False, allow_null=True)
    utility = serializers.CharField(
        max_length=TEXT_LIMITS["utility"], help_text="The responsible utility's organisation code."
    )
    region = serializers.CharField(max_length=TEXT_LIMITS["region"], required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=Category.choices)
    content = serializers.CharField(max_length=CONTENT_MAX_LENGTH)
    customer_name = serializers.CharField(max_length=TEXT_LIMITS["customer_name"], required=False, allow_blank=True)
    customer_phone = serializers.CharField(max_length=TEXT_LIMITS["customer_phone"], required=False, allow_blank=True)
    address = serializers.CharField(max_length=TEXT_LIMITS["address"], required=False, allow_blank=True)


class ComplaintDeadlineSerializer(serializers.Serializer):
    rule = serializers.CharField(source="code")
    label = serializers.CharField()
    source_class = serializers.CharField()
    statutory = serializers.SerializerMethodField()
    start = serializers.DateTimeField()
    due = serializers.DateTimeField()
    at_risk_at = serializers.DateTimeField(allow_null=True)
    remind_at = serializers.DateTimeField(allow_null=True)
    provisional = serializers.BooleanField()
    status = serializers.CharField()
    state = serializers.SerializerMethodField()
    met_at = serializers.DateTimeField(allow_null=True)

    def get_statutory(self, obj) -> bool:
        return obj.source_class in STATUTORY_CLASSES

    def get_state(self, obj) -> str:
        return str(tracked_state(obj))


class ComplaintSerializer(serializers.ModelSerializer):
    utility = serializers.SlugRelatedField(slug_field="code", read_only=True)
    utility_name = serializers.CharField(source="utility.name", read_only=True)
    customer_name = serializers.SerializerMethodField()
    customer_phone = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    linked = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "case",
            "channel",
            "kind",
            "external_id",
            "received_at",
            "accepted_at",
            "utility",
            "utility_name",
            "region",
            "category",
            "content",
            "customer_name",
            "customer_phone",
            "address",
            "status",
            "forwarded_at",
            "contacted_at",
            "replied_at",
            "reply_opinion",
            "visited_at",
            "satisfaction",
            "closed_at",
            "reopen_count",
            "appeal_count",
            "supervised_at",
            "supervision_note",
            "contact_due",
            "reply_due",
            "next_due",
            "overdue",
            "late",
            "statutory_breach",
            "provisional",
            "deadlines",
            "linked",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, obj) -> dict:
        """Written out by hand: the generic field machinery cost more than the database on a page of
        50 tickets with their deadlines. Same names, types and formats as the declared fields."""
        user = self.context["request"].user
        out = {name: getattr(obj, name) for name in PLAIN_FIELDS}
        for name in INSTANT_FIELDS:
            out[name] = _iso(getattr(obj, name))
        out["overdue"] = obj.overdue_now
        out["late"] = obj.late_now
        out["statutory_breach"] = obj.statutory_breach_now
        out["case"] = obj.case_id
        out["utility"] = obj.utility.code
        out["utility_name"] = obj.utility.name
        out.update(personal(user, obj))
        now = timezone.now()
        out["deadlines"] = [_deadline(d, now) for d in obj.deadlines.all()]
        out["linked"] = self.get_linked(obj)
        return out

    def _personal(self, obj) -> dict:
        cache = self.context.setdefault("_personal", {})
        if obj.pk not in cache:
            cache[obj.pk] = personal(self.context["request"].user, obj)
        return cache[obj.pk]

    def get_customer_name(self, obj) -> str:
        return self._personal(obj)["customer_name"]

    def get_customer_phone(self, obj) -> str:
        return self._personal(obj)["customer_phone"]

    def get_address(self, obj) -> str:
        return self._personal(obj)["address"]

    @extend_schema_field(ComplaintDeadlineSerializer(many=True))
    def get_deadlines(self, obj):
        return ComplaintDeadlineSerializer(obj.deadlines.all(), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_linked(self, obj) -> list[int]:
        links = self.context.get("links")
        if links is None or not obj.case_id:
            return []
        return [pk for pk in links.get(obj.case_id, []) if pk != obj.pk]


class ComplaintLinkSerializer(serializers.Serializer):
    other = serializers.IntegerField(min_value=1, max_value=2**62, help_text="Id of the ticket to link with.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ComplaintAttachmentSerializer(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ComplaintBulkSerializer(serializers.Serializer):
    # Items are validated one by one by the intake (a bad item is an error of that item, not of the call).
    items = serializers.ListField(max_length=1000, allow_empty=False)
    update = serializers.BooleanField(default=False)


class ComplaintBulkItemSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    external_id = serializers.CharField(allow_null=True)
    result = serializers.ChoiceField(choices=["created", "unchanged", "updated", "error"])
    status = serializers.IntegerField()
    id = serializers.IntegerField(allow_null=True)
    errors = serializers.DictField()


class ComplaintBulkResultSerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField())
    results = ComplaintBulkItemSerializer(many=True)
