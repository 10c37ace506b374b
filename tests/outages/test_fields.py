"""The notice field spec (outages.fields): it maps onto the model, and the writable fields
(outages.validation), the API serializer, the import template and the export take their lists from it."""

from outages import validation
from outages.api.serializers import OutageNoticeSerializer
from outages.fields import NOTICE_FIELDS
from outages.models import OutageNotice


def test_every_field_maps_onto_the_model():
    model_fields = set(OutageNotice._meta.get_fields())
    for f in NOTICE_FIELDS:
        assert f.model_field in model_fields, f.name


def test_the_doors_derive_from_the_spec():
    serializer = OutageNoticeSerializer()
    assert list(serializer.fields) == list(NOTICE_FIELDS.api_names)
    writable = {name for name, field in serializer.fields.items() if not field.read_only}
    assert writable == set(NOTICE_FIELDS.intake_names)
    # The spec's required fields are the ones the API requires (the serializer reads them off the model).
    assert {name for name, field in serializer.fields.items() if field.required} == set(NOTICE_FIELDS.required)
    assert set(validation.WRITABLE_FIELDS) == set(NOTICE_FIELDS.intake_names) - {"utility"}
    assert set(validation.HAPPENED_FIELDS) <= set(validation.WRITABLE_FIELDS)
    assert all(NOTICE_FIELDS[name].kind == "instant" for name in validation.HAPPENED_FIELDS)
    assert list(NOTICE_FIELDS.import_columns)[:3] == ["外部编号", "单位编码", "停电类型"]
    assert len(NOTICE_FIELDS.export_columns()) == sum(1 for f in NOTICE_FIELDS if f.export is not None)
