"""The query parameters of every API list, held to what the schema publishes for them.

The FilterSets serve the HTML lists too, where a form sends empty fields and a yes/no select sends
"unknown"; there anything odd quietly means "no filter". A client generated from the schema is told a type
for each parameter (boolean, integer, date, enum, instant), so the API refuses, with a 400 naming the
parameter, what that type excludes: an empty value for a non-text parameter, a boolean other than
`true`/`false`, an integer with a fraction, an instant outside `INSTANT_PATTERN`, a parameter given twice.
An @action that reads its query through a serializer instead of a FilterSet holds it the same way by
deriving the serializer from `QuerySerializer`.
A reference to a record that does not exist (or that the account may not see) matches nothing: an empty
list, not an error, as `?utility=` with an unknown code does.
"""

import re

import django_filters
from django.db import models
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from portal.filtersets import INSTANT_PATTERN, BoundedIsoDateTimeFilter

_INTEGER = re.compile(r"-?[0-9]{1,19}\Z")
_INSTANT = re.compile(INSTANT_PATTERN)
_INTEGER_FIELDS = (models.IntegerField, models.AutoField, models.ForeignKey)


def _model_field(model, path: str):
    field = None
    for part in path.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except Exception:
            return None
        model = getattr(field, "related_model", None)
    return field


def filter_kind(filterset_class, name: str, f) -> str:
    """What the schema publishes for filter `f`: boolean, integer, instant, date, choice, multiple or text."""
    if isinstance(f, django_filters.BooleanFilter):
        return "boolean"
    if isinstance(f, BoundedIsoDateTimeFilter):
        return "instant"
    if isinstance(f, django_filters.DateFilter):
        return "date"
    if isinstance(f, django_filters.MultipleChoiceFilter | django_filters.ModelMultipleChoiceFilter):
        return "multiple"
    if isinstance(f, django_filters.ModelChoiceFilter):
        return "integer"
    if isinstance(f, django_filters.ChoiceFilter):
        return "choice"
    if isinstance(f, django_filters.NumberFilter):
        model = getattr(getattr(filterset_class, "_meta", None), "model", None)
        field = _model_field(model, f.field_name) if model is not None and not f.method else None
        return "integer" if isinstance(field, _INTEGER_FIELDS) else "number"
    return "text"


def check_query(filterset, params) -> None:
    """Raises a 400 for the parameters whose value the published type excludes."""
    errors = {}
    for name, f in filterset.filters.items():
        values = params.getlist(name)
        if not values:
            continue
        kind = filter_kind(type(filterset), name, f)
        if len(values) > 1 and kind != "multiple":
            errors[name] = [_("Give this parameter once.")]
            continue
        value = values[0]
        if kind in ("text", "multiple"):
            continue
        if value == "":
            errors[name] = [_("This parameter may not be empty; leave it out to filter on nothing.")]
        elif kind == "boolean" and value not in ("true", "false"):
            errors[name] = [_("Give true or false.")]
        elif kind == "integer" and not _INTEGER.match(value):
            errors[name] = [_("Give a whole number.")]
        elif kind == "instant" and not _INSTANT.match(value):
            errors[name] = [_("Give an ISO 8601 instant such as 2026-09-30T14:00:00+08:00 (years 2001–2099).")]
    if errors:
        raise ValidationError(errors)


class QuerySerializer(serializers.Serializer):
    """The query parameters of an @action (`Serializer(data=request.query_params)`), held to the schema as the
    filter backend holds a FilterSet's: DRF reads an empty value of an optional field as "not given" and a
    repeated one as its last value, where the schema publishes a date, enum or number that "" is not and one
    value per parameter. A 400 names the parameter instead; a field that allows blanks (published so) keeps them."""

    def to_internal_value(self, data):
        getlist = getattr(data, "getlist", None)
        errors = {}
        for name, field in self.fields.items():
            if field.read_only:
                continue
            values = getlist(name) if getlist else ([data[name]] if name in data else [])
            if not values:
                continue
            multiple = isinstance(field, serializers.ListField | serializers.MultipleChoiceField)
            if len(values) > 1 and not multiple:
                errors[name] = [_("Give this parameter once.")]
            elif values[0] == "" and not multiple and not getattr(field, "allow_blank", False):
                errors[name] = [_("This parameter may not be empty; leave it out to filter on nothing.")]
            elif isinstance(field, serializers.IntegerField) and not _INTEGER.match(values[0]):
                errors[name] = [_("Give a whole number.")]
        if errors:
            raise ValidationError(errors)
        return super().to_internal_value(data)


class PortalFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            check_query(filterset, request.query_params)
        return filterset

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            errors = filterset.form.errors.as_data()
            unknown = all(
                isinstance(filterset.filters.get(name), django_filters.ModelChoiceFilter)
                and all(e.code == "invalid_choice" for e in errs)
                for name, errs in errors.items()
            )
            if errors and unknown:
                return queryset.none()  # a well-formed id of no record this account may see
        return super().filter_queryset(request, queryset, view)
