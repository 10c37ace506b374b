"""Set-based inserts of new records for the intakes (tickets, work orders) and their deadlines and violations.

On PostgreSQL a batch is one `COPY` per table from plain tuples: the records' ids are drawn from their sequence
first (COPY returns nothing). Rows that may meet a stored key (violations) go in as one multi-row INSERT … ON
CONFLICT DO NOTHING, as does a batch too small for COPY to pay (a single create). At a thousand records a call
the ORM's per-value preparation, and even psycopg2's quoting of a multi-row INSERT, cost more than the
database's work (5,000 deadline rows: 0.10 s by COPY, 0.22 s by `execute_values`). Elsewhere (SQLite, the
embedded default) the ORM's `bulk_create`. Both paths write the same columns: `tests/portal/test_bulk.py`
compares them field by field.
"""

from __future__ import annotations

import io
import json

from django.db import connection, models
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

PAGE = 1000
COPY_FROM = 50  # rows; below, one multi-row INSERT is one round trip where COPY takes more


def _set_based() -> bool:
    """Whether the multi-row INSERT path applies (PostgreSQL); the tests turn it off to compare both paths."""
    return connection.vendor == "postgresql"


def _fields(model: type[models.Model]) -> list:
    """The concrete columns of `model` without the id."""
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _store(model, fields, rows, *, returning: bool = False) -> list[int] | None:
    """Write `rows` (tuples in `fields` order): by COPY from COPY_FROM rows on (the ids drawn from the sequence
    first when asked for), below that as one INSERT (a single create: one statement, its id RETURNING)."""
    if len(rows) < COPY_FROM:
        return _insert(model, fields, rows, returning=returning)
    ids = _new_ids(model, len(rows)) if returning else None
    if ids is not None:
        fields, rows = [model._meta.pk, *fields], [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
    _copy(model, fields, rows)
    return ids


def _insert(model, fields, rows, *, returning=False, on_conflict_nothing=False) -> list[int] | None:
    from psycopg2.extras import execute_values  # PostgreSQL only: the driver is loaded where it is used

    sql = "INSERT INTO {} ({}) VALUES %s{}{}".format(  # noqa: S608 - identifiers from the model, quoted
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(connection.ops.quote_name(f.column) for f in fields),
        " ON CONFLICT DO NOTHING" if on_conflict_nothing else "",
        " RETURNING id" if returning else "",
    )
    adapt = [f.get_internal_type() == "JSONField" for f in fields]
    rows = [
        tuple(f.get_db_prep_save(v, connection) if a else v for f, a, v in zip(fields, adapt, r, strict=True))
        for r in rows
    ]
    # The raw psycopg2 cursor inside Django's error wrapping: a unique violation (a concurrent push of the
    # same key) is django.db.IntegrityError, which the intakes retry.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        found = execute_values(cursor.cursor, sql, rows, page_size=PAGE, fetch=returning)
    return [pk for (pk,) in found] if returning else None


def _copy(model, fields, rows) -> None:
    """COPY `rows` (tuples of Python values in `fields` order) into the model's table, in PostgreSQL's text format."""
    convert = [_converter(f) for f in fields]
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join([c(v) for c, v in zip(convert, row, strict=True)]))
        buffer.write("\n")
    buffer.seek(0)
    sql = "COPY {} ({}) FROM STDIN".format(
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(connection.ops.quote_name(f.column) for f in fields),
    )
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.cursor.copy_expert(sql, buffer)


_NULL = "\\N"


def _escaped(text: str) -> str:
    # Four C-speed replaces: str.translate with a mapping goes through Python per character.
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


_NUMBERS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "DecimalField",
    "FloatField",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
}


def _converter(field):
    """A column's value as COPY's text format reads it (tab, newline, carriage return and backslash escaped)."""
    kind = field.get_internal_type()
    if kind == "JSONField":  # as the field stores it: None is JSON null unless the column takes NULL
        return lambda v: _NULL if v is None and field.null else _escaped(json.dumps(v, cls=field.encoder))
    if kind == "BooleanField":
        return lambda v: _NULL if v is None else ("t" if v else "f")
    if kind in ("DateTimeField", "DateField"):
        return lambda v: _NULL if v is None else v.isoformat()  # aware datetimes keep their offset
    if kind in _NUMBERS:
        return lambda v: _NULL if v is None else str(v)
    return lambda v: _NULL if v is None else _escaped(str(v))


def _new_ids(model, count: int) -> list[int]:
    """`count` ids drawn from the model's sequence, in order, as an INSERT would draw them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _stamped(fields) -> list[str]:
    """The columns the ORM would set to now on insert (`auto_now`, `auto_now_add`)."""
    return [f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]


def _tuples(objs, fields, special=None):
    special = special or {}
    return [
        tuple(special[f.attname] if f.attname in special else getattr(obj, f.attname) for f in fields) for obj in objs
    ]


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
    fields = _fields(model)
    stamped = _stamped(fields)
    for obj in records:
        for name in stamped:
            setattr(obj, name, now)
    ids = _store(model, fields, _tuples(records, fields), returning=True)
    for obj, pk in zip(records, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    history = model.history.model
    special = {
        "history_date": now,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": user.pk if user and user.pk else None,
    }
    hfields = _fields(history)
    _store(history, hfields, _tuples(records, hfields, special))


def insert_rows(model: type[models.Model], rows: list, *, ignore_conflicts: bool = False) -> None:
    """Insert plain rows (deadlines, violations): unsaved instances, or dicts of column values (attnames) to
    which the fields' defaults are added — cheaper than an instance each at thousands of rows. `auto_now_add`
    is applied as the ORM would. Instances get their ids back (without `ignore_conflicts`), dicts do not."""
    if not rows:
        return
    fields = _fields(model)
    if not _set_based():
        objs = [model(**row) if isinstance(row, dict) else row for row in rows]
        model.objects.bulk_create(objs, batch_size=2 * PAGE, ignore_conflicts=ignore_conflicts)
        return
    now = timezone.now()
    stamped = _stamped(fields)
    defaults = {f.attname: f.get_default() for f in fields}
    tuples = []
    for row in rows:
        values = {**defaults, **row} if isinstance(row, dict) else {f.attname: getattr(row, f.attname) for f in fields}
        values.update(dict.fromkeys(stamped, now))
        tuples.append(tuple(values[f.attname] for f in fields))
    if ignore_conflicts:
        _insert(model, fields, tuples, on_conflict_nothing=True)
        return
    instances = not isinstance(rows[0], dict)
    ids = _store(model, fields, tuples, returning=instances)
    if ids:  # instances get their ids (a violation refers to its deadline)
        for obj, pk in zip(rows, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
