"""FilterSets of the shared core; the same parameters serve the HTML lists and the API."""

from datetime import UTC

import django_filters
from django import forms
from django.db.models import Q
from django.forms.widgets import NullBooleanSelect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from portal.choices import DeadlineState, DeadlineStatus, Disposition, SourceClass
from portal.instants import InstantError, check_instant
from portal.models import Organisation, TrackedDeadline, Violation


class BoundedDateTimeField(forms.DateTimeField):
    """An ISO instant within the sane range of `portal.instants` (2000–2100, a real offset): odd input is a
    400, never a database error (PostgreSQL refuses year 5061 or an offset of −19:35 with a 500 otherwise)."""

    def to_python(self, value):
        if isinstance(value, str) and "\x00" in value:
            raise forms.ValidationError(_("Null characters are not allowed."))
        try:
            result = super().to_python(value)
        except (OverflowError, ValueError):
            raise forms.ValidationError(_("Enter a valid date/time.")) from None
        if result is None:
            return result
        try:
            check_instant(result)
        except InstantError as exc:
            raise forms.ValidationError(str(exc)) from None
        # The database gets UTC: an unusual (valid) offset such as +05:45 never reaches its parser.
        return result.astimezone(UTC) if result.utcoffset() is not None else result


# A date-time picker (Asia/Shanghai); the filter also reads a full ISO instant with its offset (the API).
_INSTANT = forms.DateTimeInput(attrs={"type": "datetime-local"})

# What BoundedDateTimeField accepts, as the schema publishes it: an ISO instant of 2001–2099 (a real day: no
# 30 February; the edge years
# 2000 and 2100 are accepted too, but only where Shanghai's date stays inside them) with a real offset, or
# none (read as Asia/Shanghai local time, as the date-time picker sends it).
_DAY = (
    r"(20(0[1-9]|[1-9][0-9])-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    r"|02-(0[1-9]|1[0-9]|2[0-8]))|20(0[48]|[2468][048]|[13579][26])-02-29)"
)
INSTANT_PATTERN = (
    r"^" + _DAY + r"[T ]([01][0-9]|2[0-3]):[0-5][0-9]"
    r"(:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)?$"
)


# What an API date field accepts, as the schema publishes it: a real day of `portal.instants.DATE_YEAR_MIN`–
# `DATE_YEAR_MAX` (1901–2099; the years are spelt out in the pattern).
_YEAR = r"(19(0[1-9]|[1-9][0-9])|20[0-9][0-9])"
_LEAP = r"(19(0[48]|[2468][048]|[13579][26])|20(0[048]|[2468][048]|[13579][26]))"
DATE_PATTERN = (
    r"^(" + _YEAR + r"-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    r"|02-(0[1-9]|1[0-9]|2[0-8]))|" + _LEAP + r"-02-29)$"
)


@extend_schema_field({"type": "string", "pattern": INSTANT_PATTERN})
class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedDateTimeField


class SuggestInput(forms.TextInput):
    """A text box with type-ahead: the browser's own `<datalist>` of (value, label) pairs, read when the page
    renders (`options` is a callable, so an API request that only validates never queries them)."""

    def __init__(self, options, attrs=None):
        super().__init__(attrs)
        self.options = options

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or name}-options"
        attrs["list"] = list_id
        attrs.setdefault("autocomplete", "off")
        box = super().render(name, value, attrs, renderer)
        options = "".join(format_html('<option value="{}">{}</option>', code, label) for code, label in self.options())
        return box + format_html('<datalist id="{}">', list_id) + mark_safe(options) + mark_safe("</datalist>")  # noqa: S308 - each option escaped above


class FilterSet(django_filters.FilterSet):
    """The project's FilterSet: each instance builds its form fields afresh, in the language of the request.

    A filter caches its form field (and the label in it) on first use. The schema generator uses the class's
    filters, so after one `/api/schema/` every later copy would carry that field. It was built in whatever
    language was active then, and where the label is derived from the model it had none yet ('Status')."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            filter_.__dict__.pop("_field", None)


class UtilityFilterMixin(FilterSet):
    """`?utility=CODE` matches that organisation and its whole subtree; the box suggests the organisations the
    user may see, by code and name."""

    utility = django_filters.CharFilter(method="filter_utility", label=_("Utility (code, incl. subtree)"))
    utility_field = "utility"
    SUGGEST_AT_MOST = 2000

    @property
    def form(self):
        form = super().form
        field = form.fields.get("utility")
        if field is not None and not isinstance(field.widget, SuggestInput):
            user = getattr(self.request, "user", None)
            field.widget = SuggestInput(lambda: self._organisations(user), attrs=field.widget.attrs)
        return form

    def _organisations(self, user) -> list:
        if user is None or not user.is_authenticated:
            return []
        return list(
            Organisation.objects.visible_to(user).order_by("path").values_list("code", "name")[: self.SUGGEST_AT_MOST]
        )

    def filter_utility(self, queryset, name, value):
        root = Organisation.objects.filter(code=value).first()
        if root is None:
            return queryset.none()
        return queryset.filter(**{f"{self.utility_field}__path__startswith": root.path})


class TrackedDeadlineFilterSet(UtilityFilterMixin):
    state = django_filters.ChoiceFilter(choices=DeadlineState.choices, method="filter_state", label=_("State"))
    status = django_filters.ChoiceFilter(choices=DeadlineStatus.choices, label=_("Status"))
    source_class = django_filters.ChoiceFilter(choices=SourceClass.choices, label=_("Source class"))
    code = django_filters.CharFilter(lookup_expr="startswith", label=_("Rule id"))
    due_after = BoundedIsoDateTimeFilter(field_name="due", lookup_expr="gte", label=_("Due from"), widget=_INSTANT)
    due_before = BoundedIsoDateTimeFilter(field_name="due", lookup_expr="lt", label=_("Due before"), widget=_INSTANT)

    class Meta:
        model = TrackedDeadline
        fields = ["utility", "state", "status", "source_class", "code", "provisional"]

    def filter_state(self, queryset, name, value):
        now = timezone.now()
        if value == DeadlineState.OVERDUE:
            return queryset.filter(Q(status=DeadlineStatus.OVERDUE) | Q(status=DeadlineStatus.OPEN, due__lt=now))
        if value == DeadlineState.AT_RISK:
            return queryset.filter(status=DeadlineStatus.OPEN, due__gte=now).filter(
                Q(at_risk_at__lte=now) | Q(remind_at__lte=now)
            )
        if value == DeadlineState.ON_TIME:
            return queryset.filter(status=DeadlineStatus.OPEN, due__gte=now).exclude(
                Q(at_risk_at__lte=now) | Q(remind_at__lte=now)
            )
        return queryset.filter(status=value)


class ViolationFilterSet(UtilityFilterMixin):
    source_class = django_filters.ChoiceFilter(choices=SourceClass.choices, label=_("Source class"))
    disposition = django_filters.ChoiceFilter(choices=Disposition.choices, label=_("Disposition"))
    code = django_filters.CharFilter(lookup_expr="startswith", label=_("Rule id"))
    occurred_after = BoundedIsoDateTimeFilter(
        field_name="occurred_at", lookup_expr="gte", label=_("Occurred from"), widget=_INSTANT
    )
    occurred_before = BoundedIsoDateTimeFilter(
        field_name="occurred_at", lookup_expr="lt", label=_("Occurred before"), widget=_INSTANT
    )

    class Meta:
        model = Violation
        fields = ["utility", "source_class", "disposition", "code"]


class YesNoSelect(NullBooleanSelect):
    """A yes/no filter reads 全部 / 是 / 否 (Django's own select says "Unknown" for "not filtered")."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("unknown", _("Any")), ("true", _("Yes")), ("false", _("No")))


class YesNoFilter(django_filters.BooleanFilter):
    """The yes/no filter of every list: `true` / `false`, anything else is not filtered (HTML); the API's filter
    backend refuses anything but true / false (`portal.api.filters`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", YesNoSelect)
        super().__init__(*args, **kwargs)
