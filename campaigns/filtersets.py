"""One FilterSet per model: the HTML lists and the API filter with the same parameter names."""

import django_filters
from django.utils.translation import gettext_lazy as _

from campaigns.choices import (
    Escalation,
    FindingSource,
    ProgrammeStatus,
    RectificationStatus,
    ReportStatus,
    SubmissionStatus,
)
from campaigns.models import (
    Campaign,
    ChecklistTemplate,
    Deliverable,
    DeliverableSubmission,
    DemonstrationZone,
    Finding,
    Inspection,
    LeadingGroup,
    Phase,
    RectificationItem,
    RectificationProgramme,
    SelfCheckReport,
)
from portal.filtersets import FilterSet, UtilityFilterMixin, YesNoFilter


class CampaignFilterSet(FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Title contains"))
    code = django_filters.CharFilter(label=_("Code"))
    owner = django_filters.CharFilter(field_name="owner__code", label=_("Issuing office (code)"))
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("Running on"))

    class Meta:
        model = Campaign
        fields = ["q", "code", "owner", "active_on"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(start_date__lte=value, end_date__gte=value)


class CampaignChildFilterSet(FilterSet):
    campaign = django_filters.CharFilter(field_name="campaign__code", label=_("Campaign (code)"))


class PhaseFilterSet(CampaignChildFilterSet):
    class Meta:
        model = Phase
        fields = ["campaign", "kind"]


class DeliverableFilterSet(CampaignChildFilterSet):
    class Meta:
        model = Deliverable
        fields = ["campaign", "kind", "per_utility"]


class LeadingGroupFilterSet(CampaignChildFilterSet):
    class Meta:
        model = LeadingGroup
        fields = ["campaign", "kind"]


class ChecklistTemplateFilterSet(FilterSet):
    code = django_filters.CharFilter(label=_("Code"))

    class Meta:
        model = ChecklistTemplate
        fields = ["code"]


class SelfCheckReportFilterSet(UtilityFilterMixin, CampaignChildFilterSet):
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Status"))
    late = YesNoFilter(field_name="is_late", label=_("Filed late"))

    class Meta:
        model = SelfCheckReport
        fields = ["campaign", "utility", "status", "late"]


class ProgrammeFilterSet(FilterSet):
    """Rectification programmes (issue 11)."""

    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Title contains"))
    code = django_filters.CharFilter(label=_("Code"))
    owner = django_filters.CharFilter(field_name="owner__code", label=_("Issuing office (code)"))
    status = django_filters.ChoiceFilter(choices=ProgrammeStatus.choices, label=_("Status"))
    source = django_filters.ChoiceFilter(choices=FindingSource.choices, label=_("Source"))

    class Meta:
        model = RectificationProgramme
        fields = ["q", "code", "owner", "status", "source"]


class ProgrammeChildFilterMixin(FilterSet):
    """Findings and items of a campaign or (issue 11) of a standalone rectification programme."""

    programme = django_filters.CharFilter(field_name="programme__code", label=_("Rectification programme (code)"))
    standalone = YesNoFilter(field_name="campaign", lookup_expr="isnull", label=_("Outside any campaign"))


class FindingFilterSet(UtilityFilterMixin, ProgrammeChildFilterMixin, CampaignChildFilterSet):
    source = django_filters.ChoiceFilter(choices=FindingSource.choices, label=_("Source"))
    focus_item = django_filters.NumberFilter(field_name="focus_item__number", label=_("Focus item (number)"))

    class Meta:
        model = Finding
        fields = ["campaign", "programme", "standalone", "utility", "source", "focus_item"]


class RectificationItemFilterSet(UtilityFilterMixin, ProgrammeChildFilterMixin, CampaignChildFilterSet):
    status = django_filters.ChoiceFilter(choices=RectificationStatus.choices, label=_("Status"))
    source = django_filters.ChoiceFilter(
        field_name="finding__source", choices=FindingSource.choices, label=_("Found by")
    )
    overdue = YesNoFilter(method="filter_overdue", label=_("Overdue"))
    renotified = YesNoFilter(method="filter_renotified", label=_("Re-notified"))
    escalated = YesNoFilter(method="filter_escalated", label=_("Escalated (约谈 / 稽查)"))
    escalation = django_filters.ChoiceFilter(choices=Escalation.choices, label=_("Escalation"))
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("Due on or before"))

    class Meta:
        model = RectificationItem
        fields = [
            "campaign",
            "programme",
            "standalone",
            "utility",
            "status",
            "source",
            "overdue",
            "renotified",
            "escalated",
            "escalation",
            "due_before",
        ]

    def filter_escalated(self, queryset, name, value):
        if value is None:
            return queryset
        f = {"escalation": Escalation.NONE}
        return queryset.exclude(**f) if value else queryset.filter(**f)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        f = {"status": RectificationStatus.OVERDUE}
        return queryset.filter(**f) if value else queryset.exclude(**f)

    def filter_renotified(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(renotice_count__gt=0) if value else queryset.filter(renotice_count=0)


class InspectionFilterSet(UtilityFilterMixin, CampaignChildFilterSet):
    class Meta:
        model = Inspection
        fields = ["campaign", "utility"]


class DeliverableSubmissionFilterSet(UtilityFilterMixin, CampaignChildFilterSet):
    deliverable = django_filters.NumberFilter(
        field_name="deliverable_id", label=_("Deliverable (id)"), min_value=1, max_value=2**62
    )
    occurrence = django_filters.DateFilter(label=_("Occurrence (due date)"))
    status = django_filters.ChoiceFilter(choices=SubmissionStatus.choices, label=_("Status"))
    late = YesNoFilter(field_name="is_late", label=_("Filed late"))

    class Meta:
        model = DeliverableSubmission
        fields = ["campaign", "utility", "deliverable", "occurrence", "status", "late"]


class DemonstrationZoneFilterSet(CampaignChildFilterSet):
    class Meta:
        model = DemonstrationZone
        fields = ["campaign", "status"]
