"""Load issue 12's rules (the arrears reminders, the re-notice, the cut as announced) into the catalogue, from
the frozen snapshot; idempotent."""

from django.db import migrations

from portal.migrations._reference import load_snapshot


def load(apps, schema_editor):
    load_snapshot(apps, "reference_issue12.json")


class Migration(migrations.Migration):
    dependencies = [
        ("outages", "0003_arrears_cases"),
        ("portal", "0002_seed_provinces_and_rules"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
