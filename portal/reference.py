"""Reference data shipped with the portal: provinces (GB/T 2260) and the rule catalogue.

Used by tests whose transactional flush removed migration data. The migrations load frozen snapshots of
their own (`portal/migrations/_reference.py`), so they never read tomorrow's files."""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def load_reference_data(province_model, rule_model) -> None:
    for row in json.loads((DATA / "provinces.json").read_text(encoding="utf-8")):
        province_model.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
    provinces = {p.code: p for p in province_model.objects.all()}
    for row in json.loads((DATA / "rules.json").read_text(encoding="utf-8")):
        code = row.pop("jurisdiction", None)
        jurisdiction = provinces[code] if code else None
        rule_model.objects.update_or_create(
            code=row["code"], jurisdiction=jurisdiction, effective_from=row["effective_from"], defaults=row
        )
