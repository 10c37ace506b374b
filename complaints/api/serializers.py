"""Input and output of /api/v1/complaints/. Field names are those of issue 3 §6.

Input is validated by `complaints.intake.clean_item` (one validation for create, bulk and import);
the input serializer below documents it in the OpenAPI schema.
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from complaints import fields as ticket_fields
from complaints.models import Complaint
from complaints.selectors import personal
from portal.choices import STATUTORY_CLASSES
from portal.deadline_state import tracked_state


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


def _supervision(v) -> dict:
    return {
        "level": v.level,
        "note": v.note,
        "started_at": _iso(v.started_at),
        "due": _iso(v.due),
        "rule": v.code,
        "status": v.status,
        "automatic": v.automatic,
        "by": v.by.username if v.by_id else None,
        "ended_at": _iso(v.ended_at),
    }


def _talk(t) -> dict:
    return {
        "level": t.level,
        "held_at": _iso(t.held_at),
        "attendees": t.attendees,
        "agreement": t.agreement,
        "follow_up_due": _iso(t.follow_up_due),
        "followed_up_at": _iso(t.followed_up_at),
        "follow_up_report": t.follow_up_report,
        "by": t.by.username if t.by_id else None,
    }


def _investigation(i) -> dict:
    return {"at": _iso(i.at), "method": i.method, "findings": i.findings, "by": i.by.username if i.by_id else None}


def _appeal(a) -> dict:
    return {
        "number": a.number,
        "lodged_at": _iso(a.lodged_at),
        "grounds": a.grounds,
        "due": _iso(a.due),
        "outcome": a.outcome,
        "decision": a.decision,
        "decided_at": _iso(a.decided_at),
        "decided_by": a.decided_by.username if a.decided_by_id else None,
    }


class AppealSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    lodged_at = serializers.DateTimeField()
    grounds = serializers.CharField()
    due = serializers.DateTimeField()
    outcome = serializers.CharField()
    decision = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.CharField(allow_null=True)


class InvestigationSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    method = serializers.CharField()
    findings = serializers.CharField()
    by = serializers.CharField(allow_null=True)


class SupervisionSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    note = serializers.CharField()
    started_at = serializers.DateTimeField()
    due = serializers.DateTimeField()
    rule = serializers.CharField()
    status = serializers.CharField()
    automatic = serializers.BooleanField()
    by = serializers.CharField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)


class TalkSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    held_at = serializers.DateTimeField()
    attendees = serializers.CharField()
    agreement = serializers.CharField()
    follow_up_due = serializers.DateTimeField()
    followed_up_at = serializers.DateTimeField(allow_null=True)
    follow_up_report = serializers.CharField()
    by = serializers.CharField(allow_null=True)


# The intake's fields as the API schema documents them (the intake validates itself).
ComplaintInputSerializer = ticket_fields.COMPLAINT_FIELDS.input_serializer("ComplaintInputSerializer")


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
    supervision_levels = serializers.SerializerMethodField()
    talks_held = serializers.SerializerMethodField()
    investigation_steps = serializers.SerializerMethodField()
    appeals_lodged = serializers.SerializerMethodField()
    officer = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = ticket_fields.COMPLAINT_FIELDS.api_names
        read_only_fields = fields

    def to_representation(self, obj) -> dict:
        """Written out by hand: the generic field machinery cost more than the database on a page of
        50 tickets with their deadlines. The names, order and sources are the field spec's; the types
        and formats are those of the declared fields."""
        obj._personal = personal(self.context["request"].user, obj)  # read by the personal fields
        now = timezone.now()
        computed = {
            "deadlines": [_deadline(d, now) for d in obj.deadlines.all()],
            "linked": self.get_linked(obj),
            # A ticket never supervised asks nothing; a list page reads them for its page at once.
            "supervision_levels": [_supervision(v) for v in self._related(obj, "supervisions", obj.supervision_level)],
            "talks_held": [_talk(t) for t in self._related(obj, "talks", obj.talk_count)],
            "appeals_lodged": [_appeal(a) for a in self._related(obj, "appeals", obj.appeal_count, "decided_by")],
            "investigation_steps": [
                _investigation(i) for i in self._related(obj, "investigations", obj.officer_id is not None)
            ],
        }
        out = {}
        for name, get, instant in ticket_fields.COMPLAINT_FIELDS.api_output:
            if get is None:
                out[name] = computed[name]
            else:
                out[name] = _iso(get(obj)) if instant else get(obj)
        return out

    def _related(self, obj, name: str, count, user_field: str = "by") -> list:
        if not count:
            return []
        loaded = self.context.get(name)
        if loaded is not None:
            return loaded.get(obj.pk, [])
        return list(getattr(obj, name).select_related(user_field))

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

    @extend_schema_field(SupervisionSerializer(many=True))
    def get_supervision_levels(self, obj):
        return [_supervision(v) for v in obj.supervisions.all()]

    @extend_schema_field(AppealSerializer(many=True))
    def get_appeals_lodged(self, obj):
        return [_appeal(a) for a in obj.appeals.all()]

    @extend_schema_field(InvestigationSerializer(many=True))
    def get_investigation_steps(self, obj):
        return [_investigation(i) for i in obj.investigations.all()]

    def get_officer(self, obj) -> str | None:
        return obj.officer.username if obj.officer_id else None

    @extend_schema_field(TalkSerializer(many=True))
    def get_talks_held(self, obj):
        return [_talk(t) for t in obj.talks.all()]

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
