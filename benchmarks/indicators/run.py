"""Network dashboard benchmark: the stored figures against the hand-written SQL aggregate.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lgnet_bench_ind \\
        .venv/bin/python benchmarks/indicators/run.py [--events 1000000,10000000] \\
        [--cities 20] [--repeat 5] [--drop]

Runs against a dedicated database (created if missing, migrated, emptied of the benchmark's
rows): never the developer's. For each size it loads synthetic persons (one per 10 service
events), one case each and the service events, spread over 20 cities and three years, then:

1. builds the figures (`lgnet.monitoring.engine.refresh` for every city: the rollup), then
   times the refresh of one city after a change dated in one month (the touched periods);
2. times what the network dashboard runs (`selectors.network_dashboard` and the services
   figures by month for every city, disclosure control included), median of --repeat runs;
3. times the hand-written SQL over the raw rows that answers the same questions (services
   and unique beneficiaries per city for the edition, services per city and month);
4. prints the ratio dashboard / raw aggregate (DESIGN §7: at most 1.5, not growing).

Writes benchmarks/indicators/results.json; docs/benchmarks.md explains the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
BENCH_URL = "postgres://postgres@127.0.0.1:5432/lgnet_bench_ind"
START, END = date(2024, 1, 1), date(2026, 12, 31)
NATIONALITY = "ARRAY[(ARRAY['NG', 'MA', 'PK', 'BD', 'TN', 'SN', 'AF', 'UA'])[1 + g % 8]]"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", default="1000000,10000000", help="service events per size")
    parser.add_argument("--cities", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument("--out", default=str(Path(__file__).with_name("results.json")))
    return parser.parse_args()


def _server_and_name() -> tuple[str, str]:
    url = os.environ.setdefault("DATABASE_URL", BENCH_URL)
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to run on database {name!r}: use a dedicated one, e.g. {BENCH_URL}")
    return parts._replace(path="/postgres").geturl(), name


def _create(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
            print(f"created database {name}")


def _drop(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(
            psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                psycopg.sql.Identifier(name)
            )
        )
    print(f"dropped database {name}")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _default(field) -> str:
    """A SQL value for a column the benchmark does not care about."""
    from django.contrib.postgres.fields import ArrayField
    from django.db import models

    if field.null:
        return "NULL"
    if isinstance(field, ArrayField):
        return "'{}'"
    if isinstance(field, models.BooleanField):
        return "false"
    if isinstance(field, models.DateTimeField):
        return "now()"
    if isinstance(field, models.DateField):
        return f"'{START.isoformat()}'::date"
    if isinstance(field, models.JSONField):
        return "'{}'::jsonb"
    if isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)):
        return "0"
    return "''"


def _insert(model, values: dict[str, str], source: str) -> int:
    """INSERT INTO model (every column) SELECT the given expressions or defaults FROM source."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f.column for f in fields)
    exprs = ", ".join(values.get(f.column, _default(f)) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {model._meta.db_table} ({columns}) SELECT {exprs} {source}")  # noqa: S608 - benchmark
        return cursor.rowcount


def _load(events: int, cities: list, user_id: int, type_ids: list[int]) -> dict:
    """Persons, one case each and the service events, in SQL (triggers off while loading)."""
    from django.db import connection

    from lgnet.cases.models import Case, Service
    from lgnet.people.models import Person

    persons = max(events // 10, len(cities))
    days = (END - START).days
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no history rows for a load
        for table in (Service, Case, Person):
            cursor.execute(f"DELETE FROM {table._meta.db_table}")  # noqa: S608 - benchmark
        city_ids = "ARRAY[" + ",".join(str(c.pk) for c in cities) + "]"
        _insert(
            Person,
            {
                "city_id": f"({city_ids})[1 + g % {len(cities)}]",
                "given_names": "'Bench'",
                "family_names": "'Person ' || g",
                "sex": "(ARRAY['F','M'])[1 + g % 2]",
                "birth_date": "'1960-01-01'::date + (g % 15000)::int",
                "birth_date_precision": "'day'",
                "nationalities": NATIONALITY,
                "vulnerabilities": "CASE WHEN g % 5 = 0 THEN ARRAY['homelessness'] ELSE '{}' END",
                "legal_status": "'asylum'",
                "created_at": "now()",
                "updated_at": "now()",
            },
            f"FROM generate_series(1, {persons}) AS g",
        )
        _insert(
            Case,
            {
                "city_id": "p.city_id",
                "person_id": "p.id",
                "number": "'B-' || p.id",
                "areas": "ARRAY['taking_in_charge']",
                "status": "CASE WHEN p.id % 3 = 0 THEN 'closed' ELSE 'active' END",
                "opened_on": f"'{START.isoformat()}'::date + (p.id * 7919 % {days - 200})::int",
                "closed_on": f"CASE WHEN p.id % 3 = 0 THEN '{START.isoformat()}'::date "
                f"+ (p.id * 7919 % {days - 200})::int + 150 END",
                "outcome": "CASE WHEN p.id % 3 = 0 THEN 'goals_reached' ELSE '' END",
                "manager_id": str(user_id),
                "created_at": "now()",
                "updated_at": "now()",
            },
            f"FROM {Person._meta.db_table} p",
        )
        cursor.execute(f"SELECT min(id), count(*) FROM {Case._meta.db_table}")  # noqa: S608
        first, count = cursor.fetchone()
        types = "ARRAY[" + ",".join(str(t) for t in type_ids) + "]"
        _insert(
            Service,
            {
                "city_id": "c.city_id",
                "case_id": "c.id",
                "person_id": "c.person_id",
                "service_type_id": f"({types})[1 + g % {len(type_ids)}]",
                "delivered_on": f"LEAST(c.opened_on + (g % 200)::int, '{END.isoformat()}'::date)",
                "quantity": "1",
                "recorded_by_id": str(user_id),
                "created_at": "now()",
                "updated_at": "now()",
            },
            f"FROM generate_series(1, {events}) AS g "
            f"JOIN {Case._meta.db_table} c ON c.id = {first} + (g % {count})",
        )
        cursor.execute("SET session_replication_role = origin")
        cursor.execute("ANALYZE")
    return {"persons": persons, "cases": count, "load_seconds": time.perf_counter() - started}


RAW_SQL = [
    # services per city over the edition
    "SELECT city_id, count(*) FROM cases_service WHERE city_id = ANY(%(cities)s) "
    "AND delivered_on BETWEEN %(start)s AND %(end)s GROUP BY city_id",
    # unique beneficiaries per city over the edition
    "SELECT city_id, count(DISTINCT person_id) FROM cases_case WHERE city_id = ANY(%(cities)s) "
    "AND opened_on <= %(end)s AND (closed_on IS NULL OR closed_on >= %(start)s) GROUP BY city_id",
    # services per city and month
    "SELECT city_id, date_trunc('month', delivered_on), count(*) FROM cases_service "
    "WHERE city_id = ANY(%(cities)s) AND delivered_on BETWEEN %(start)s AND %(end)s GROUP BY 1, 2",
]


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    args = _arguments()
    server, name = _server_and_name()
    _create(server, name)
    _setup()
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scopes_disabled

    from lgnet.accounts.models import User
    from lgnet.cases.models import ServiceType
    from lgnet.monitoring import engine, selectors
    from lgnet.monitoring.models import Figure, Indicator
    from lgnet.network.models import City, Edition, Participation

    call_command("migrate", verbosity=0)
    results = []
    with scopes_disabled():
        edition, _ = Edition.objects.get_or_create(
            code="BENCH", defaults={"name": "Bench", "starts_on": START, "ends_on": END}
        )
        cities = []
        for n in range(args.cities):
            city, _ = City.objects.get_or_create(
                slug=f"bench{n}",
                defaults={"name": f"Bench {n}", "istat_code": f"{990000 + n}", "region": "R"},
            )
            Participation.objects.get_or_create(
                edition=edition, city=city, defaults={"target_beneficiaries": 100}
            )
            cities.append(city)
        user, _ = User.objects.get_or_create(username="bench")
        type_ids = list(ServiceType.objects.filter(city=None).values_list("id", flat=True))
        services = Indicator.objects.get(code="services")
        for events in sorted(int(e) for e in args.events.split(",") if e):
            print(f"\n{events:,} service events")
            Figure.objects.filter(edition=edition).delete()
            loaded = _load(events, cities, user.pk, type_ids)
            print(
                f"  loaded {loaded['persons']:,} persons and cases "
                f"in {loaded['load_seconds']:.1f} s"
            )
            started = time.perf_counter()
            rows = sum(engine.refresh(city, edition) for city in cities)
            rollup = time.perf_counter() - started
            print(f"  figures built: {rows:,} rows in {rollup:.1f} s")
            # What a change dated in one month costs: the task recomputes the periods it
            # touches (the month, its quarter, half and year, the edition).
            changed = date(2025, 5, 14)
            touched = engine.touched_periods(edition, [(changed, changed)])
            started = time.perf_counter()
            engine.refresh(cities[0], edition, touched)
            incremental = time.perf_counter() - started
            print(
                f"  one city after a change dated {changed}: {len(touched)} of "
                f"{len(engine.stored_periods(edition))} periods in {incremental:.2f} s"
            )

            def dashboard():
                selectors.network_dashboard(edition)
                query = selectors.Query(services, edition, START, END, ["month"])
                selectors.network_figures(query)

            def raw():
                params = {"cities": [c.pk for c in cities], "start": START, "end": END}
                with connection.cursor() as cursor:
                    for sql in RAW_SQL:
                        cursor.execute(sql, params)
                        cursor.fetchall()

            dashboard()  # warm both
            raw()
            dash_s = _median(dashboard, args.repeat)
            raw_s = _median(raw, args.repeat)
            ratio = dash_s / raw_s
            print(
                f"  network dashboard {dash_s * 1000:.1f} ms · "
                f"raw SQL aggregate {raw_s * 1000:.1f} ms"
                f" · ratio {ratio:.2f}"
            )
            results.append(
                {
                    "events": events,
                    **loaded,
                    "cities": len(cities),
                    "figure_rows": rows,
                    "rollup_seconds": rollup,
                    "incremental_periods": len(touched),
                    "incremental_seconds": incremental,
                    "dashboard_ms": dash_s * 1000,
                    "raw_ms": raw_s * 1000,
                    "ratio": ratio,
                }
            )
    today = date.today().isoformat()  # noqa: DTZ011 - a label for the results file
    Path(args.out).write_text(json.dumps({"date": today, "results": results}, indent=2))
    print(f"\nwritten {args.out}")
    if args.drop:
        connection.close()
        _drop(server, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
