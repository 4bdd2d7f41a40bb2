"""Backups restore: every table row for row, files byte for byte; wrong keys refused."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lgnet.core import backup

KEY = "a-test-backup-key-of-some-length"
ROOT = Path(__file__).resolve().parent.parent


def _admin(target: backup.Target):
    return target.with_name("postgres").connect(autocommit=True)


@pytest.fixture
def catalogue(transactional_db):
    """A transactional test starts from flushed tables: the network's catalogue (a data
    migration) comes back first, before the shared world needs it."""
    from lgnet.cases.catalogue import ensure_network_catalogue

    ensure_network_catalogue()


@pytest.fixture
def world(catalogue, world):
    """The shared world, committed: pg_dump reads it from its own connection."""
    return world


@pytest.fixture
def new_database():
    """A fresh, empty database on the test server, dropped afterwards."""
    target = backup.Target.from_settings(connection.settings_dict)
    restored = target.with_name(f"{target.name}_restore")
    with _admin(target) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{restored.name}"')
        conn.execute(f'CREATE DATABASE "{restored.name}"')
    yield restored
    with _admin(target) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{restored.name}" WITH (FORCE)')


def table_rows(target: backup.Target) -> dict[str, tuple[int, str]]:
    """Each table's row count and an md5 of its rows in primary-key order (independent of the
    backup module's own fingerprints)."""
    result = {}
    with target.connect(autocommit=True) as conn:
        conn.execute("SET TimeZone = 'UTC'")
        for table in backup.user_tables(conn):
            keys = conn.execute(
                """
                SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n)
                FROM pg_index i
                CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE i.indrelid = %s::regclass AND i.indisprimary
                """,
                [table],
            ).fetchone()[0]
            order = keys or "t::text"
            result[table] = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY {order}), ''))"  # noqa: S608
                f" FROM {table} t"
            ).fetchone()
        sequences = conn.execute(
            "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences"
        ).fetchall()
        result["sequences"] = sorted(sequences)
    return result


def _folders(root: Path) -> dict[str, Path]:
    return {"media": root / "media", "attachments": root / "attachments"}


def _backup_bytes(root: Path, key: str = KEY) -> bytes:
    out = io.BytesIO()
    target = backup.Target.from_settings(connection.settings_dict)
    backup.backup(target=target, folders=_folders(root), out=out, key=key)
    return out.getvalue()


def test_backup_restores_into_a_new_database_row_for_row(world, tmp_path, new_database):
    source_files = tmp_path / "live"
    (source_files / "attachments" / "2024").mkdir(parents=True)
    (source_files / "media").mkdir(parents=True)
    big = os.urandom(3 * 1024 * 1024 + 17)  # spans several encrypted chunks
    (source_files / "attachments" / "2024" / "scan.pdf").write_bytes(big)
    (source_files / "media" / "notice.txt").write_text("informativa", encoding="utf-8")

    data = _backup_bytes(source_files)
    assert b"Dialo" not in data  # the file is encrypted, names never appear in clear

    restored_files = tmp_path / "restored"
    manifest = backup.restore(
        target=new_database,
        folders=_folders(restored_files),
        source=io.BytesIO(data),
        key=KEY,
    )

    source = backup.Target.from_settings(connection.settings_dict)
    before, after = table_rows(source), table_rows(new_database)
    assert set(before) == set(after)
    assert before == after
    assert before["public.people_person"][0] == 4
    assert manifest["files"] == {"attachments": 1, "media": 1}
    assert (restored_files / "attachments" / "2024" / "scan.pdf").read_bytes() == big
    assert (restored_files / "media" / "notice.txt").read_text(encoding="utf-8") == "informativa"


def test_restore_refuses_a_database_that_is_not_empty(world, tmp_path):
    data = _backup_bytes(tmp_path)
    target = backup.Target.from_settings(connection.settings_dict)
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore(
            target=target, folders=_folders(tmp_path / "m"), source=io.BytesIO(data), key=KEY
        )


def test_restore_refuses_a_media_folder_with_files(world, tmp_path, new_database):
    data = _backup_bytes(tmp_path)
    (tmp_path / "m" / "attachments").mkdir(parents=True)
    (tmp_path / "m" / "attachments" / "old.txt").write_text("x", encoding="utf-8")
    with pytest.raises(backup.BackupError, match="already holds files"):
        backup.restore(
            target=new_database, folders=_folders(tmp_path / "m"), source=io.BytesIO(data), key=KEY
        )


def test_wrong_key_is_refused_before_anything_is_written(world, tmp_path, new_database):
    data = _backup_bytes(tmp_path)
    with pytest.raises(backup.BackupError, match="does not open this backup"):
        backup.restore(
            target=new_database,
            folders=_folders(tmp_path / "m"),
            source=io.BytesIO(data),
            key="another-key-entirely-123",
        )
    with new_database.connect(autocommit=True) as conn:
        assert backup.relation_count(conn) == 0


def test_altered_or_truncated_files_are_refused(world, tmp_path):
    data = _backup_bytes(tmp_path)
    altered = bytearray(data)
    altered[len(data) // 2] ^= 0x01
    with pytest.raises(backup.BackupError, match="altered|damaged"):
        backup.restore(
            target=None,
            folders=_folders(tmp_path),
            source=io.BytesIO(altered),
            key=KEY,
            verify_only=True,
        )
    with pytest.raises(backup.BackupError, match="truncated|incomplete"):
        backup.restore(
            target=None,
            folders=_folders(tmp_path),
            source=io.BytesIO(data[: len(data) - 100]),
            key=KEY,
            verify_only=True,
        )


def test_a_file_path_outside_the_folder_is_refused(tmp_path):
    out = io.BytesIO()
    writer = backup.EncryptingWriter(out, KEY)
    entries = backup.EntryWriter(writer)
    manifest = b'{"format": 1, "tables": {}, "files": {"media": 1}, "created_at": "x"}'
    entries.add("manifest.json", iter([manifest]))
    entries.add("database.pgdump", iter([b"x"]))
    entries.add("files/media/../../etc/evil", iter([b"x"]))
    entries.finish()
    writer.close()
    with pytest.raises(backup.BackupError, match="outside the file folders"):
        backup.restore(
            target=None,
            folders=_folders(tmp_path),
            source=io.BytesIO(out.getvalue()),
            key=KEY,
            verify_only=True,
        )


def test_the_command_needs_a_key(monkeypatch, tmp_path):
    monkeypatch.delenv("LGNET_BACKUP_KEY", raising=False)
    monkeypatch.delenv("LGNET_BACKUP_KEY_FILE", raising=False)
    with pytest.raises(CommandError, match="LGNET_BACKUP_KEY is not set"):
        call_command("backup", str(tmp_path / "x.lgnetbk"))


def test_command_with_a_wrong_key_exits_non_zero(world, tmp_path, monkeypatch):
    monkeypatch.setenv("LGNET_BACKUP_KEY", KEY)
    file = tmp_path / "city.lgnetbk"
    call_command("backup", str(file), stdout=io.StringIO())
    assert file.stat().st_mode & 0o777 == 0o600
    env = {**os.environ, "LGNET_BACKUP_KEY": "not-the-key-that-made-it"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "restore", "--verify", str(file)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode != 0
    assert "LGNET_BACKUP_KEY does not open this backup" in done.stderr
    env["LGNET_BACKUP_KEY"] = KEY
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "restore", "--verify", str(file)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "verified" in done.stdout


def test_the_client_programs_are_never_older_than_the_server():
    path, major = backup.client_program("pg_dump", 15)
    assert major >= 15
    with pytest.raises(backup.BackupError, match="No pg_dump of version 99"):
        backup.client_program("pg_dump", 99)
