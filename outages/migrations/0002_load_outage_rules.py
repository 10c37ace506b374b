"""Load the outage rules (outage.restoration.scheduled_end, outage.temporary.repeat) into databases migrated
before they existed, from the frozen snapshot. Idempotent."""

from django.db import migrations

from portal.migrations._reference import load_snapshot


def load(apps, schema_editor):
    load_snapshot(apps, "reference_2026_12.json")


class Migration(migrations.Migration):
    dependencies = [("outages", "0001_initial"), ("portal", "0002_seed_provinces_and_rules")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
