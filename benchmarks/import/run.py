"""Import benchmark: person rows read, validated and written, against PostgreSQL COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lgnet_bench_import \\
        .venv/bin/python benchmarks/import/run.py [--rows 100000] [--keep]

Runs against a dedicated database (created if missing, migrated; dropped at the end unless
--keep). It writes a CSV of synthetic persons in the shape a city keeps (Italian headers,
dates as 31/03/1990 or a year only, nationalities and languages as lists), then:

1. imports it with the importer (`lgnet.imports.services.run`, apply): every row parsed,
   checked by the registry's own validation, matched against the registry (with
   --registry N, N persons are loaded into the city first) and against the earlier rows of
   the file, written in batches in one transaction, each row linked to its import;
2. loads the same rows with `COPY people_person (...) FROM STDIN` into a second, empty city
   (same table, same indexes and history triggers, in one transaction with the same history
   context as the importer's), the physical floor;
3. prints rows per second of both and the ratio importer / COPY (DESIGN §7), the CPU
   seconds each spent (the importer's process, the process that reads and checks the rows
   ahead of the writes, and the database backend; COPY's backend),
   whose ratio does not depend on what else the machine runs, and the importer's peak
   memory for a quarter of the file and for the whole (flat = streaming).

Writes benchmarks/import/results.json; docs/benchmarks.md explains the figures.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
BENCH_URL = "postgres://postgres@127.0.0.1:5432/lgnet_bench_import"
FAMILY = [
    "Diallo",
    "Traoré",
    "Haddad",
    "Shevchenko",
    "Rahman",
    "Okafor",
    "Mensah",
    "Ndiaye",
    "El Amrani",
    "Sow",
    "Bah",
    "Kone",
    "Hossain",
    "Petrenko",
    "Osei",
    "Camara",
]
NATIONS = ["NG", "GN", "ML", "SN", "MA", "TN", "BD", "PK", "UA", "GH", "SY", "AF"]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--registry", type=int, default=0, help="persons in the city before the import"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--out", default=str(Path(__file__).with_name("results.json")))
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)  # file city registry
    return parser.parse_args()


def _server_and_name() -> tuple[str, str]:
    url = os.environ.setdefault("DATABASE_URL", BENCH_URL)
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to run on database {name!r}: use a dedicated one, e.g. {BENCH_URL}")
    return parts._replace(path="/postgres").geturl(), name


def _admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # As in production: with DEBUG, Django keeps and formats the text of every query.
    os.environ.setdefault("DEBUG", "false")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


SYLLABLES = [
    "ba",
    "ke",
    "li",
    "mo",
    "nu",
    "ra",
    "se",
    "ti",
    "vo",
    "za",
    "do",
    "fe",
    "gu",
    "ha",
    "ji",
    "pa",
]


def _name(i: int, salt: int) -> str:
    n = (i * 2654435761 + salt) % 65536
    return "".join(SYLLABLES[(n >> s) & 15] for s in (0, 4, 8, 12)).capitalize()


def _write_csv(path: Path, rows: int, seed: int = 1, prefix: str = "B") -> None:
    rnd = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(
            [
                "Codice",
                "Nome",
                "Cognome",
                "Sesso",
                "Data di nascita",
                "Nazionalità",
                "Lingue",
                "Telefono",
            ]
        )
        for i in range(rows):
            year = rnd.randint(1960, 2005)
            born = (
                str(year)
                if i % 5 == 0
                else f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/{year}"
            )
            out.writerow(
                [
                    f"{prefix}{i:07d}",
                    _name(i, seed),
                    f"{rnd.choice(FAMILY)} {_name(i, 99991 * seed)}",
                    rnd.choice("FM"),
                    born,
                    rnd.choice(NATIONS),
                    "fr; en",
                    f"333 {i:07d}",
                ]
            )


def _istat(slug: str) -> str:
    return f"9{zlib.crc32(slug.encode()) % 100000:05d}"


def _city(slug: str):
    from lgnet.accounts.models import Membership, User
    from lgnet.accounts.roles import Role
    from lgnet.network.models import City

    city, _ = City.objects.get_or_create(
        slug=slug,
        defaults={"name": slug.title(), "istat_code": _istat(slug), "region": "X"},
    )
    user, _ = User.objects.get_or_create(username=f"{slug}.coordinatore")
    Membership.objects.get_or_create(user=user, city=city, role=Role.CITY_COORDINATOR)
    return city, user


def _backend_cpu(connection) -> Callable[[], float]:
    """CPU seconds used so far by the database backend serving ``connection`` (Linux: the
    server runs on this machine), or nothing when it cannot be read."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    stat = Path(f"/proc/{pid}/stat")

    def read() -> float:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    return read


def _child(path: str, slug: str, registry: int) -> None:
    """One import in a process of its own, so its peak memory is its own."""
    _setup()
    from django.core.files import File
    from django.db import connection
    from django_scopes import scope

    from lgnet.imports import services

    city, user = _city(slug)
    if registry:  # the city's registry before the import: other people, loaded by COPY
        before = Path(path).with_name(f"registry-{registry}.csv")
        _write_csv(before, registry, seed=2, prefix="R")
        _copy(before, slug)
    backend = _backend_cpu(connection)
    started, cpu, db_cpu = time.perf_counter(), time.process_time(), backend()
    with scope(city=city), open(path, "rb") as handle:
        data_import = services.create_import(
            actor=user,
            city=city,
            kind="persons",
            upload=File(handle, name=Path(path).name),
            # Synthetic names can still look alike: the matching runs and is timed, its
            # likely duplicates are created rather than left to an operator.
            create_duplicates=True,
        )
        data_import = services.run(data_import, actor=user, apply=True)
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The process that read and checked the rows ahead (lgnet.imports.ahead), once ended.
    reader = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "status": data_import.status,
                "rows": data_import.rows,
                "counts": data_import.counts,
                "duplicates_found": len(data_import.duplicates),
                "seconds": elapsed,
                "cpu_seconds": time.process_time() - cpu,
                "reader_cpu_seconds": reader.ru_utime + reader.ru_stime,
                "reader_peak_mb": reader.ru_maxrss / 1024,
                "db_cpu_seconds": backend() - db_cpu,
                "peak_mb": peak_kb / 1024,
            }
        )
    )


def _import(path: Path, slug: str, registry: int = 0) -> dict:
    result = subprocess.run(  # noqa: S603 - this script, with our own arguments
        [sys.executable, __file__, "--child", str(path), slug, str(registry)],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _copy(path: Path, slug: str) -> tuple[float, float]:
    """The same rows, parsed by the database itself: COPY into people_person, in one
    transaction with a history context as the importer's (seconds, backend CPU seconds)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from lgnet.core.history import recorded_history
    from lgnet.people import linkage
    from lgnet.people.matching import keys_for, normalised_name

    city, _user = _city(slug)
    now = timezone.now().isoformat()
    buffer = io.StringIO()
    out = csv.writer(buffer)
    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)
        for ext, given, family, sex, born, nation, languages, phone in reader:
            if "/" in born:
                d, m, y = born.split("/")
                birth, precision = f"{y}-{m}-{d}", "day"
            else:
                birth, precision, y = f"{born}-01-01", "year", born
            langs = "{" + ",".join(p.strip() for p in languages.split(";")) + "}"
            # What the importer derives too, so both write the same columns.
            out.writerow(
                [
                    city.pk,
                    now,
                    now,
                    ext,
                    given,
                    family,
                    sex,
                    birth,
                    precision,
                    "{" + nation + "}",
                    langs,
                    phone,
                    normalised_name(given, family),
                    "{" + ",".join(keys_for(given, family, birth_year=int(y))) + "}",
                    y,
                    linkage.cf_key(""),
                    linkage.bloom(given, family, int(y)),
                    "",
                    "{}",
                    "",
                    "unknown",
                    "",
                    "",
                    "{}",
                    "",
                    "",
                    "f",
                ]
            )
    data = buffer.getvalue()
    columns = (
        "city_id, created_at, updated_at, external_id, given_names, family_names, sex, "
        "birth_date, birth_date_precision, nationalities, languages, phone, name_search, "
        "match_keys, birth_year, linkage_cf, linkage_bloom, original_script_name, aliases, "
        "codice_fiscale, legal_status, permit_number, dwelling, vulnerabilities, "
        "privacy_notice_language, privacy_notice_channel, is_restricted"
    )
    backend = _backend_cpu(connection)
    db_cpu = backend()
    started = time.perf_counter()
    # The history triggers run as for the importer, with a context set (the docstring of
    # lgnet.core.history.recorded_history says why that matters so much).
    with (
        transaction.atomic(),
        recorded_history(benchmark="copy"),
        connection.cursor() as cursor,
        cursor.copy(
            f"COPY people_person ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"  # noqa: S608
        ) as copy,
    ):
        copy.write(data)
    return time.perf_counter() - started, backend() - db_cpu


def main() -> None:
    args = _arguments()
    if args.child:
        _child(args.child[0], args.child[1], int(args.child[2]))
        return
    server, name = _server_and_name()
    _admin(server, f'CREATE DATABASE "{name}"') if not _exists(server, name) else None
    _setup()
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    call_command("migrate", verbosity=0)
    work = Path(tempfile.mkdtemp(prefix="lgnet-bench-import-"))
    results: dict = {"rows": args.rows}
    try:
        with scopes_disabled():
            quarter = work / "quarter.csv"
            whole = work / "whole.csv"
            _write_csv(quarter, args.rows // 4)
            _write_csv(whole, args.rows)
            run = f"{os.getpid()}"  # new cities each run: nothing of an earlier run is reused
            _city(f"benchq{run}")
            _city(f"bench{run}")
            small = _import(quarter, f"benchq{run}", args.registry)
            print("quarter:", small, flush=True)
            big = _import(whole, f"bench{run}", args.registry)
            print("whole:", big, flush=True)
            copy_seconds, copy_cpu = _copy(whole, f"benchcopy{run}")
        importer_cpu = big["cpu_seconds"] + big["reader_cpu_seconds"] + big["db_cpu_seconds"]
        results.update(
            registry=args.registry,
            importer_seconds=round(big["seconds"], 2),
            importer_rows_per_s=round(args.rows / big["seconds"]),
            copy_seconds=round(copy_seconds, 2),
            copy_rows_per_s=round(args.rows / copy_seconds),
            ratio_to_copy=round(copy_seconds / big["seconds"], 3),
            importer_cpu_seconds=round(big["cpu_seconds"], 2),
            reader_cpu_seconds=round(big["reader_cpu_seconds"], 2),
            importer_db_cpu_seconds=round(big["db_cpu_seconds"], 2),
            copy_db_cpu_seconds=round(copy_cpu, 2),
            cpu_ratio_to_copy=round(copy_cpu / importer_cpu, 3),
            status=big["status"],
            counts=big["counts"],
            duplicates_found=big["duplicates_found"],
            peak_mb_quarter=round(small["peak_mb"], 1),
            peak_mb_whole=round(big["peak_mb"], 1),
            reader_peak_mb_quarter=round(small["reader_peak_mb"], 1),
            reader_peak_mb_whole=round(big["reader_peak_mb"], 1),
            load_average=[round(x, 1) for x in os.getloadavg()],
        )
        print(json.dumps(results, indent=2))
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    finally:
        from django.db import connections

        shutil.rmtree(work, ignore_errors=True)
        connections.close_all()
        if not args.keep:
            _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"dropped database {name}")


def _exists(server: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


if __name__ == "__main__":
    main()
