"""The two-step connection threshold (seed 003: low-voltage small/micro business up to 160 kVA connects in two
steps) becomes a parameter of `connection.getting_electricity.small_business` (`two_step_max_kva`), so a
province can change it as data — loaded from the frozen snapshot `portal/migrations/reference_two_step.json`."""

from django.db import migrations

from portal.migrations._reference import load_snapshot


def load(apps, schema_editor):
    load_snapshot(apps, "reference_two_step.json")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0013_appeals"),
        ("portal", "0002_seed_provinces_and_rules"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
