"""Load the rules of 三级督办 (`complaint.supervision`, `.2`, `.3`) into the catalogue, from the frozen
snapshot `portal/migrations/reference_issue13.json` (idempotent)."""

from django.db import migrations

from portal.migrations._reference import load_snapshot


def load(apps, schema_editor):
    load_snapshot(apps, "reference_issue13.json")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0010_supervision_levels_talks"),
        ("portal", "0002_seed_provinces_and_rules"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
