"""The committed schema (docs/openapi.yaml) is the contract clients were generated from: the served schema may
add to it but never break it without an announcement (scripts/schema_diff.py; docs/api.md, "Versioning")."""

import copy
import importlib.util
from pathlib import Path

import pytest
import yaml
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("schema_diff", ROOT / "scripts" / "schema_diff.py")
schema_diff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(schema_diff)


def _served(language: str = "zh-hans") -> dict:
    with translation.override(language):
        return yaml.safe_load(yaml.safe_dump(SchemaGenerator().get_schema(request=None, public=True)))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_served_schema_breaks_nothing_in_the_committed_one(db, language):
    """/api/schema/ speaks the asking client's language; the contract is the same in both."""
    committed = yaml.safe_load((ROOT / "docs" / "openapi.yaml").read_text())
    assert schema_diff.breaking_changes(committed, _served(language)) == []


def test_the_check_finds_a_removed_operation_field_and_a_new_required_field(db):
    old = _served()
    new = copy.deepcopy(old)
    del new["paths"]["/api/v1/rules/"]["get"]
    new["components"]["schemas"]["Complaint"]["properties"].pop("external_id")
    new["components"]["schemas"]["ComplaintInputRequest"].setdefault("required", []).append("region")
    found = schema_diff.breaking_changes(old, new)
    assert "GET /api/v1/rules/: operation removed" in found
    assert "GET /api/v1/complaints/: response field results.external_id removed" in found
    assert "POST /api/v1/complaints/: request field region now required" in found
    assert schema_diff.breaking_changes(new, old) == []  # additions are fine
