"""The report kinds registry (reporting/kinds/): one definition per kind, looked up everywhere."""

import pytest
from django.core.exceptions import ValidationError

from reporting import services
from reporting.checks import report_kinds_check
from reporting.choices import ReportKind
from reporting.kinds import REGISTRY, spec
from reporting.params import report_params


def test_every_kind_has_one_definition():
    assert list(REGISTRY) == list(ReportKind.values)
    assert report_kinds_check() == []
    assert services.DOC_PREFIX == {
        "campaign_special": "专报",
        "self_check": "自查",
        "complaint_bulletin": "通报",
        "outage_compliance": "停电",
    }
    for key, definition in REGISTRY.items():
        assert definition.key == key
        assert definition.label == ReportKind(key).label
        assert definition.template == f"reporting/pdf/{key}.html"


def test_unknown_kind_is_a_validation_error_on_kind():
    with pytest.raises(ValidationError) as exc:
        spec("nonsense")
    assert "kind" in exc.value.message_dict
    with pytest.raises(ValidationError):
        report_params(kind="nonsense", raw={}, user=None)


def test_a_kind_missing_from_the_registry_fails_the_check(monkeypatch):
    monkeypatch.delitem(REGISTRY, "self_check")
    assert [e.id for e in report_kinds_check()] == ["reporting.E001"]
