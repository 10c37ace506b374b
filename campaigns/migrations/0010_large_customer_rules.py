"""Load the large-customer rules (`large_customer.*`, seed 002 第五篇) into the catalogue, from their frozen
snapshot (idempotent)."""

from django.db import migrations

from portal.migrations._reference import load_snapshot


def load(apps, schema_editor):
    load_snapshot(apps, "reference_issue12_large_customers.json")


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0009_large_customers"),
        ("portal", "0002_seed_provinces_and_rules"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
