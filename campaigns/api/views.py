"""REST API of campaigns: thin viewsets over campaigns.services, scoped by `visible_to`, filtered by
the app's FilterSets. The workflow steps of reports and rectification items are actions generated from
their tables (`portal.api.workflow`): who may take a step is the table's to say (403 with the reason)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from campaigns import filtersets as f
from campaigns import services
from campaigns.api import serializers as s
from campaigns.choices import FilingState
from campaigns.models import (
    Campaign,
    CampaignUtility,
    ChecklistItem,
    ChecklistTemplate,
    Deliverable,
    DeliverableSubmission,
    DemonstrationZone,
    Finding,
    FocusItem,
    GroupMember,
    Inspection,
    LeadingGroup,
    OfficeDuty,
    Phase,
    RectificationItem,
    RectificationProgramme,
    SelfCheckReport,
)
from campaigns.selectors import campaign_progress, filing_rows
from portal.api.base import ScopedViewSetMixin
from portal.api.errors import Conflict
from portal.api.parsers import NormalisedMultiPartParser
from portal.api.workflow import workflow_actions
from portal.choices import REGULATOR_ROLES, UTILITY_ROLES, Party, Role
from portal.models import Organisation

UTILITY_WRITERS = UTILITY_ROLES | {Role.SYSTEM}


def step_roles(workflow) -> dict:
    """`action_roles` of a workflow's generated actions: any role reaches the step, which its table refuses
    or allows (`Workflow.party_for`: 403 with the reason) — the viewset's `write_roles` would refuse a party
    the table names (a regulator returning a report filed by the utility)."""
    return {step.name: frozenset(Role.values) for step in workflow.steps if step.by != (Party.SYSTEM,)}


class CampaignViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Campaigns: regulators create them (by default with the four phases of seed 000) and put
    utilities in scope; utilities read the campaigns they are in."""

    queryset = Campaign.objects.select_related("owner", "manual_phase").prefetch_related(
        "phases",
        "focus_items__checklist",
        Prefetch("scope", queryset=CampaignUtility.objects.select_related("utility")),
    )
    serializer_class = s.CampaignSerializer
    filterset_class = f.CampaignFilterSet
    write_roles = REGULATOR_ROLES
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action == "create":
            return s.CampaignCreateSerializer
        if self.action == "partial_update":
            return s.CampaignUpdateSerializer
        return s.CampaignSerializer

    @extend_schema(request=s.CampaignCreateSerializer, responses={201: s.CampaignSerializer})
    def create(self, request, *args, **kwargs):
        data = s.CampaignCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        organisations, subtrees = v.pop("organisations", []), v.pop("subtrees", [])
        owner = v.pop("owner", None) or request.user.organisation
        if owner is None:  # an operator belongs to no office: it names the one that owns the campaign
            raise ValidationError({"owner": [_("Name the regulator office that owns the campaign.")]})
        campaign = services.campaign_create(
            owner=owner, acting_user=request.user, with_template_phases=v.pop("with_template_phases"), **v
        )
        if organisations or subtrees:
            services.campaign_set_scope(
                campaign=campaign, organisations=organisations, subtrees=subtrees, acting_user=request.user
            )
        return Response(s.CampaignSerializer(self.get_queryset().get(pk=campaign.pk)).data, status=201)

    @extend_schema(request=s.CampaignUpdateSerializer, responses=s.CampaignSerializer)
    def partial_update(self, request, *args, **kwargs):
        campaign = self.get_object()
        data = s.CampaignUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.campaign_update(campaign=campaign, acting_user=request.user, **data.validated_data)
        return Response(s.CampaignSerializer(self.get_queryset().get(pk=campaign.pk)).data)

    @extend_schema(request=s.ScopeSerializer, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"])
    def scope(self, request, pk=None):
        campaign = self.get_object()
        data = s.ScopeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.campaign_set_scope(campaign=campaign, acting_user=request.user, **data.validated_data)
        return Response(s.CampaignSerializer(self.get_queryset().get(pk=campaign.pk)).data)

    @extend_schema(request=s.PhaseOverrideSerializer, responses=s.CampaignSerializer)
    @action(detail=True, methods=["post"], url_path="phase-override")
    def phase_override(self, request, pk=None):
        campaign = self.get_object()
        data = s.PhaseOverrideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.campaign_override_phase(campaign=campaign, acting_user=request.user, **data.validated_data)
        return Response(s.CampaignSerializer(self.get_queryset().get(pk=campaign.pk)).data)

    @extend_schema(request=s.ChecklistAttachSerializer, responses=s.FocusItemSerializer)
    @action(detail=True, methods=["post"], url_path="attach-checklist")
    def attach_checklist(self, request, pk=None):
        campaign = self.get_object()
        data = s.ChecklistAttachSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        focus = FocusItem.objects.filter(campaign=campaign, pk=data.validated_data["focus_item"]).first()
        if focus is None:
            raise ValidationError({"focus_item": ["No such focus item in this campaign."]})
        code = data.validated_data["checklist"]
        template = None
        if code:
            template = ChecklistTemplate.objects.visible_to(request.user).filter(code=code).first()
            if template is None:
                raise ValidationError({"checklist": [f"Unknown checklist '{code}'."]})
        focus = services.checklist_attach(focus_item=focus, checklist=template, acting_user=request.user)
        return Response(s.FocusItemSerializer(focus).data)

    @extend_schema(responses=s.ProgressSerializer)
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        campaign = self.get_object()
        visible = None if request.user.is_regulator else Organisation.objects.visible_to(request.user)
        rates = campaign_progress(campaign, utilities=visible)
        data = {k: getattr(rates, k) for k in s.ProgressSerializer().fields if k != "rows"}
        data["rows"] = [
            {**{k: getattr(r, k) for k in s.ProgressRowSerializer().fields}, "completion_rate": r.completion_rate}
            for r in rates.rows
        ]
        return Response(s.ProgressSerializer(data).data)


class PhaseViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    queryset = Phase.objects.select_related("campaign")
    serializer_class = s.PhaseSerializer
    filterset_class = f.PhaseFilterSet
    write_roles = REGULATOR_ROLES
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        v = dict(serializer.validated_data)
        serializer.instance = services.phase_save(campaign=v.pop("campaign"), acting_user=self.request.user, **v)

    def perform_update(self, serializer):
        v = dict(serializer.validated_data)
        v.pop("campaign", None)
        phase = serializer.instance
        serializer.instance = services.phase_save(
            campaign=phase.campaign, phase=phase, acting_user=self.request.user, **v
        )

    def perform_destroy(self, instance):
        services.phase_delete(phase=instance, acting_user=self.request.user)


class DeliverableViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    queryset = Deliverable.objects.select_related("campaign")
    serializer_class = s.DeliverableSerializer
    filterset_class = f.DeliverableFilterSet
    write_roles = REGULATOR_ROLES
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        v = dict(serializer.validated_data)
        serializer.instance = services.deliverable_save(campaign=v.pop("campaign"), acting_user=self.request.user, **v)

    def perform_update(self, serializer):
        v = dict(serializer.validated_data)
        v.pop("campaign", None)
        d = serializer.instance
        serializer.instance = services.deliverable_save(
            campaign=d.campaign, deliverable=d, acting_user=self.request.user, **v
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("occurrence", OpenApiTypes.DATE, description="One due date only."),
            OpenApiParameter("state", OpenApiTypes.STR, enum=FilingState.values, description="One filing state."),
        ],
        responses=s.FilingRowSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def filings(self, request, pk=None):
        """Every utility in scope and occurrence with its filing state: who has not filed the 10-10 report
        is `?occurrence=2026-10-10&state=missing`."""
        deliverable = self.get_object()
        params = s.FilingQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        utilities = (
            None
            if request.user.is_superuser or request.user.is_regulator
            else Organisation.objects.visible_to(request.user)
        )
        rows = filing_rows(deliverable, utilities=utilities, **params.validated_data) if deliverable.per_utility else []
        return Response(s.FilingRowSerializer(rows, many=True).data)


class LeadingGroupViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Leading groups (read by whoever sees the campaign; created and changed by the regulator admins of the
    issuing office, through `services.group_save`)."""

    queryset = LeadingGroup.objects.select_related("campaign", "utility").prefetch_related("members", "duties")
    serializer_class = s.LeadingGroupSerializer
    filterset_class = f.LeadingGroupFilterSet
    write_roles = REGULATOR_ROLES
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        v = dict(serializer.validated_data)
        serializer.instance = services.group_save(campaign=v.pop("campaign"), acting_user=self.request.user, **v)

    def perform_update(self, serializer):
        v = dict(serializer.validated_data)
        v.pop("campaign", None)
        g = serializer.instance
        serializer.instance = services.group_save(campaign=g.campaign, group=g, acting_user=self.request.user, **v)


class GroupMemberViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Members of leading groups (组长, 副组长, 成员): the issuing office's regulator admins maintain them."""

    queryset = GroupMember.objects.select_related("group__campaign")
    serializer_class = s.GroupMemberSerializer
    filterset_fields = ["group"]
    write_roles = REGULATOR_ROLES
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        v = dict(serializer.validated_data)
        serializer.instance = services.member_save(group=v.pop("group"), acting_user=self.request.user, **v)

    def perform_update(self, serializer):
        v = dict(serializer.validated_data)
        v.pop("group", None)
        m = serializer.instance
        serializer.instance = services.member_save(group=m.group, member=m, acting_user=self.request.user, **v)

    def perform_destroy(self, instance):
        services.member_remove(member=instance, acting_user=self.request.user)


class OfficeDutyViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """The duties of each department of a leading group's office."""

    queryset = OfficeDuty.objects.select_related("group__campaign")
    serializer_class = s.OfficeDutySerializer
    filterset_fields = ["group"]
    write_roles = REGULATOR_ROLES
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        v = dict(serializer.validated_data)
        serializer.instance = services.duty_save(group=v.pop("group"), acting_user=self.request.user, **v)

    def perform_update(self, serializer):
        v = dict(serializer.validated_data)
        v.pop("group", None)
        d = serializer.instance
        serializer.instance = services.duty_save(group=d.group, duty=d, acting_user=self.request.user, **v)

    def perform_destroy(self, instance):
        services.duty_remove(duty=instance, acting_user=self.request.user)


class DemonstrationZoneViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Demonstration zones (示范区): utility, lead, one-year target, status."""

    queryset = DemonstrationZone.objects.select_related("campaign", "utility")
    serializer_class = s.DemonstrationZoneSerializer
    filterset_class = f.DemonstrationZoneFilterSet
    write_roles = REGULATOR_ROLES
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        v = dict(serializer.validated_data)
        serializer.instance = services.zone_save(campaign=v.pop("campaign"), acting_user=self.request.user, **v)

    def perform_update(self, serializer):
        v = dict(serializer.validated_data)
        v.pop("campaign", None)
        z = serializer.instance
        serializer.instance = services.zone_save(campaign=z.campaign, zone=z, acting_user=self.request.user, **v)


class ChecklistTemplateViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Checklists: the shared 百问百查 and each office's own (regulators create them)."""

    queryset = ChecklistTemplate.objects.select_related("owner").prefetch_related(
        Prefetch("items", queryset=ChecklistItem.objects.order_by("kind", "number"))
    )
    serializer_class = s.ChecklistTemplateSerializer
    filterset_class = f.ChecklistTemplateFilterSet
    write_roles = REGULATOR_ROLES

    @extend_schema(request=s.ChecklistCreateSerializer, responses={201: s.ChecklistTemplateSerializer})
    def create(self, request, *args, **kwargs):
        data = s.ChecklistCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        template = services.checklist_create(acting_user=request.user, **data.validated_data)
        return Response(s.ChecklistTemplateSerializer(self.get_queryset().get(pk=template.pk)).data, status=201)


@workflow_actions(services.REPORT_WORKFLOW, output=s.SelfCheckReportSerializer)
class SelfCheckReportViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Self-check reports: utilities (and their systems) file them; regulators return or accept them."""

    queryset = SelfCheckReport.objects.select_related("campaign", "utility").prefetch_related("answers__item")
    serializer_class = s.SelfCheckReportSerializer
    filterset_class = f.SelfCheckReportFilterSet
    write_roles = UTILITY_WRITERS
    action_roles = step_roles(services.REPORT_WORKFLOW)
    conflict_actions = {"create"}  # a second report of the same utility in the same campaign
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action == "partial_update":
            return s.SelfCheckReportUpdateSerializer
        return s.SelfCheckReportSerializer

    def perform_create(self, serializer):
        v = dict(serializer.validated_data)
        campaign = v.pop("campaign")
        utility = v.pop("utility", None) or self.request.user.organisation
        if utility is None:  # an operator belongs to no utility: it names the one whose report this is
            raise ValidationError({"utility": [_("Name the utility whose report this is.")]})
        try:
            serializer.instance = services.report_create(
                campaign=campaign, utility=utility, acting_user=self.request.user, **v
            )
        except services.ReportExists as exc:  # after the permission check, inside the service
            raise Conflict(exc.message_dict["utility"][0]) from None

    def perform_update(self, serializer):
        v = dict(serializer.validated_data)
        serializer.instance = services.report_update(report=serializer.instance, acting_user=self.request.user, **v)

    def update(self, request, *args, **kwargs):
        report = self.get_object()
        if not report.editable:
            # Say so before validating the fields: nothing is changed either way.
            services.report_update(report=report, acting_user=request.user)
        return super().update(request, *args, **kwargs)

    @extend_schema(
        request=s.AnswerInputSerializer,
        responses={
            201: s.AnswerSerializer,
            200: OpenApiResponse(s.AnswerSerializer, description="The item was answered before: the answer changed."),
        },
    )
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        """Answer one checklist item: 201 for a first answer, 200 when it changes the item's earlier one."""
        report = self.get_object()
        data = s.AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = ChecklistItem.objects.filter(pk=data.validated_data["item"]).first()
        if item is None:
            raise ValidationError({"item": ["No such checklist item."]})
        before = report.answers.filter(item=item).exists()
        answer = services.answer_save(
            report=report,
            item=item,
            answer=data.validated_data["answer"],
            note=data.validated_data["note"],
            acting_user=request.user,
        )
        code = status.HTTP_200_OK if before else status.HTTP_201_CREATED
        return Response(s.AnswerSerializer(answer).data, status=code)

    @extend_schema(
        request={"multipart/form-data": s.EvidenceUploadSerializer}, responses={201: s.AttachmentOutSerializer}
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"answers/(?P<answer_id>[0-9]+)/evidence",
        parser_classes=[NormalisedMultiPartParser],
    )
    def answer_evidence(self, request, pk=None, answer_id=None):
        report = self.get_object()
        answer = get_object_or_404(report.answers, pk=answer_id)
        return _evidence(request, answer)


def _evidence(request, target):
    data = s.EvidenceUploadSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    att = services.evidence_add(target=target, acting_user=request.user, **data.validated_data)
    return Response(s.AttachmentOutSerializer(att).data, status=status.HTTP_201_CREATED)


class FindingViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Problems found: by a self-check (the utility, while its report is editable) or an inspection."""

    queryset = Finding.objects.select_related("campaign", "utility")
    serializer_class = s.FindingSerializer
    filterset_class = f.FindingFilterSet
    write_roles = UTILITY_WRITERS | REGULATOR_ROLES

    def perform_create(self, serializer):
        v = dict(serializer.validated_data)
        report, inspection = v.get("report"), v.get("inspection")
        if report is not None:
            get_object_or_404(SelfCheckReport.objects.visible_to(self.request.user), pk=report.pk)
        if inspection is not None:
            get_object_or_404(Inspection.objects.visible_to(self.request.user), pk=inspection.pk)
        serializer.instance = services.finding_add(acting_user=self.request.user, **v)


@workflow_actions(services.RECTIFICATION_WORKFLOW, output=s.RectificationItemSerializer)
class RectificationItemViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Rectification items with their workflow: start / complete (utility), verify / reject (regulator)."""

    queryset = RectificationItem.objects.select_related("campaign", "utility", "finding")
    serializer_class = s.RectificationItemSerializer
    filterset_class = f.RectificationItemFilterSet
    write_roles = UTILITY_WRITERS | REGULATOR_ROLES
    action_roles = step_roles(services.RECTIFICATION_WORKFLOW) | {"evidence": UTILITY_WRITERS}

    def perform_create(self, serializer):
        v = dict(serializer.validated_data)
        finding = get_object_or_404(Finding.objects.visible_to(self.request.user), pk=v.pop("finding").pk)
        serializer.instance = services.rectification_add(finding=finding, acting_user=self.request.user, **v)

    @extend_schema(
        request={"multipart/form-data": s.EvidenceUploadSerializer}, responses={201: s.AttachmentOutSerializer}
    )
    @action(detail=True, methods=["post"], parser_classes=[NormalisedMultiPartParser])
    def evidence(self, request, pk=None):
        return _evidence(request, self.get_object())


class InspectionViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Inspection.objects.select_related("campaign", "utility").prefetch_related("findings")
    serializer_class = s.InspectionSerializer
    filterset_class = f.InspectionFilterSet
    write_roles = REGULATOR_ROLES

    def perform_create(self, serializer):
        serializer.instance = services.inspection_create(acting_user=self.request.user, **serializer.validated_data)


@workflow_actions(services.SUBMISSION_WORKFLOW, output=s.DeliverableSubmissionSerializer)
class DeliverableSubmissionViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Deliverable submissions: a utility (or its system) files one occurrence of a deliverable, with its
    figures where the deliverable has a figure set; the issuing office returns or accepts it; a returned one is
    revised (PATCH) and resubmitted. Filed late: `is_late`, and the violation is recorded."""

    queryset = DeliverableSubmission.objects.select_related("campaign", "utility", "deliverable")
    serializer_class = s.DeliverableSubmissionSerializer
    filterset_class = f.DeliverableSubmissionFilterSet
    write_roles = UTILITY_WRITERS
    action_roles = step_roles(services.SUBMISSION_WORKFLOW) | {"documents": UTILITY_WRITERS}
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=s.SubmissionFileSerializer, responses={201: s.DeliverableSubmissionSerializer})
    def create(self, request, *args, **kwargs):
        data = s.SubmissionFileSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        utility = v.pop("utility", None) or request.user.organisation
        if utility is None:  # an operator belongs to no organisation
            raise ValidationError({"utility": [_("Name the utility whose filing this is.")]})
        try:
            sub = services.submission_file(acting_user=request.user, utility=utility, **v)
        except services.SubmissionExists as exc:  # after the permission check, inside the service
            raise Conflict(exc.message_dict["occurrence"][0]) from None
        return Response(s.DeliverableSubmissionSerializer(sub).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.SubmissionReviseSerializer, responses=s.DeliverableSubmissionSerializer)
    def partial_update(self, request, *args, **kwargs):
        sub = self.get_object()
        data = s.SubmissionReviseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sub = services.submission_update(submission=sub, acting_user=request.user, **data.validated_data)
        return Response(s.DeliverableSubmissionSerializer(sub).data)

    @extend_schema(
        request={"multipart/form-data": s.EvidenceUploadSerializer}, responses={201: s.AttachmentOutSerializer}
    )
    @action(detail=True, methods=["post"], parser_classes=[NormalisedMultiPartParser])
    def documents(self, request, pk=None):
        sub = self.get_object()
        data = s.EvidenceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        att = services.submission_evidence_add(submission=sub, acting_user=request.user, **data.validated_data)
        return Response(s.AttachmentOutSerializer(att).data, status=status.HTTP_201_CREATED)


@workflow_actions(services.PROGRAMME_WORKFLOW, output=s.ProgrammeSerializer)
class RectificationProgrammeViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Standalone rectification programmes (整改方案, issue 11): an office's own record outside any campaign, that
    findings (`/campaign-findings/` with `programme`) and rectification items belong to. Created and changed by
    the regulator admins of the issuing office; issued, closed (every item verified) and reopened as steps."""

    queryset = RectificationProgramme.objects.select_related("owner")
    serializer_class = s.ProgrammeSerializer
    filterset_class = f.ProgrammeFilterSet
    write_roles = REGULATOR_ROLES
    action_roles = step_roles(services.PROGRAMME_WORKFLOW)
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=s.ProgrammeCreateSerializer, responses={201: s.ProgrammeSerializer})
    def create(self, request, *args, **kwargs):
        data = s.ProgrammeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        owner = v.pop("owner", None) or request.user.organisation
        if owner is None:  # an operator belongs to no office: it names the one that owns the programme
            raise ValidationError({"owner": [_("Name the regulator office that owns the programme.")]})
        if RectificationProgramme.objects.filter(code=v["code"]).exists():
            raise ValidationError({"code": [_("A rectification programme with this code exists already.")]})
        programme = services.programme_create(owner=owner, acting_user=request.user, **v)
        return Response(s.ProgrammeSerializer(programme).data, status=201)

    @extend_schema(request=s.ProgrammeUpdateSerializer, responses=s.ProgrammeSerializer)
    def partial_update(self, request, *args, **kwargs):
        programme = self.get_object()
        data = s.ProgrammeUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        programme = services.programme_update(programme=programme, acting_user=request.user, **data.validated_data)
        return Response(s.ProgrammeSerializer(programme).data)
