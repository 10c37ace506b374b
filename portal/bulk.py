"""Set-based inserts of new records for the intakes (tickets, work orders) and their deadlines and violations.

On PostgreSQL a batch is one multi-row INSERT per table built from plain tuples (`execute_values`, RETURNING
the ids of the records): at a thousand records a call the ORM's per-value preparation costs more than the
database's work. Elsewhere (SQLite, the embedded default) the ORM's `bulk_create`. Both paths write the same
columns: `tests/portal/test_bulk.py` compares them field by field.
"""

from __future__ import annotations

from django.db import connection, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

PAGE = 1000


def _set_based() -> bool:
    """Whether the multi-row INSERT path applies (PostgreSQL); the tests turn it off to compare both paths."""
    return connection.vendor == "postgresql"


def _prepared(model: type[models.Model]):
    """The concrete columns of `model` (without the id) and those whose Python value needs the field's own
    preparation (JSON); psycopg2 adapts the rest (text, numbers, decimals, aware datetimes, booleans)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return fields, {f.attname for f in fields if f.get_internal_type() == "JSONField"}


def _insert(model, fields, rows, *, returning=False, on_conflict_nothing=False):
    from psycopg2.extras import execute_values  # PostgreSQL only: the driver is loaded where it is used

    sql = "INSERT INTO {} ({}) VALUES %s{}{}".format(  # noqa: S608 - identifiers from the model, quoted
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(connection.ops.quote_name(f.column) for f in fields),
        " ON CONFLICT DO NOTHING" if on_conflict_nothing else "",
        " RETURNING id" if returning else "",
    )
    # The raw psycopg2 cursor inside Django's error wrapping: a unique violation (a concurrent push of the
    # same key) is django.db.IntegrityError, which the intakes retry.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        return execute_values(cursor.cursor, sql, rows, page_size=PAGE, fetch=returning)


def _tuples(objs, fields, json_fields, special=None):
    special = special or {}
    out = []
    for obj in objs:
        row = []
        for f in fields:
            if f.attname in special:
                value = special[f.attname]
            else:
                value = getattr(obj, f.attname)
                if f.attname in json_fields:
                    value = f.get_db_prep_save(value, connection)
            row.append(value)
        out.append(tuple(row))
    return out


def insert_records(model: type[models.Model], records: list, *, user, reason: str) -> None:
    """Insert new `records` of a model with history, and one '+' history row each (who: `user`, why:
    `reason`); the records get their ids."""
    if not records:
        return
    if not _set_based():
        bulk_create_with_history(
            records,
            model,
            batch_size=PAGE,
            default_user=user if user and user.pk else None,
            default_change_reason=reason,
        )
        return
    now = timezone.now()
    fields, json_fields = _prepared(model)
    for obj in records:
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                setattr(obj, f.attname, now)
    ids = _insert(model, fields, _tuples(records, fields, json_fields), returning=True)
    for obj, (pk,) in zip(records, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    history = model.history.model
    hfields, hjson = _prepared(history)
    special = {
        "history_date": now,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": user.pk if user and user.pk else None,
    }
    _insert(history, hfields, _tuples(records, hfields, hjson, special))


def insert_rows(model: type[models.Model], rows: list, *, ignore_conflicts: bool = False) -> None:
    """Insert plain rows (deadlines, violations): unsaved instances, or dicts of column values (attnames) to
    which the fields' defaults are added — cheaper than an instance each at thousands of rows. `auto_now_add`
    is applied as the ORM would. Instances get their ids back (without `ignore_conflicts`), dicts do not."""
    if not rows:
        return
    fields, json_fields = _prepared(model)
    if not _set_based():
        objs = [model(**row) if isinstance(row, dict) else row for row in rows]
        model.objects.bulk_create(objs, batch_size=2 * PAGE, ignore_conflicts=ignore_conflicts)
        return
    now = timezone.now()
    stamped = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    defaults = {f.attname: f.get_default() for f in fields}
    tuples = []
    for row in rows:
        values = {**defaults, **row} if isinstance(row, dict) else {f.attname: getattr(row, f.attname) for f in fields}
        values.update(dict.fromkeys(stamped, now))
        tuples.append(
            tuple(
                f.get_db_prep_save(values[f.attname], connection) if f.attname in json_fields else values[f.attname]
                for f in fields
            )
        )
    instances = not isinstance(rows[0], dict)
    ids = _insert(
        model, fields, tuples, returning=instances and not ignore_conflicts, on_conflict_nothing=ignore_conflicts
    )
    if ids:  # instances get their ids (a violation refers to its deadline)
        for obj, (pk,) in zip(rows, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
