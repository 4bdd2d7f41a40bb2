"""Writing many rows at once inside an import's transaction: COPY with the values Django's
INSERT would send, ids reserved beforehand, the row history made ready by
``core.history.recorded_history``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

# Values that go to the database as they are, by field: the conversion would only confirm
# them, a dozen calls each. Any other value (a lazy string, a naive datetime, ...) goes through
# the field's own get_db_prep_save.
_NONE = type(None)
_INTEGERS = ("AutoField", "BigAutoField", "BigIntegerField", "ForeignKey", "IntegerField")
_INTEGERS += ("PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField")
_AS_THEY_ARE: dict[str, tuple[type, ...]] = {
    "CharField": (str, _NONE),
    "TextField": (str, _NONE),
    "BooleanField": (bool, _NONE),
    "DateField": (date, _NONE),
    **dict.fromkeys(_INTEGERS, (int, _NONE)),
}


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys from the table's own sequence, in one query."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def copy_insert(objects: Sequence[models.Model]) -> None:
    """Insert model instances of one model with a single COPY.

    Each value is what ``bulk_create`` would send (``pre_save`` fills the automatic dates,
    ``get_db_prep_save`` converts); the database runs its triggers (row history) and checks
    its constraints as for any INSERT. The primary key is sent when the objects have one
    (see ``reserve_ids``), else the database gives it.
    """
    if not objects:
        return
    meta = objects[0]._meta
    with_pk = objects[0].pk is not None
    fields = [f for f in meta.concrete_fields if with_pk or not f.primary_key]
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the per-call proxy
    quote = db.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"  # names from the model only
    prepare = [
        (f.pre_save, f.get_db_prep_save, _AS_THEY_ARE.get(f.get_internal_type(), ()))
        for f in fields
    ]
    with db.cursor() as cursor, cursor.copy(sql) as copy:
        for obj in objects:
            row = []
            for pre_save, prep, as_they_are in prepare:
                value = pre_save(obj, True)
                row.append(value if type(value) in as_they_are else prep(value, db))
            copy.write_row(row)
    for obj in objects:
        obj._state.adding = False
        obj._state.db = db.alias


def copy_values(
    model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert rows given as values of the named fields with a single COPY, each value
    converted by its field as ``bulk_create`` would (no model instance is built: an audit
    event or a row link per imported row costs little). The model's other columns take
    their database default; automatic dates are the caller's to give."""
    db = connections[DEFAULT_DB_ALIAS]
    fields = [model._meta.get_field(name) for name in names]
    quote = db.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"  # names from the model
    prepare = [f.get_db_prep_save for f in fields]
    with db.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([prep(value, db) for prep, value in zip(prepare, row, strict=True)])
