"""Issue 11: the rule `campaign.rectification.escalation` says, as data, after how many re-notices an overdue
rectification item escalates, to which levels in order (约谈, then 稽查) and the period between them: loaded from
the frozen snapshot; idempotent."""

from django.db import migrations

from portal.migrations._reference import load_snapshot


def load(apps, schema_editor):
    load_snapshot(apps, "reference_issue11.json")


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0007_rectification_programmes"),
        ("portal", "0002_seed_provinces_and_rules"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
