"""Text search over ticket content through a pg_trgm GIN index (PostgreSQL only).

The index is on UPPER(content), the expression Django's `icontains` compares on PostgreSQL, so
`?q=` is an index scan at millions of tickets. pg_trgm is a trusted extension the database owner may
create. Other databases (SQLite locally) skip this migration's work: it is not part of the model
state, so `makemigrations --check` stays clean everywhere.
"""

from django.db import migrations

INDEX = "cmp_content_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON complaints_complaint USING gin (UPPER(content) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
