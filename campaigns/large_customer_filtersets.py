"""FilterSets of large customers: the register page and the API filter with the same parameter names."""

import django_filters
from django.utils.translation import gettext_lazy as _

from campaigns.large_customer_choices import FilingStatus, HazardStatus, ImportanceClass, LargeCustomerStatus, Season
from campaigns.models import GovernmentFiling, HazardNotice, LargeCustomer, LargeCustomerInspection
from portal.filtersets import UtilityFilterMixin, YesNoFilter


class LargeCustomerFilterSet(UtilityFilterMixin):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name contains"))
    importance = django_filters.ChoiceFilter(choices=ImportanceClass.choices)
    status = django_filters.ChoiceFilter(choices=LargeCustomerStatus.choices, label=_("Status"))
    high_risk = YesNoFilter(label=_("High-risk customer"))
    source = django_filters.CharFilter(label=_("Source system"))
    external_id = django_filters.CharFilter(label=_("Id in the source system"))

    class Meta:
        model = LargeCustomer
        fields = ["q", "utility", "importance", "status", "high_risk", "source", "external_id"]


class LargeCustomerInspectionFilterSet(UtilityFilterMixin):
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Large customer (id)"))
    season = django_filters.ChoiceFilter(choices=Season.choices, label=_("Kind of inspection"))

    class Meta:
        model = LargeCustomerInspection
        fields = ["utility", "customer", "season"]


class HazardNoticeFilterSet(UtilityFilterMixin):
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Large customer (id)"))
    status = django_filters.ChoiceFilter(choices=HazardStatus.choices, label=_("Status"))
    number = django_filters.CharFilter(label=_("Notice number"))

    class Meta:
        model = HazardNotice
        fields = ["utility", "customer", "status", "number"]


class GovernmentFilingFilterSet(UtilityFilterMixin):
    status = django_filters.ChoiceFilter(choices=FilingStatus.choices, label=_("Status"))

    class Meta:
        model = GovernmentFiling
        fields = ["utility", "status"]
