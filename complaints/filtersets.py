"""The one FilterSet of tickets: the HTML list, the API and the Excel export share it (same names)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.choices import AppealOutcome, Category, Channel, DeadlineFilter, Finding, Kind, Status, SupervisionLevel
from complaints.models import Complaint
from portal.filtersets import BoundedIsoDateTimeFilter, UtilityFilterMixin, YesNoFilter


def _clean_text(value: str) -> str:
    return (value or "").replace("\x00", "").strip()


class ComplaintFilterSet(UtilityFilterMixin):
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Kind"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Category"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"))
    deadline_state = django_filters.ChoiceFilter(
        choices=DeadlineFilter.choices, method="filter_deadline_state", label=_("Deadline state")
    )
    overdue = YesNoFilter(method="filter_overdue", label=_("Overdue"))
    statutory_breach = YesNoFilter(method="filter_statutory", label=_("Statutory deadline missed"))
    received_after = BoundedIsoDateTimeFilter(field_name="received_at", lookup_expr="gte", label=_("Received from"))
    received_before = BoundedIsoDateTimeFilter(field_name="received_at", lookup_expr="lt", label=_("Received before"))
    reply_due_after = BoundedIsoDateTimeFilter(field_name="reply_due", lookup_expr="gte", label=_("Reply due from"))
    reply_due_before = BoundedIsoDateTimeFilter(field_name="reply_due", lookup_expr="lt", label=_("Reply due before"))
    q = django_filters.CharFilter(method="filter_text", label=_("Search (content, external id, phone)"))
    external_id = django_filters.CharFilter(method="filter_external_id", label=_("External id"))
    case = django_filters.NumberFilter(field_name="case_id", label=_("Case"), min_value=1, max_value=2**62)
    finding = django_filters.ChoiceFilter(choices=Finding.choices, label=_("Verification finding"))
    responsible_department = django_filters.CharFilter(method="filter_department", label=_("Responsible department"))
    outage = django_filters.NumberFilter(
        field_name="outage_id", label=_("Fault outage (notice id)"), min_value=1, max_value=2**62
    )
    supervision_level = django_filters.ChoiceFilter(
        choices=[(0, _("Not supervised")), *SupervisionLevel.choices], label=_("Supervision level")
    )
    officer = django_filters.NumberFilter(
        field_name="officer_id", label=_("Officer in charge (user id)"), min_value=1, max_value=2**62
    )
    appeal_outcome = django_filters.ChoiceFilter(choices=AppealOutcome.choices, label=_("Outcome of the last appeal"))
    appealed = YesNoFilter(method="filter_appealed", label=_("Appealed (申诉)"))
    talked = YesNoFilter(method="filter_talked", label=_("Talk (约谈) held"))
    has_outage = YesNoFilter(
        field_name="outage", lookup_expr="isnull", exclude=True, label=_("Linked to a fault outage")
    )

    class Meta:
        model = Complaint
        fields = [
            "utility",
            "channel",
            "kind",
            "category",
            "status",
            "deadline_state",
            "overdue",
            "statutory_breach",
            "received_after",
            "received_before",
            "reply_due_after",
            "reply_due_before",
            "q",
            "external_id",
            "case",
            "finding",
            "responsible_department",
            "outage",
            "has_outage",
            "supervision_level",
            "talked",
            "officer",
            "appeal_outcome",
            "appealed",
        ]

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            for field in form.fields.values():
                css = "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
                field.widget.attrs.setdefault("class", css)
            form._styled = True
        return form

    def filter_utility(self, queryset, name, value):
        return super().filter_utility(queryset, name, _clean_text(value)[:40])

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.overdue()
        return queryset.filter(overdue=False).exclude(next_due__lt=timezone.now())

    def filter_statutory(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.statutory_breach()
        return queryset.filter(statutory_breach=False).exclude(next_statutory_due__lt=timezone.now())

    def filter_deadline_state(self, queryset, name, value):
        if value == DeadlineFilter.OVERDUE:
            return queryset.overdue()
        if value == DeadlineFilter.AT_RISK:
            return queryset.at_risk()
        if value == DeadlineFilter.ON_TIME:
            return queryset.on_time()
        if value == DeadlineFilter.MET:
            return queryset.deadlines_met(late=False)
        if value == DeadlineFilter.MET_LATE:
            return queryset.deadlines_met(late=True)
        if value == DeadlineFilter.NONE:
            return queryset.filter(has_deadlines=False)
        return queryset

    def filter_text(self, queryset, name, value):
        """Content through the pg_trgm index (UPPER(content), as icontains compares); an external id
        or a phone number matches exactly."""
        value = _clean_text(value)[:200]
        if not value:
            return queryset
        return queryset.filter(Q(content__icontains=value) | Q(external_id=value) | Q(customer_phone=value))

    def filter_external_id(self, queryset, name, value):
        value = _clean_text(value)
        return queryset.filter(external_id=value[:64]) if value else queryset

    def filter_department(self, queryset, name, value):
        value = _clean_text(value)[:100]
        return queryset.filter(responsible_department__icontains=value) if value else queryset

    def filter_talked(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(talk_count__gt=0) if value else queryset.filter(talk_count=0)

    def filter_appealed(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(appeal_count__gt=0) if value else queryset.filter(appeal_count=0)
