"""Provinces (GB/T 2260) and the rule catalogue as shipped; both stay editable in the admin."""

from django.db import migrations


def load(apps, schema_editor):
    from portal.reference import load_reference_data

    load_reference_data(apps.get_model("portal", "Province"), apps.get_model("portal", "Rule"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
