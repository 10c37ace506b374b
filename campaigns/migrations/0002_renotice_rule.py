"""Load the rule `campaign.rectification.renotice` into the catalogue (from the frozen snapshot; idempotent)."""

from django.db import migrations

from portal.migrations._reference import load_snapshot


def load(apps, schema_editor):
    load_snapshot(apps, "reference_2026_12.json")


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("portal", "0002_seed_provinces_and_rules"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
