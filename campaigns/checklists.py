"""Loading checklist templates shipped as data (the 百问百查 2009 checklist of seed 001)."""

import json
from pathlib import Path

from django.db import transaction

from campaigns.choices import ChecklistItemKind
from campaigns.models import ChecklistItem, ChecklistTemplate

DATA = Path(__file__).resolve().parent / "data"
BAIWEN_BAICHA = DATA / "baiwen_baicha_2009.json"


@transaction.atomic
def load_checklist(path: Path = BAIWEN_BAICHA) -> tuple[ChecklistTemplate, int]:
    """Create or bring up to date a shared template from a JSON file; idempotent. Returns (template, items)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    template, _created = ChecklistTemplate.objects.update_or_create(
        code=data["code"],
        defaults={
            "title": data["title"],
            "source": data.get("source", ""),
            "notes": {"gaps": data.get("gaps", []), "editorial_notes": data.get("editorial_notes", [])},
            "owner": None,
        },
    )
    seen = []
    for section in data["sections"]:
        kind = ChecklistItemKind.QUESTION if section["kind"] == "question" else ChecklistItemKind.CHECK
        for row in section["items"]:
            obj, _c = ChecklistItem.objects.update_or_create(
                template=template,
                kind=kind,
                number=row["number"],
                defaults={"group": section["group"], "text": row["text"], "guidance": row.get("guidance", "")},
            )
            seen.append(obj.pk)
    template.items.exclude(pk__in=seen).delete()
    return template, len(seen)
