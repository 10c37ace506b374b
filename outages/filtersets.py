"""The one FilterSet of outage notices: the HTML list, the API and the Excel export share it."""

from datetime import datetime, time, timedelta

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from outages.choices import ComplianceState, NoticeStatus, OutageKind
from outages.models import OutageNotice
from portal.deadlines import SHANGHAI
from portal.filtersets import BoundedIsoDateTimeFilter, UtilityFilterMixin, YesNoFilter


class OutageNoticeFilterSet(UtilityFilterMixin):
    kind = django_filters.ChoiceFilter(choices=OutageKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=NoticeStatus.choices, label=_("Status"))
    compliance = django_filters.ChoiceFilter(
        field_name="compliance_state", choices=ComplianceState.choices, label=_("Compliance")
    )
    area = django_filters.CharFilter(method="filter_area", label=_("Area or line"))
    start_after = BoundedIsoDateTimeFilter(field_name="start_at", lookup_expr="gte", label=_("Starts from"))
    start_before = BoundedIsoDateTimeFilter(field_name="start_at", lookup_expr="lt", label=_("Starts before"))
    published_after = BoundedIsoDateTimeFilter(field_name="published_at", lookup_expr="gte", label=_("Published from"))
    published_before = BoundedIsoDateTimeFilter(
        field_name="published_at", lookup_expr="lt", label=_("Published before")
    )
    relabelled = YesNoFilter(label=_("Kind changed after publication"))
    repeated_temporary = YesNoFilter(label=_("Repeated temporary outage"))
    external_id = django_filters.CharFilter(label=pgettext_lazy("outage notice", "External id"))
    province = django_filters.CharFilter(field_name="utility__province__code", label=_("Province (code)"))
    on = django_filters.DateFilter(method="filter_on", label=_("Date"))

    class Meta:
        model = OutageNotice
        fields = [
            "utility",
            "kind",
            "status",
            "compliance",
            "area",
            "start_after",
            "start_before",
            "published_after",
            "published_before",
            "relabelled",
            "repeated_temporary",
            "external_id",
            "province",
            "on",
        ]

    def filter_on(self, queryset, name, value):
        """Outages under way at some time of local date `value`."""
        day_start = datetime.combine(value, time.min, tzinfo=SHANGHAI)
        day_end = day_start + timedelta(days=1)
        return queryset.filter(start_at__lt=day_end).filter(
            Q(end_at__gte=day_start) | Q(end_at__isnull=True, start_at__gte=day_start)
        )

    def filter_area(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(area__icontains=value) | Q(lines__icontains=value))
