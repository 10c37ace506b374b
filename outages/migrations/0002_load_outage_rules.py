"""Load the outage rules added to portal/data/rules.json (outage.restoration.scheduled_end,
outage.temporary.repeat) into databases migrated before they existed. Idempotent."""

from django.db import migrations


def load(apps, schema_editor):
    from portal.reference import load_reference_data

    load_reference_data(apps.get_model("portal", "Province"), apps.get_model("portal", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("outages", "0001_initial"), ("portal", "0002_seed_provinces_and_rules")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
