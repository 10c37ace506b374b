"""The loader of the reference-data migrations, frozen with them (its name starts with "_", so Django does
not take it for a migration). A migration loads a snapshot file beside it — never the live
`portal/data/*.json` — so it means the same thing on a new database in a year's time. A rule added to the
catalogue later ships with a migration (and snapshot or rows) of its own."""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load_snapshot(apps, filename: str) -> None:
    """Provinces and rules from `filename` (this folder), idempotent: a row already there is updated."""
    data = json.loads((HERE / filename).read_text(encoding="utf-8"))
    Province = apps.get_model("portal", "Province")
    Rule = apps.get_model("portal", "Rule")
    for row in data["provinces"]:
        Province.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
    provinces = {p.code: p for p in Province.objects.all()}
    for row in data["rules"]:
        row = dict(row)
        code = row.pop("jurisdiction", None)
        jurisdiction = provinces[code] if code else None
        Rule.objects.update_or_create(
            code=row["code"], jurisdiction=jurisdiction, effective_from=row["effective_from"], defaults=row
        )
