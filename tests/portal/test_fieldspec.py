"""portal.fieldspec: what a spec derives from the model, the lists it gives each door, and the mistakes
it refuses when it is declared."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from complaints.models import Complaint
from portal.fieldspec import CHOICE, INSTANT, ORG, TEXT, Export, Field, FieldSpec


def test_parts_left_out_come_from_the_model():
    spec = FieldSpec(
        Complaint,
        [
            Field("channel", intake=True, required=True, column="渠道"),
            Field("received_at", intake=True, column="受理时间", export=Export()),
            Field("utility", intake=True, export=Export(value="utility.name")),
            Field("region", intake=True, export=Export(width=14)),
            Field("status", export=Export()),
            Field("reopen_count", export=Export()),
        ],
    )
    assert [spec[n].kind for n in ("channel", "received_at", "utility", "region")] == [CHOICE, INSTANT, ORG, TEXT]
    assert spec["region"].max_length == Complaint._meta.get_field("region").max_length
    assert spec["utility"].max_length == 40  # the organisation code's
    assert spec["channel"].choices == Complaint._meta.get_field("channel").choices
    with translation.override("en"):
        assert str(spec["region"].label) == "Region"  # the verbose_name, capitalised, translated when read
    columns = {c.value if isinstance(c.value, str) else None: c for c in spec.export_columns()}
    assert columns["get_status_display"].kind == "text"  # a choice exports its display text
    assert columns["received_at"].kind == "datetime"
    assert columns["reopen_count"].kind == "int"
    assert columns["region"].width == 14
    assert spec.intake_names == ("channel", "received_at", "utility", "region")
    assert spec.required == ("channel",)
    assert spec.import_columns == {"渠道": "channel", "受理时间": "received_at"}
    assert spec.header_of == {"channel": "渠道", "received_at": "受理时间"}
    fields = spec.input_serializer("Probe")().fields
    assert fields["channel"].required and not fields["region"].required and fields["region"].allow_blank
    assert fields["region"].max_length == 60 and fields["received_at"].allow_null


def test_orders_name_what_comes_first_and_the_rest_follow():
    spec = FieldSpec(
        Complaint,
        [
            Field("channel", intake=True, column="渠道", export=Export()),
            Field("kind", intake=True, column="类型", export=Export()),
            Field("region", intake=True, column="地区", export=Export()),
        ],
        export_order=("region",),
        import_order=("kind",),
    )
    assert [c.value for c in spec.export_columns()] == ["region", "get_channel_display", "get_kind_display"]
    assert list(spec.import_columns.values()) == ["kind", "channel", "region"]


@pytest.mark.parametrize(
    ("fields", "orders"),
    [
        ([Field("no_such_thing")], {}),
        ([Field("region"), Field("region")], {}),
        ([Field("region", required=True)], {}),
        ([Field("region", column="地区")], {}),
        ([Field("region", intake=True, kind="colour")], {}),
        ([Field("region")], {"export_order": ("region",)}),
        ([Field("region", intake=True)], {"import_order": ("region",)}),
    ],
)
def test_mistakes_are_refused_when_declared(fields, orders):
    with pytest.raises(ImproperlyConfigured):
        FieldSpec(Complaint, fields, **orders)
