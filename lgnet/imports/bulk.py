"""Writing many rows at once inside an import's transaction: COPY with the values Django's
INSERT would send, ids reserved beforehand, the row history made ready by
``core.history.recorded_history``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime
from functools import partial
from operator import attrgetter
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

# COPY's text format, written here for the values an import sends (a psycopg dumper per value
# costs several calls, an array dozens): by field, the values its conversion would only
# confirm. Any other value goes through the field's get_db_prep_save first (and, when that
# gives something else than these kinds, the row through psycopg).
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_INTEGERS = ("AutoField", "BigAutoField", "BigIntegerField", "ForeignKey", "IntegerField")
_INTEGERS += ("PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField")
_TEXTS = ("CharField", "TextField")


def _text(value: str) -> str:
    if type(value) is not str:
        value = str.__str__(value)  # a choice's member as its text, as psycopg sends it
    # Four searches in C: quicker than any one pass over the characters in Python.
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def _element(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _texts(value: list) -> str | None:
    try:
        whole = "".join(value)  # refused (TypeError) unless every element is text
    except TypeError:
        return None
    if not value:
        return "{}"
    if '"' in whole or "\\" in whole:  # elements to escape one by one
        return _text("{" + ",".join(map(_element, value)) + "}")
    return _text('{"' + '","'.join(value) + '"}')


def _aware(value: datetime) -> str | None:
    return value.isoformat() if value.tzinfo is not None else None


def copy_text(value: Any) -> str | None:
    """A converted value as a field of COPY's text format, or None when it is of another
    kind than text, whole number, boolean, date, aware datetime, list of text or NULL."""
    kind = type(value)
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return _text(value)
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if kind is date:
        return value.isoformat()
    if kind is datetime:
        return _aware(value)
    if kind is list:
        return _texts(value)
    return None


def _converter(field: models.Field, db) -> Callable[[Any], str | None]:
    """The field's value as COPY text, converted by the field itself unless it is one of
    the values its conversion would only confirm; None: a value for psycopg to dump."""
    kind = field.get_internal_type()
    fast: dict[type, Callable[[Any], str | None]] = {type(None): lambda value: "\\N"}
    if kind in _TEXTS:
        fast[str] = _text
    elif kind in _INTEGERS:
        fast[int] = str
    elif kind == "BooleanField":
        fast[bool] = lambda value: "t" if value else "f"
    elif kind == "DateField":
        fast[date] = date.isoformat
    elif kind == "DateTimeField":
        fast[datetime] = _aware
    elif kind == "ArrayField" and field.base_field.get_internal_type() in _TEXTS:
        fast[list] = _texts
    elif kind == "JSONField":
        encoder = field.encoder
        fast[dict] = lambda value: _text(json.dumps(value, cls=encoder))
    prep = field.get_db_prep_save

    def convert(value: Any) -> str | None:
        write = fast.get(type(value))
        text = write(value) if write else None
        return text if text is not None else copy_text(prep(value, db))

    return convert


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


class Copy(NamedTuple):
    """A COPY ready to send: the statement, its rows as text, and the rows whose values
    only psycopg can write (already converted by their fields)."""

    sql: str
    text: str
    dumped: list[list[Any]]

    def send(self, cursor) -> None:
        with cursor.copy(self.sql) as copy:
            if self.text:
                copy.write(self.text)
            for row in self.dumped:
                copy.write_row(row)


def copy_insert(objects: Sequence[models.Model]) -> None:
    """Insert model instances of one model with a single COPY (see ``prepare_insert``)."""
    if objects:
        with connection.cursor() as cursor:
            prepare_insert(objects).send(cursor)


def copy_values(
    model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert rows given as values of the named fields with a single COPY (see
    ``prepare_values``)."""
    with connection.cursor() as cursor:
        prepare_values(model, names, rows).send(cursor)


def prepare_insert(objects: Sequence[models.Model]) -> Copy:
    """The COPY inserting model instances of one model.

    Each value is what ``bulk_create`` would send (``pre_save`` fills the automatic dates,
    ``get_db_prep_save`` converts, where ``copy_text`` cannot write the value itself); the
    database runs its triggers (row history) and checks its constraints as for any INSERT.
    The primary key is sent when the objects have one (see ``reserve_ids``), else the
    database gives it. The objects count as saved from here on.
    """
    meta = objects[0]._meta
    with_pk = objects[0].pk is not None
    fields = [f for f in meta.concrete_fields if with_pk or not f.primary_key]
    # The value of each field: its attribute, or pre_save where the field computes it.
    reads = [attrgetter(f.attname) if _plain(f) else partial(_pre_save, f.pre_save) for f in fields]
    prepared = _prepare(meta, fields, ([read(obj) for read in reads] for obj in objects))
    db = connections[DEFAULT_DB_ALIAS]
    for obj in objects:
        obj._state.adding = False
        obj._state.db = db.alias
    return prepared


def prepare_values(
    model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Copy:
    """The COPY inserting rows given as values of the named fields, each value converted as
    ``bulk_create`` would (no model instance is built: an audit event or a row link per
    imported row costs little). The model's other columns take their database default;
    automatic dates are the caller's to give."""
    meta = model._meta
    return _prepare(meta, [meta.get_field(name) for name in names], rows)


def _pre_save(pre_save: Callable, obj: models.Model) -> Any:
    return pre_save(obj, True)


def _plain(field: models.Field) -> bool:
    """Whether ``pre_save`` would only read the attribute."""
    if isinstance(field, models.DateField):  # DateTimeField too
        return not (field.auto_now or field.auto_now_add)
    return type(field).pre_save is models.Field.pre_save


def _prepare(meta, fields: Sequence[models.Field], rows: Iterable[Sequence[Any]]) -> Copy:
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the per-call proxy
    quote = db.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"  # names from the model only
    convert = [_converter(f, db) for f in fields]
    prepare = [f.get_db_prep_save for f in fields]
    lines: list[str] = []
    dumped: list[list[Any]] = []
    for row in rows:
        texts = [to_text(value) for to_text, value in zip(convert, row, strict=True)]
        if None in texts:  # a value of another kind: the row through psycopg's dumpers
            dumped.append([prep(v, db) for prep, v in zip(prepare, row, strict=True)])
        else:
            lines.append("\t".join(texts) + "\n")
    return Copy(sql, "".join(lines), dumped)


class RowText:
    """A model's rows as COPY text, but for a few leading columns: the text is made where
    the values are known (a process reading ahead), the leading values where they are
    given (the ids, the run's city and user, its dates), and ``copy`` joins the two.

    Only fields whose ``pre_save`` reads the attribute may be left to the text.
    """

    def __init__(self, model: type[models.Model], leading: Sequence[str]) -> None:
        meta = model._meta
        db = connections[DEFAULT_DB_ALIAS]
        self.leading = [meta.get_field(name) for name in leading]
        self.rest = [f for f in meta.concrete_fields if f not in self.leading]
        computed = [f.name for f in self.rest if not _plain(f)]
        if computed:
            raise ValueError(f"fields computed at save cannot be written ahead: {computed}")
        self._convert = [(attrgetter(f.attname), _converter(f, db)) for f in self.rest]
        quote = db.ops.quote_name
        columns = ", ".join(quote(f.column) for f in (*self.leading, *self.rest))
        self.sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"  # the model's names

    def text(self, obj: models.Model) -> str | None:
        """The object's values but the leading ones, or None when one of them is of a kind
        only psycopg writes (``prepare_insert`` writes such an object whole)."""
        texts = [convert(read(obj)) for read, convert in self._convert]
        return None if None in texts else "\t".join(texts)

    def copy(self, rows: Iterable[tuple[Sequence[Any], str]]) -> Copy:
        """The COPY of rows given as (leading values, the rest's text); the leading values
        are text, whole numbers, aware datetimes or None."""
        lines = [
            "\t".join([*(copy_text(value) for value in leading), text]) + "\n"
            for leading, text in rows
        ]
        return Copy(self.sql, "".join(lines), [])


class Writer:
    """Sends COPYs from a thread of its own, in the order given, on the caller's database
    connection and so in its transaction, while the caller goes on (with Python work:
    the database serves one statement at a time on a connection).

    Only for a caller that uses the connection for nothing else until ``wait`` returns.
    ``wait`` raises what a COPY raised; ``close`` waits and ends the thread, and must be
    called before the transaction ends (committed or rolled back), however it ends.
    """

    def __init__(self) -> None:
        connection.ensure_connection()
        self._connection = connection.connection  # psycopg's, usable from another thread
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lgnet-copy")
        self._sent: list[Future] = []

    def send(self, *copies: Copy) -> None:
        for copy in copies:
            self._sent.append(self._thread.submit(self._send, copy))

    def _send(self, copy: Copy) -> None:
        with self._connection.cursor() as cursor:
            copy.send(cursor)

    def wait(self) -> None:
        sent, self._sent = self._sent, []
        errors = [future.exception() for future in sent]  # each one finished
        for error in errors:
            if error is not None:
                raise error  # the first; the transaction is unusable from there on

    def close(self) -> None:
        """Wait for what was sent (its errors, if any, were or will be raised by ``wait``
        or by the transaction's end) and end the thread."""
        self._thread.shutdown(wait=True)
        self._sent = []
