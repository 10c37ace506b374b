"""The target catalogue's shipped data (`campaigns/data/targets.json`, the seeds' commitments) and its loader.

Migration `0004_target_catalogue` loads a frozen copy (`campaigns/migrations/targets_issue11.json`); this loader
puts the same rows back where a transactional test's flush removed them (tests) and is idempotent by code.
"""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "targets.json"


def load_targets(target_model, province_model, path: Path = DATA) -> int:
    """Create or update every target of the file by code; returns how many were loaded."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for t in data["targets"]:
        fields = {k: v for k, v in t.items() if k not in ("code", "province")}
        fields["province"] = province_model.objects.get(code=t["province"]) if t["province"] else None
        target_model.objects.update_or_create(code=t["code"], defaults=fields)
    return len(data["targets"])
