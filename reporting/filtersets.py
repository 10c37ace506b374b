"""The one FilterSet of report jobs: the list page, the API and the Excel export share it."""

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.filtersets import BoundedIsoDateTimeFilter, UtilityFilterMixin
from reporting.choices import JobStatus, ReportKind
from reporting.models import ReportJob


class ReportJobFilterSet(UtilityFilterMixin):
    """`?utility=CODE` here is the organisation the report is for (and its subtree)."""

    utility_field = "organisation"
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=JobStatus.choices, label=_("Status"))
    campaign = django_filters.CharFilter(field_name="campaign__code", label=_("Campaign (code)"))
    requested_after = BoundedIsoDateTimeFilter(field_name="created_at", lookup_expr="gte", label=_("Requested from"))
    requested_before = BoundedIsoDateTimeFilter(field_name="created_at", lookup_expr="lt", label=_("Requested before"))

    class Meta:
        model = ReportJob
        fields = ["utility", "kind", "status", "campaign", "requested_after", "requested_before"]
