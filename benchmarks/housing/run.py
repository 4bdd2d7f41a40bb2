"""Housing benchmark: simultaneous placements into one bed, straight against PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lgnet_bench_housing \\
        .venv/bin/python benchmarks/housing/run.py [--clients 8] [--rounds 200]

Creates (or empties) a scratch database whose name must contain "bench", with a table shaped
like `housing_placement`'s guarantee: the same two exclusion constraints (bed, person) over
`daterange(start, end, '[)')`. Each round, --clients connections wait at a barrier and then
insert a placement of a different person into the same bed for the same dates. It counts the
winners, the exclusion violations and the deadlocks PostgreSQL reports, then checks with one
query that no bed and no person holds two overlapping rows (the double bookings: must be 0).

Why: decision 0008 relies on the constraints, and this shows how often PostgreSQL aborts a
loser with `deadlock detected` instead of an exclusion violation; `housing.services` retries
those writes so that the API answers 409 (test_concurrency.py proves the retry end to end).
Writes benchmarks/housing/results.json. Tests never assert a time; this script only reports.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

BENCH_URL = "postgres://postgres@127.0.0.1:5432/lgnet_bench_housing"
TABLE = """
CREATE TABLE placement (
    id bigserial PRIMARY KEY, person bigint NOT NULL, bed bigint NOT NULL,
    start_date date NOT NULL, end_date date,
    EXCLUDE USING gist (bed WITH =, daterange(start_date, end_date, '[)') WITH &&),
    EXCLUDE USING gist (person WITH =, daterange(start_date, end_date, '[)') WITH &&)
)
"""
DOUBLE_BOOKINGS = """
SELECT count(*) FROM placement a JOIN placement b ON a.id < b.id
 AND (a.bed = b.bed OR a.person = b.person)
 AND daterange(a.start_date, a.end_date, '[)') && daterange(b.start_date, b.end_date, '[)')
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--out", default=str(Path(__file__).with_name("results.json")))
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", BENCH_URL)
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to run on database {name!r}: use a dedicated one, e.g. {BENCH_URL}")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(url, autocommit=True) as setup:
        setup.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        setup.execute(TABLE)

    counts: collections.Counter = collections.Counter()
    lock = threading.Lock()
    connections = [psycopg.connect(url) for _ in range(args.clients)]
    started = time.monotonic()
    for round_ in range(args.rounds):
        barrier = threading.Barrier(args.clients)

        def insert(index: int, round_: int = round_, barrier=barrier) -> None:
            conn = connections[index]
            try:
                barrier.wait(timeout=30)
                with conn.transaction():
                    conn.execute(
                        "INSERT INTO placement (person, bed, start_date, end_date)"
                        " VALUES (%s, %s, '2025-01-01', '2025-02-01')",
                        (round_ * 1000 + index, round_),
                    )
                outcome = "placed"
            except psycopg.errors.ExclusionViolation:
                outcome = "exclusion_violation"
            except psycopg.errors.DeadlockDetected:
                outcome = "deadlock"
            except psycopg.Error as error:
                outcome = type(error).__name__
            with lock:
                counts[outcome] += 1

        threads = [threading.Thread(target=insert, args=(i,)) for i in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elapsed = time.monotonic() - started
    for conn in connections:
        conn.close()
    with psycopg.connect(url) as check:
        double = check.execute(DOUBLE_BOOKINGS).fetchone()[0]
    results = {
        "clients": args.clients,
        "rounds": args.rounds,
        "attempts": args.clients * args.rounds,
        "outcomes": dict(counts),
        "double_bookings": double,
        "deadlocks_per_loser": round(
            counts["deadlock"] / max(1, args.clients * args.rounds - counts["placed"]), 4
        ),
        "seconds": round(elapsed, 1),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
    }
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
