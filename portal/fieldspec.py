"""One declaration of a record kind's fields, from which every door derives its list.

A `Field` says, for one name, where the value lives on the model and through which doors it passes:
accepted on intake (and whether required there, and how the value is read), the import template's
column, the Excel export's column, the API's output. A `FieldSpec` holds a record kind's fields in
order (the API's order) and derives each door's list from them, so a new field is the model field,
its migration and one line in the spec (see docs/fields.md).

What the model already says is not said again: the label is the model field's verbose_name, text
limits its max_length, choices its choices, and the export's number format follows its type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from operator import attrgetter
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from rest_framework import serializers

from portal.excel import Column

# How an intake value is read (Field.kind). The default follows the model field; PHONE and LIST are
# never guessed.
CHOICE = "choice"  # one of the model field's choices
TEXT = "text"
PHONE = "phone"  # a phone number, normalised
INSTANT = "instant"  # an aware datetime (ISO 8601, or a spreadsheet's date cell)
ORG = "org"  # the code of a portal Organisation (a foreign key given by its code)
INT = "int"
DECIMAL = "decimal"
LIST = "list"  # several values in one (a JSON list; in a spreadsheet cell, separated by 、 or ,)
KINDS = frozenset({CHOICE, TEXT, PHONE, INSTANT, ORG, INT, DECIMAL, LIST})


@dataclass(frozen=True)
class Export:
    """A field's column in the Excel export. Every part defaults from the field and its model field:
    the label, the value (a choice's display text, else the field's source), the number format."""

    label: Any = None
    value: str | Callable[[Any], Any] | None = None
    kind: str = ""  # portal.excel.FORMATS key ("int", "decimal", "datetime", ...) or "text"
    width: int = 16


@dataclass(frozen=True)
class Field:
    """One field of a record kind as the outside world sees it.

    `name` is the external name (API key, intake key); `source` the attribute path read off a record
    for output (a dotted path or a callable; default: the name). `computed` fields are written out by
    the serializer itself (nested lists and the like). Unset parts are filled in by the `FieldSpec`
    from the model field: `label`, `kind`, `max_length`, `choices`, `model_field`.
    """

    name: str
    source: str | Callable[[Any], Any] | None = None
    label: Any = None
    intake: bool = False  # accepted on intake (REST create and bulk, spreadsheet import)
    required: bool = False  # required on intake
    kind: str = ""  # how an intake value is read: one of KINDS
    column: str = ""  # the import template's column header (Chinese), "" when not imported
    export: Export | None = None  # its Excel export column, None when not exported
    api: bool = True  # output by the API
    happened: bool = False  # an instant of something that happened: never in the future
    max_length: int | None = None  # intake limit of a text (None: none); default: the model field's
    choices: Any = None  # default: the model field's
    help_text: str = ""  # for the API schema
    computed: bool = False
    model_field: models.Field | None = field(default=None, compare=False, repr=False)


def _model_field(model, f: Field) -> models.Field | None:
    """The model field `f` maps to: its name's, else the first step of its source's (`utility.name`)."""
    candidates = [f.name]
    if isinstance(f.source, str):
        candidates.append(f.source.split(".")[0])
    for name in candidates:
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
    return None


def _default_kind(mf: models.Field | None) -> str:
    if mf is None:
        return TEXT
    if mf.choices:
        return CHOICE
    if isinstance(mf, models.DateTimeField):
        return INSTANT
    if isinstance(mf, models.ForeignKey) and mf.related_model._meta.label == "portal.Organisation":
        return ORG
    if isinstance(mf, models.IntegerField):
        return INT
    if isinstance(mf, models.DecimalField):
        return DECIMAL
    return TEXT


def _export_kind(mf: models.Field | None) -> str:
    if isinstance(mf, models.DateTimeField):
        return "datetime"
    if isinstance(mf, models.DateField):
        return "date"
    if isinstance(mf, models.DecimalField):
        return "decimal"
    if isinstance(mf, models.IntegerField) and not mf.choices:
        return "int"
    return "text"


class FieldSpec:
    """A record kind's fields in order, and the lists each door derives from them.

    `export_order` and `import_order` name the fields whose export columns (import columns) come
    first, in that order, when it differs from the spec's; fields they do not name follow in the
    spec's order (so a new field lands at the end of both)."""

    def __init__(self, model, fields, *, export_order=(), import_order=()):
        self.model = model
        self.fields: tuple[Field, ...] = tuple(self._bind(f) for f in fields)
        self.by_name = {f.name: f for f in self.fields}
        self.export_order = tuple(export_order)
        self.import_order = tuple(import_order)
        self._check()

    def _bind(self, f: Field) -> Field:
        mf = f.model_field or _model_field(self.model, f)
        if mf is None and not f.computed and not hasattr(self.model, f.name):
            raise ImproperlyConfigured(f"{self.model.__name__}: field spec '{f.name}' maps onto nothing on the model")
        kind = f.kind or _default_kind(mf)
        max_length = f.max_length
        if max_length is None and mf is not None:
            # An organisation given by its code: the code's limit.
            target = mf.related_model._meta.get_field("code") if kind == ORG and mf.related_model else mf
            max_length = target.max_length
        return replace(
            f,
            model_field=mf,
            kind=kind,
            label=f.label if f.label is not None else capfirst(mf.verbose_name if mf is not None else f.name),
            max_length=max_length,
            choices=f.choices if f.choices is not None else (mf.choices if mf is not None else None),
        )

    def _check(self) -> None:
        model = self.model.__name__
        if len(self.by_name) != len(self.fields):
            raise ImproperlyConfigured(f"{model}: a field spec name appears twice")
        for f in self.fields:
            if (f.required or f.column) and not f.intake:
                raise ImproperlyConfigured(f"{model}.{f.name}: required or imported but not accepted on intake")
            if f.intake and f.kind not in KINDS:
                raise ImproperlyConfigured(f"{model}.{f.name}: unknown input kind '{f.kind}'")
        for order, door in ((self.export_order, "export"), (self.import_order, "import")):
            for name in order:
                f = self.by_name.get(name)
                if f is None or not (f.export if door == "export" else f.column):
                    raise ImproperlyConfigured(f"{model}: '{name}' in the {door} order is not in the {door}")

    def __iter__(self):
        return iter(self.fields)

    def __getitem__(self, name: str) -> Field:
        return self.by_name[name]

    def names(self, **flags) -> tuple[str, ...]:
        """The names of the fields whose attributes have the given values: `names(happened=True)`."""
        return tuple(f.name for f in self.fields if all(getattr(f, k) == v for k, v in flags.items()))

    def _ordered(self, first: tuple[str, ...], keep: Callable[[Field], bool]) -> tuple[Field, ...]:
        listed = [self.by_name[n] for n in first]
        return (*listed, *(f for f in self.fields if keep(f) and f.name not in first))

    # ------------------------------------------------------------------ intake

    @cached_property
    def intake_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.intake)

    @cached_property
    def intake_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.intake_fields)

    @cached_property
    def required(self) -> tuple[str, ...]:
        return self.names(required=True)

    def input_serializer(self, name: str) -> type[serializers.Serializer]:
        """A DRF serializer of the intake fields (for the API schema: the intake validates itself)."""
        return type(name, (serializers.Serializer,), {f.name: _input_field(f) for f in self.intake_fields})

    # ------------------------------------------------------------------ import

    @cached_property
    def import_fields(self) -> tuple[Field, ...]:
        return self._ordered(self.import_order, lambda f: bool(f.column))

    @cached_property
    def import_columns(self) -> dict[str, str]:
        """Import template header → field name, in the template's order."""
        return {f.column: f.name for f in self.import_fields}

    @cached_property
    def header_of(self) -> dict[str, str]:
        return {f.name: f.column for f in self.import_fields}

    # ------------------------------------------------------------------ export

    def export_columns(self) -> list[Column]:
        out = []
        for f in self._ordered(self.export_order, lambda f: f.export is not None):
            e = f.export
            value = e.value
            if value is None:
                display = f.kind == CHOICE and f.model_field is not None and f.source in (None, f.name)
                value = f"get_{f.model_field.name}_display" if display else (f.source or f.name)
            kind = e.kind or _export_kind(f.model_field if f.source in (None, f.name) else None)
            out.append(Column(e.label if e.label is not None else f.label, value, kind=kind, width=e.width))
        return out

    # ------------------------------------------------------------------ API output

    @cached_property
    def api_names(self) -> tuple[str, ...]:
        return self.names(api=True)

    @cached_property
    def api_output(self) -> tuple[tuple[str, Callable[[Any], Any] | None, bool], ...]:
        """(name, read the value off a record, whether it is an instant) per output field, in order;
        the reader is None for computed fields."""
        out = []
        for f in self.fields:
            if not f.api:
                continue
            if f.computed:
                out.append((f.name, None, False))
                continue
            source = f.source or f.name
            get = source if callable(source) else attrgetter(source)
            out.append((f.name, get, isinstance(f.model_field, models.DateTimeField) and f.source in (None, f.name)))
        return tuple(out)


def _input_field(f: Field) -> serializers.Field:
    optional = {} if f.required else {"required": False}
    extra = {"help_text": f.help_text} if f.help_text else {}
    if f.kind == CHOICE:
        return serializers.ChoiceField(choices=f.choices, **optional, **({} if f.required else {"allow_blank": True}))
    if f.kind == INSTANT:
        return serializers.DateTimeField(**optional, **({} if f.required else {"allow_null": True}), **extra)
    if f.kind == INT:
        return serializers.IntegerField(**optional, **({} if f.required else {"allow_null": True}), **extra)
    if f.kind == DECIMAL:
        mf = f.model_field
        return serializers.DecimalField(
            max_digits=mf.max_digits, decimal_places=mf.decimal_places, **optional, allow_null=not f.required, **extra
        )
    if f.kind == LIST:
        child = serializers.ChoiceField(choices=f.choices) if f.choices else serializers.CharField()
        return serializers.ListField(child=child, **optional, **extra)
    blank = {} if f.required else {"allow_blank": True}
    return serializers.CharField(max_length=f.max_length, **optional, **blank, **extra)


_ALIASES: dict[str, dict[str, str]] = {}


def choice_aliases(name: str, choices) -> dict[str, str]:
    """What another system may send for a choice: its code, its English label (any case) or its Chinese label.
    Built once per choice set (`name`)."""
    if name not in _ALIASES:
        out: dict[str, str] = {}
        for value, label in choices:
            out[str(value)] = value
            out[str(label).lower()] = value
            with translation.override("zh-hans"):
                out[str(label)] = value
        _ALIASES[name] = out
    return _ALIASES[name]
