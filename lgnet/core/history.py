"""Row history by database triggers: inserts, updates and deletes, with the acting user."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pghistory
import pgtrigger
from django.db import connection
from pghistory import config as pghistory_config
from psycopg.pq import TransactionStatus


def tracked(**kwargs):
    """Class decorator for every model whose changes must be kept."""
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **kwargs
    )


@contextmanager
def recorded_history(**metadata: Any) -> Iterator[None]:
    """Inside a transaction: the row history of what follows names ``metadata`` (the import,
    the command, who ran it), COPY included, and its triggers take their fast path.

    The history triggers read two settings, ``pghistory.context_id`` and
    ``pgtrigger.ignore``, inside an exception block; when a setting is missing, each row
    raises and rolls back a subtransaction, and PostgreSQL then rescans every deferred
    foreign-key check queued so far in the transaction. In a long transaction that makes
    each insert slower than the last (a 20,000-row COPY took 37 s instead of 8). Setting
    both for the transaction keeps every row's history and makes the cost flat again.
    """
    with pghistory.context(**metadata) as context:
        serialized = json.dumps(context.metadata, cls=pghistory_config.json_encoder())
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pghistory.context_id', %s, true), "
                "set_config('pghistory.context_metadata', %s, true)",
                [str(context.id), serialized],
            )
        _ignore_none()
        yield


@contextmanager
def ignoring(*triggers: str) -> Iterator[None]:
    """``pgtrigger.ignore`` that leaves the fast path set when it ends (pgtrigger clears
    the setting for the rest of the session, and every later row would pay for it)."""
    try:
        with pgtrigger.ignore(*triggers):
            yield
    finally:
        _ignore_none()


def _ignore_none() -> None:
    raw = connection.connection
    if raw is not None and raw.info.transaction_status == TransactionStatus.INERROR:
        return  # a failed transaction runs nothing more; its rollback resets the setting
    with connection.cursor() as cursor:
        # An empty list ignores no trigger; a list set by pgtrigger.ignore() stays.
        cursor.execute(
            "SELECT CASE WHEN coalesce(current_setting('pgtrigger.ignore', true), '') = '' "
            "THEN set_config('pgtrigger.ignore', '{}', false) END"
        )
