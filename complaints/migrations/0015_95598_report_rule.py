"""Shandong's 9-working-day limit for 95598 reports (举报) was catalogued as `report.reply.provincial`, a code the
ticket clocks never read (they read `complaint.*`), so no report was ever judged by it. It becomes
`complaint.reply.95598.report` (met by the reply, like every `complaint.reply` rule), from the frozen snapshot
`portal/migrations/reference_95598_report.json`. The old code was never tracked, so nothing else moves."""

from django.db import migrations

from portal.migrations._reference import load_snapshot


def load(apps, schema_editor):
    apps.get_model("portal", "Rule").objects.filter(code="report.reply.provincial").delete()
    load_snapshot(apps, "reference_95598_report.json")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0014_two_step_capacity_rule"),
        ("portal", "0002_seed_provinces_and_rules"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
