"""A killed import leaves nothing written (DESIGN §7, decision 0015).

`lgnet import persons <file> --city taranto` runs in a process of its own against the test
database; once its transaction has written persons, the process is ended with SIGKILL.
PostgreSQL then drops the transaction: no person, no audit event, no row link is left.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from lgnet.core.models import AuditEvent
from lgnet.imports import services
from lgnet.imports.models import Import, ImportedRecord, ImportStatus
from lgnet.people.models import Person

APP_NAME = "lgnet-import-killed-by-test"  # finds the command's connection in pg_stat_activity
ROWS = 20_000  # killed after its first batch: the size only keeps it far from the end
WAIT_SECONDS = 600  # the command starts Django and checks 500 rows before its first write
SYLLABLES = ["ba", "ke", "lo", "mi", "nu", "ra", "so", "ti", "du", "fe", "go", "ha", "ji", "ku"]
SYLLABLES += ["le", "mo"]


def _name(n: int) -> str:
    return "".join(SYLLABLES[(n >> s) & 15] for s in (12, 8, 4, 0)).capitalize()


def write_person_file(path: Path, rows: int) -> None:
    """Rows that are all valid and no two alike (distinct names and birth days), so that
    the command, left alone, would write every one of them."""
    lines = ["Codice;Nome;Cognome;Sesso;Data di nascita;Nazionalità;Lingue"]
    for i in range(rows):
        born = date(1950, 1, 1) + timedelta(days=i)
        family = _name((i * 40503 + 12345) % 65536)
        lines.append(f"K{i:05d};{_name(i)};{family};{'MF'[i % 2]};{born:%d/%m/%Y};NG;en")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def command_env() -> dict[str, str]:
    """The command's environment: the test settings and this very test database."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    if host.startswith("/"):  # the embedded server's socket directory (make test)
        host = quote(host, safe="")
    if db.get("PORT"):
        host += f":{db['PORT']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"postgres://{auth}@{host}/{quote(db['NAME'], safe='')}",
        "PGAPPNAME": APP_NAME,  # libpq names the connection after it
    }


def lgnet_command() -> str:
    found = Path(sys.executable).with_name("lgnet")
    assert found.exists(), f"the lgnet console command is not installed beside {sys.executable}"
    return str(found)


def command_backend() -> tuple[int | None, bool]:
    """The command's database session, and whether its transaction has written persons."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.pid, EXISTS (
                SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                WHERE l.pid = a.pid AND l.granted AND c.relname = 'people_person'
                  AND l.mode = 'RowExclusiveLock')
            FROM pg_stat_activity a
            WHERE a.application_name = %s AND a.datname = current_database()
            """,
            [APP_NAME],
        )
        found = cursor.fetchone()
    return (found[0], found[1]) if found else (None, False)


def output_of(tmp_path: Path) -> str:
    return "\n".join(
        f"{name}: {(tmp_path / name).read_text(errors='replace')[-2000:]}"
        for name in ("stdout", "stderr")
    )


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_while_applying_leaves_nothing_written(world, tmp_path):
    city = world.a.city
    with scopes_disabled():
        registry = Person.objects.filter(city=city).count()
        events = AuditEvent.objects.filter(city=city).count()
    assert registry > 0
    big = tmp_path / "persone-grandi.csv"
    write_person_file(big, ROWS)

    with (tmp_path / "stdout").open("wb") as out, (tmp_path / "stderr").open("wb") as err:
        process = subprocess.Popen(  # noqa: S603 - our own console command, fixed arguments
            [lgnet_command(), "import", "persons", str(big), "--city", city.slug],
            env=command_env(),
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
        )
    try:
        # Applying: the import is recorded and its transaction holds written persons.
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"the command ended before it could be killed\n{output_of(tmp_path)}")
            pid, writing = command_backend()
            if writing:
                break
            assert time.monotonic() < deadline, f"never saw it write\n{output_of(tmp_path)}"
            time.sleep(0.05)
        with scopes_disabled():
            data_import = Import.objects.get(city=city, filename=big.name)
        assert data_import.is_running
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL

    # PostgreSQL ends the session of a dead client and drops its transaction; wait for it,
    # so that nothing could still be committed after the checks below.
    deadline = time.monotonic() + 60
    while command_backend()[0] is not None:
        assert time.monotonic() < deadline, "the killed command's session is still open"
        time.sleep(0.1)

    with scopes_disabled():
        assert Person.objects.filter(city=city).count() == registry
        assert not Person.objects.filter(external_id__startswith="K").exists()
        assert AuditEvent.objects.filter(city=city).count() == events + 1  # import.uploaded
        uploaded = AuditEvent.objects.filter(action="import.uploaded", target_id=data_import.pk)
        assert uploaded.count() == 1
        assert not ImportedRecord.objects.filter(data_import=data_import).exists()
        data_import.refresh_from_db()
    assert data_import.status != ImportStatus.APPLIED
    assert data_import.applied_at is None and data_import.applied_by is None
    assert data_import.counts == {}
    # Its lock died with it: past the wait for a worker, the import shows as failed.
    assert not services.is_alive(data_import)
    later = timezone.now() + services.START_GRACE + timedelta(seconds=1)
    with scopes_disabled():
        services.settle_interrupted(data_import, now=later)
        data_import.refresh_from_db()
    assert data_import.status == ImportStatus.FAILED and data_import.failure


@pytest.mark.parametrize("left_in", [ImportStatus.CHECKING, ImportStatus.APPLYING])
def test_an_import_whose_process_died_is_shown_as_interrupted(world, login, left_in):
    """What the operator sees of an import whose process was killed an hour ago (a worker
    or a command ended mid-run): not a page that polls for ever, but an import that did
    not complete and wrote nothing."""
    city = world.a.city
    with scope(city=city):
        data_import = services.create_import(
            actor=world.user("coordinator"),
            city=city,
            kind="persons",
            upload=SimpleUploadedFile("lista.csv", b"given_names,family_names,sex,birth_date\n"),
        )
    an_hour_ago = timezone.now() - timedelta(hours=1)
    with scopes_disabled():
        Import.objects.filter(pk=data_import.pk).update(
            status=left_in, created_at=an_hour_ago, updated_at=an_hour_ago
        )
    client = login(world.user("coordinator"))
    page = client.get(reverse("imports:detail", args=[city.slug, data_import.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'hx-trigger="every 2s"' not in html  # the page stops waiting for it
    shown = re.search(r'data-testid="import-status"><strong>(.*?)</strong>', html).group(1)
    running = set()
    for language in ("it", "en"):
        with translation.override(language):
            running |= {str(ImportStatus.CHECKING.label), str(ImportStatus.APPLYING.label)}
    assert shown not in running, shown


def test_a_live_run_is_left_running(world, login):
    """A run holding its lock (here taken by another session, as a worker would) still
    shows as running, however long it takes."""
    from django.db import connections

    city = world.a.city
    with scope(city=city):
        data_import = services.create_import(
            actor=world.user("coordinator"),
            city=city,
            kind="persons",
            upload=SimpleUploadedFile("lista.csv", b"given_names,family_names,sex,birth_date\n"),
        )
    an_hour_ago = timezone.now() - timedelta(hours=1)
    with scopes_disabled():
        Import.objects.filter(pk=data_import.pk).update(
            status=ImportStatus.APPLYING, updated_at=an_hour_ago
        )
    worker = connections.create_connection("default")
    try:
        with worker.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_lock(%s, %s)", [services.RUN_LOCK_CLASS, data_import.pk]
            )
        client = login(world.user("coordinator"))
        page = client.get(reverse("imports:detail", args=[city.slug, data_import.pk]))
        assert 'hx-trigger="every 2s"' in page.content.decode()
        with scopes_disabled():
            assert Import.objects.get(pk=data_import.pk).status == ImportStatus.APPLYING
    finally:
        worker.close()
