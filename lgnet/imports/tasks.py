"""Large files are checked and applied by the task worker (`lgnet db_worker`); the page
polls the import's progress, which the task writes through a connection of its own (the
run's transaction is not visible until it commits)."""

from __future__ import annotations

from django.db import connections
from django.utils.translation import gettext
from django_tasks import task

LARGE_FILE_BYTES = 256 * 1024  # beyond this, the page hands the work to the task worker


def _progress_writer(import_id: int):
    connection = None

    def write(done: int, total: int) -> None:
        nonlocal connection
        try:
            if connection is None:
                connection = connections.create_connection("default")
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '1s'")
                cursor.execute(
                    "UPDATE imports_import SET done = %s WHERE id = %s", [done, import_id]
                )
        except Exception:  # noqa: BLE001 - progress is a courtesy; the run goes on without it
            connection = None

    def close() -> None:
        if connection is not None:
            connection.close()

    write.close = close  # type: ignore[attr-defined]
    return write


class ImportFailed(Exception):
    """An import stopped on an unexpected error; the message names no personal data."""


def failure_reason(error: BaseException) -> str:
    """The kind of an error, and for a database error its SQLSTATE and constraint: never its
    message, which may quote the row's values."""
    diag = getattr(error, "diag", None) or getattr(error.__cause__, "diag", None)
    parts = [type(error).__name__]
    if diag is not None:
        parts += [p for p in (diag.sqlstate, diag.constraint_name) if p]
    return " ".join(parts)


def execute(import_id: int, *, apply: bool, user_id: int | None) -> str:
    from django.contrib.auth import get_user_model
    from django_scopes import scopes_disabled

    from lgnet.core.exceptions import RuleBroken
    from lgnet.imports import services
    from lgnet.imports.models import Import, ImportStatus

    # The worker serves every city: the import row names its own, and the run filters by it.
    with scopes_disabled():
        data_import = Import.objects.select_related("city").get(pk=import_id)
        if data_import.is_cleared:  # its file went (retention or erasure) while it waited
            return data_import.status
        actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
        progress = _progress_writer(import_id)
        try:
            if apply:
                services.apply_import(data_import, actor=actor, progress=progress)
            else:
                services.check_import(data_import, actor=actor, progress=progress)
        except RuleBroken:
            pass  # the import's report says why nothing was written
        except Exception as error:
            # The database's message may quote the row it refused (names, birth dates):
            # neither the import's record nor the worker's log may hold it. What failed, by
            # kind and constraint, with the traceback, is enough to find out why.
            reason = failure_reason(error)
            Import.objects.filter(pk=import_id).update(
                status=ImportStatus.FAILED,
                failure=gettext(
                    "The import stopped on an unexpected error (%(reason)s). Nothing was written."
                )
                % {"reason": reason},
            )
            raise ImportFailed(f"import {import_id}: {reason}").with_traceback(
                error.__traceback__
            ) from None
        finally:
            progress.close()
        return data_import.status


@task()
def run_import_task(import_id: int, apply: bool, user_id: int | None) -> str:
    return execute(import_id, apply=apply, user_id=user_id)
