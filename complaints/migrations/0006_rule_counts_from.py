"""Where a complaint rule's clock starts is the rule's data (`params.counts_from`), no longer read from its
id: the statutory reply counts from receipt, the 12398 rule from the forward. Its own copy of the rows."""

from django.db import migrations

COUNTS_FROM = {"complaint.reply.statutory": "receipt", "complaint.reply.12398": "forward"}


def forwards(apps, schema_editor):
    Rule = apps.get_model("portal", "Rule")
    for rule in Rule.objects.filter(code__in=COUNTS_FROM):
        if "counts_from" not in (rule.params or {}):
            rule.params = {**(rule.params or {}), "counts_from": COUNTS_FROM[rule.code]}
            rule.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [("complaints", "0005_withheld_index"), ("portal", "0006_load_calendar")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
