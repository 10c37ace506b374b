"""Input and output serializers of the campaigns API. Writes go through campaigns.services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.choices import REVIEW_SOURCES, Answer, FindingSource, PhaseOverride
from campaigns.models import (
    REPORT_FIELDS,
    Campaign,
    ChecklistAnswer,
    ChecklistItem,
    ChecklistTemplate,
    Deliverable,
    DeliverableSubmission,
    DemonstrationZone,
    Finding,
    FocusItem,
    GroupMember,
    Highlight,
    Inspection,
    LeadingGroup,
    OfficeDuty,
    Phase,
    RectificationItem,
    RectificationProgramme,
    SelfCheckReport,
)
from campaigns.selectors import current_phase, report_metadata_warnings
from portal.api.filters import QuerySerializer
from portal.models import Organisation


class OrgCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", Organisation.objects.all())
        super().__init__(**kwargs)


class VisibleCampaignField(serializers.SlugRelatedField):
    """A campaign by code, among those the requesting user may see (others do not exist for them)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)

    def get_queryset(self):
        return Campaign.objects.visible_to(self.context["request"].user)


class PhaseSerializer(serializers.ModelSerializer):
    campaign = VisibleCampaignField()

    class Meta:
        model = Phase
        fields = ["id", "campaign", "order", "name", "full_name", "kind", "start_date", "end_date", "tasks"]
        extra_kwargs = {"order": {"required": False}}
        validators = []  # the service's full_clean() checks (campaign, order), with or without an order given


class FocusItemSerializer(serializers.ModelSerializer):
    checklist = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = FocusItem
        fields = ["id", "number", "title", "description", "checklist"]


class DeliverableSerializer(serializers.ModelSerializer):
    campaign = VisibleCampaignField()

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "campaign",
            "phase",
            "kind",
            "title",
            "description",
            "per_utility",
            "due_date",
            "due_month",
            "due_day",
            "internal_month",
            "internal_day",
            "internal_date",
            "figure_set",
            "due_on_rest_day",
        ]
        read_only_fields = ["due_on_rest_day"]


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = GroupMember
        fields = ["role", "name", "title", "organisation_name"]


class DutySerializer(serializers.ModelSerializer):
    class Meta:
        model = OfficeDuty
        fields = ["department", "organisation_name", "duties"]


class LeadingGroupSerializer(serializers.ModelSerializer):
    campaign = VisibleCampaignField()
    utility = OrgCodeField(required=False, allow_null=True)
    members = MemberSerializer(many=True, read_only=True)
    duties = DutySerializer(many=True, read_only=True)

    class Meta:
        model = LeadingGroup
        fields = [
            "id",
            "campaign",
            "kind",
            "name",
            "organisations",
            "office_name",
            "office_director",
            "office_director_title",
            "office_director_organisation",
            "utility",
            "members",
            "duties",
        ]


class ZoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = DemonstrationZone
        fields = ["kind", "name", "level", "designated_on", "description"]


class HighlightSerializer(serializers.ModelSerializer):
    class Meta:
        model = Highlight
        fields = ["title", "body", "published_on"]


class CampaignSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)
    phases = PhaseSerializer(many=True, read_only=True)
    focus_items = FocusItemSerializer(many=True, read_only=True)
    current_phase = serializers.SerializerMethodField()
    utilities = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "code",
            "title",
            "short_title",
            "owner",
            "start_date",
            "end_date",
            "principles",
            "goals",
            "experience",
            "proposals",
            "is_public",
            "current_phase",
            "manual_phase_reason",
            "phases",
            "focus_items",
            "utilities",
        ]

    def get_current_phase(self, obj) -> str | None:
        phase = current_phase(obj, phases=list(obj.phases.all()))
        return phase.name if phase else None

    def get_utilities(self, obj) -> list[str]:
        return [cu.utility.code for cu in obj.scope.all()]


class CampaignCreateSerializer(serializers.Serializer):
    owner = OrgCodeField(required=False, help_text=_("Issuing office; default: the user's own office."))
    code = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=200)
    short_title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    principles = serializers.CharField(required=False, allow_blank=True)
    goals = serializers.CharField(required=False, allow_blank=True)
    with_template_phases = serializers.BooleanField(default=True)
    organisations = OrgCodeField(many=True, required=False)
    subtrees = OrgCodeField(many=True, required=False)

    def validate_code(self, value):
        if Campaign.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("A campaign with this code already exists."))
        return value


class CampaignUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["title", "short_title", "principles", "goals", "experience", "proposals", "is_public"]


class ScopeSerializer(serializers.Serializer):
    organisations = OrgCodeField(many=True, required=False)
    subtrees = OrgCodeField(many=True, required=False)
    replace = serializers.BooleanField(default=False)


class PhaseOverrideSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=PhaseOverride.choices)
    reason = serializers.CharField(max_length=300)


class ProgressRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField(allow_null=True)
    submitted = serializers.BooleanField()
    on_time = serializers.BooleanField()
    late = serializers.BooleanField()
    accepted = serializers.BooleanField()
    items = serializers.IntegerField()
    closed = serializers.IntegerField()
    overdue = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True)


class ProgressSerializer(serializers.Serializer):
    utilities = serializers.IntegerField()
    submitted = serializers.IntegerField()
    on_time = serializers.IntegerField()
    accepted = serializers.IntegerField()
    items = serializers.IntegerField()
    closed = serializers.IntegerField()
    overdue = serializers.IntegerField()
    renotices = serializers.IntegerField()
    submission_rate = serializers.FloatField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)
    closed_rate = serializers.FloatField(allow_null=True)
    overdue_rate = serializers.FloatField(allow_null=True)
    rows = ProgressRowSerializer(many=True)


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "kind", "group", "number", "text", "guidance"]


class ChecklistTemplateSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)
    items = ChecklistItemSerializer(many=True)

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "code", "title", "owner", "source", "items"]


class ChecklistAttachSerializer(serializers.Serializer):
    focus_item = serializers.IntegerField(help_text=_("Focus item id"))
    checklist = serializers.CharField(allow_null=True, help_text=_("Checklist template code, or null to detach"))


class AnswerSerializer(serializers.ModelSerializer):
    item = serializers.PrimaryKeyRelatedField(queryset=ChecklistItem.objects.all())
    item_label = serializers.CharField(source="item.__str__", read_only=True)

    class Meta:
        model = ChecklistAnswer
        fields = ["id", "item", "item_label", "focus_item", "answer", "note"]


class AnswerInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    answer = serializers.ChoiceField(choices=Answer.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SelfCheckReportSerializer(serializers.ModelSerializer):
    campaign = VisibleCampaignField()
    utility = OrgCodeField(required=False, help_text=_("Default: the user's own organisation."))
    # Plain strings in the schema: an enum named "status" would collide with the core's deadline status.
    status = serializers.CharField(read_only=True, help_text="draft | submitted | returned | resubmitted | accepted")
    answers = AnswerSerializer(many=True, read_only=True)
    metadata_warnings = serializers.SerializerMethodField()

    class Meta:
        model = SelfCheckReport
        fields = [
            "id",
            "campaign",
            "utility",
            "status",
            *sorted(REPORT_FIELDS),
            "first_submitted_at",
            "submitted_at",
            "returned_at",
            "accepted_at",
            "review_comments",
            "is_late",
            "answers",
            "metadata_warnings",
        ]
        read_only_fields = [
            "status",
            "first_submitted_at",
            "submitted_at",
            "returned_at",
            "accepted_at",
            "review_comments",
            "is_late",
        ]
        extra_kwargs = {"title": {"required": False}}
        # Uniqueness is the service's (409), not a serializer check.
        validators = []

    def get_metadata_warnings(self, obj) -> list[str]:
        return [str(w) for w in report_metadata_warnings(obj)]


class SelfCheckReportUpdateSerializer(SelfCheckReportSerializer):
    class Meta(SelfCheckReportSerializer.Meta):
        read_only_fields = [*SelfCheckReportSerializer.Meta.read_only_fields, "campaign", "utility"]


class VisibleProgrammeField(serializers.SlugRelatedField):
    """A rectification programme by code, among those the requesting user may see."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)

    def get_queryset(self):
        return RectificationProgramme.objects.visible_to(self.context["request"].user)


class ProgrammeSerializer(serializers.ModelSerializer):
    """A standalone rectification programme (整改方案, issue 11); `owner` is the issuing office (its code)."""

    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft | active | closed")
    findings = serializers.IntegerField(source="findings.count", read_only=True)
    items = serializers.IntegerField(source="items.count", read_only=True)

    class Meta:
        model = RectificationProgramme
        fields = [
            "id",
            "owner",
            "code",
            "title",
            "source",
            "basis",
            "start_date",
            "end_date",
            "status",
            "findings",
            "items",
        ]


class ProgrammeCreateSerializer(serializers.ModelSerializer):
    owner = OrgCodeField(required=False, help_text=_("The issuing office (operators only; default: your office)."))

    class Meta:
        model = RectificationProgramme
        fields = ["owner", "code", "title", "source", "basis", "start_date", "end_date"]
        extra_kwargs = {"code": {"validators": []}}


class ProgrammeUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = RectificationProgramme
        fields = ["title", "source", "basis", "start_date", "end_date"]


class FindingSerializer(serializers.ModelSerializer):
    campaign = VisibleCampaignField(
        required=False, help_text=_("With `utility` and `source`: a finding of consumer review and the like.")
    )
    programme = VisibleProgrammeField(
        required=False,
        help_text=_("Instead of a campaign: a finding of a standalone rectification programme (any source)."),
    )
    utility = OrgCodeField(required=False)
    # Every source is read back (a self-check's finding says "self_check"); one may be sent only for a finding
    # without a report or an inspection, so the others are refused on input.
    source = serializers.ChoiceField(
        choices=FindingSource.choices,
        required=False,
        help_text=_(
            "Only for a finding without a report or an inspection: consumer_review, unannounced_check or "
            "complaints_analysis."
        ),
    )

    def validate_source(self, value):
        if value not in REVIEW_SOURCES and not self.initial_data.get("programme"):
            raise serializers.ValidationError(
                _("Send a source only for a finding without a report or an inspection (%(sources)s).")
                % {"sources": ", ".join(REVIEW_SOURCES)}
            )
        return value

    class Meta:
        model = Finding
        fields = [
            "id",
            "campaign",
            "programme",
            "utility",
            "source",
            "report",
            "inspection",
            "focus_item",
            "checklist_item",
            "number",
            "text",
        ]
        read_only_fields = ["number"]


class RectificationItemSerializer(serializers.ModelSerializer):
    campaign = serializers.SlugRelatedField(slug_field="code", read_only=True)
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    utility = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.CharField(
        read_only=True,
        help_text="proposed | returned | open | in_progress | done_pending_verification | verified | overdue",
    )
    escalation = serializers.CharField(read_only=True, help_text="none | talk | audit")

    class Meta:
        model = RectificationItem
        fields = [
            "id",
            "finding",
            "campaign",
            "utility",
            "defect_number",
            "measure",
            "department",
            "person",
            "due_date",
            "status",
            "completed_on",
            "completion_note",
            "verified_at",
            "verification_note",
            "renotice_count",
            "last_renotified_at",
            "programme",
            "review_note",
            "approved_at",
            "escalation",
            "escalated_at",
            "talk_held_on",
            "talk_note",
            "audit_held_on",
            "audit_note",
        ]
        read_only_fields = [
            "defect_number",
            "status",
            "completed_on",
            "completion_note",
            "verified_at",
            "verification_note",
            "renotice_count",
            "last_renotified_at",
            "review_note",
            "approved_at",
            "escalated_at",
            "talk_held_on",
            "talk_note",
            "audit_held_on",
            "audit_note",
        ]


class InspectionSerializer(serializers.ModelSerializer):
    campaign = VisibleCampaignField()
    utility = OrgCodeField()
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "campaign", "utility", "inspected_on", "inspectors", "summary", "findings"]


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("PDF, image or Office document; type sniffed from the content."))
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class AttachmentOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    mime_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class ChecklistItemInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("question", "question"), ("check", "check")], default="check")
    group = serializers.CharField(max_length=40)
    number = serializers.IntegerField(min_value=1)
    text = serializers.CharField()
    guidance = serializers.CharField(required=False, allow_blank=True, default="")


class ChecklistCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=200)
    source = serializers.CharField(required=False, allow_blank=True, default="")
    items = ChecklistItemInputSerializer(many=True)

    def validate_code(self, value):
        if ChecklistTemplate.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("A checklist with this code already exists."))
        return value


# --------------------------------------------------------------------------- deliverable submissions


@extend_schema_field(OpenApiTypes.INT)
class VisibleDeliverableField(serializers.PrimaryKeyRelatedField):
    """A deliverable by id, among those the requesting user may see."""

    def get_queryset(self):
        return Deliverable.objects.visible_to(self.context["request"].user).select_related("campaign")


class DeliverableSubmissionSerializer(serializers.ModelSerializer):
    campaign = serializers.SlugRelatedField(slug_field="code", read_only=True)
    utility = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.CharField(read_only=True, help_text="submitted | returned | resubmitted | accepted")

    class Meta:
        model = DeliverableSubmission
        fields = [
            "id",
            "deliverable",
            "campaign",
            "utility",
            "occurrence",
            "status",
            "text",
            "figures",
            "first_submitted_at",
            "submitted_at",
            "returned_at",
            "accepted_at",
            "review_comments",
            "is_late",
        ]
        read_only_fields = fields


class SubmissionFileSerializer(serializers.Serializer):
    deliverable = VisibleDeliverableField()
    occurrence = serializers.DateField(help_text=_("The due date of the occurrence filed."))
    utility = OrgCodeField(required=False, help_text=_("Default: the user's own organisation."))
    text = serializers.CharField(required=False, allow_blank=True, default="")
    figures = serializers.JSONField(
        required=False,
        default=dict,
        help_text=_("For a deliverable with a figure set: {customer class: {measure: number}}."),
    )


class SubmissionReviseSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True)
    figures = serializers.JSONField(required=False)


class FilingQuerySerializer(QuerySerializer):
    occurrence = serializers.DateField(required=False)
    state = serializers.ChoiceField(choices=["on_time", "late", "missing", "pending"], required=False)


class FilingRowSerializer(serializers.Serializer):
    occurrence = serializers.DateField()
    internal_date = serializers.DateField(source="internal", allow_null=True)
    utility = serializers.CharField(source="utility_code")
    utility_name = serializers.CharField()
    state = serializers.CharField(help_text="on_time | late | missing | pending")
    submission = serializers.IntegerField(source="submission.pk", allow_null=True, default=None)


# --------------------------------------------------------------------------- people and places (issue 11)


class VisibleGroupField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return LeadingGroup.objects.visible_to(self.context["request"].user).select_related("campaign")


class GroupMemberSerializer(serializers.ModelSerializer):
    group = VisibleGroupField()

    class Meta:
        model = GroupMember
        fields = ["id", "group", "role", "name", "title", "organisation_name", "order"]
        extra_kwargs = {"order": {"required": False}}


class OfficeDutySerializer(serializers.ModelSerializer):
    group = VisibleGroupField()

    class Meta:
        model = OfficeDuty
        fields = ["id", "group", "department", "organisation_name", "duties"]


class DemonstrationZoneSerializer(serializers.ModelSerializer):
    campaign = VisibleCampaignField()
    utility = OrgCodeField(required=False, allow_null=True)

    class Meta:
        model = DemonstrationZone
        fields = [
            "id",
            "campaign",
            "kind",
            "name",
            "level",
            "utility",
            "designated_on",
            "lead",
            "one_year_target",
            "status",
            "description",
        ]
