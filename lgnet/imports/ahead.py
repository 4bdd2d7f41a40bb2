"""Rows read, parsed and checked ahead of their writes, by a process of their own.

An import is a chain: read a row, parse its cells, check it by the registry's rules (all
Python, no database), then look it up and write it (the database). For a large file the
first steps run in a forked process while the run's own process looks up and writes the
batch before: on a machine with two cores the checks of the next batch no longer wait for
the writes of this one. The forked process never touches the database (it inherits the
run's connection and leaves it alone) and writes nothing; it ends with the file, or as
soon as the run stops listening (an error, a killed run). Rows come back in file order,
exactly as the run's own process would have made them (``_batches`` serves both ways).

A kind opts in with a ``prepare(values)`` method: what it can work out from the parsed
values alone, given back to ``write_batch`` beside them (persons: the checked person).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from typing import Any, NamedTuple

from lgnet.core.exceptions import RuleBroken

# Files larger than this are read ahead by a second process (smaller ones: a fork costs
# more than it saves; the pages send such files to the task worker, see imports.tasks).
AHEAD_FROM_BYTES = 256 * 1024
# Batches read ahead at most, waiting for the run (memory stays flat).
AHEAD_BATCHES = 2


class Row(NamedTuple):
    """A row as the run writes it: its parse errors (a ``None`` error: the file misses a
    required column), and for a row without errors its key and what the kind prepared."""

    number: int
    values: dict
    errors: list
    key: str | None = None
    prepared: Any = None


class _Orphaned(Exception):
    """The run that forked the reading process has ended."""


class ReadingFailed(Exception):
    """The process reading ahead ended without finishing the file (its kind only: the
    message of an error might quote a cell)."""


def batches(
    kind, body: Iterator, mapping: dict, *, missing: bool, size: int, ahead: bool
) -> Iterator[list[Row]]:
    """The file's rows in batches of ``size`` (the last may be short or empty), read by a
    second process when ``ahead`` and the kind prepares rows."""
    if ahead and hasattr(kind, "prepare") and "fork" in multiprocessing.get_all_start_methods():
        yield from _forked(kind, body, mapping, missing, size)
    else:
        yield from _batches(kind, body, mapping, missing, size)


def _batches(kind, body: Iterator, mapping: dict, missing: bool, size: int) -> Iterator[list[Row]]:
    prepare = getattr(kind, "prepare", None)
    batch: list[Row] = []
    for number, cells in body:
        values, errors = kind.parse_row(number, cells, mapping)
        if errors or missing:
            batch.append(Row(number, values, errors + ([None] if missing else [])))
        else:
            if prepare:
                ready = prepare(values)
                key, values = kind.key(values), kind.carried(values)
            else:
                ready, key = None, kind.key(values)
            batch.append(Row(number, values, errors, key, ready))
        if len(batch) >= size:
            yield batch
            batch = []
    yield batch


def _forked(kind, body: Iterator, mapping: dict, missing: bool, size: int) -> Iterator[list[Row]]:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    # The queue's depth is the pipe's: the reader blocks once AHEAD_BATCHES wait unread.
    ready = context.Semaphore(AHEAD_BATCHES)
    reader = context.Process(
        target=_read,
        args=(receiver, sender, ready, os.getpid(), kind, body, mapping, missing, size),
        name="lgnet-import-reader",
        daemon=True,
    )
    reader.start()
    sender.close()  # the reader's end only: an ended reader shows as EOF here
    try:
        while True:
            try:
                what, payload = receiver.recv()
            except EOFError:
                raise ReadingFailed("ended") from None
            ready.release()
            if what == "rows":
                yield payload
            elif what == "done":
                return
            elif what == "refused":  # the file itself cannot be read
                message, field = payload
                raise RuleBroken(message, field=field)
            else:
                raise ReadingFailed(payload)
    finally:
        receiver.close()
        if reader.is_alive():
            reader.kill()
        reader.join()


def _read(receiver, sender, ready, run: int, kind, body, mapping, missing, size) -> None:
    """The reading process: batches to the run, then "done" (or what stopped it). It ends
    as soon as the run does, killed included: it holds no end of the pipe but its own, and
    it never waits long without looking whether its run is still there."""
    receiver.close()

    def turn() -> None:
        while not ready.acquire(timeout=0.5):
            if os.getppid() != run:
                raise _Orphaned

    try:
        for batch in _batches(kind, body, mapping, missing, size):
            turn()
            sender.send(("rows", batch))
        turn()
        sender.send(("done", None))
    except RuleBroken as error:
        sender.send(("refused", (str(error.message), error.field)))
    except (BrokenPipeError, _Orphaned):
        pass  # the run stopped listening, or ended
    except Exception as error:  # reported by kind: its text might quote a cell
        sender.send(("failed", type(error).__name__))
    finally:
        sender.close()
