"""De-duplication benchmark of the person registry.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lgnet_bench \\
        .venv/bin/python benchmarks/dedup/run.py [--sizes 10000,100000,1000000] \\
        [--queries 500] [--seed 1]

Runs against a dedicated database (created if missing, migrated, its registry emptied): never
the developer's. Measures, on labelled synthetic records (lgnet.people.names):

1. quality of ``selectors.find_matches``: recall@5 of true duplicates, alert precision at
   ``matching.LIKELY``, share of new people wrongly alerted;
2. lookup time per call as the registry grows (same queries at every size);
3. the same queries through the ``recordlinkage`` toolkit (benchmarks/dedup/baseline.py).

Prints a table and writes benchmarks/dedup/results.json; docs/benchmarks.md explains them.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import platform
import sys
import time
from itertools import islice
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
BENCH_URL = "postgres://postgres@127.0.0.1:5432/lgnet_bench"
TARGETS = {"recall_at_5": 0.98, "alert_precision": 0.95, "median_ratio": 3.0}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=500, help="duplicates; as many new")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--baseline-sizes", default="10000,100000", help="recordlinkage runs ('' for none)"
    )
    parser.add_argument(
        "--budget-minutes",
        type=float,
        default=20.0,
        help="a larger size that would not fit is cut to what fits (and reported so)",
    )
    parser.add_argument("--bloom", action="store_true", help="compute the real Bloom filters")
    parser.add_argument("--examples", type=int, default=10)
    parser.add_argument("--out", default=str(Path(__file__).with_name("results.json")))
    return parser.parse_args()


def _database() -> str:
    """The benchmark database: created on its server if missing. Refuses any other."""
    import psycopg

    url = os.environ.setdefault("DATABASE_URL", BENCH_URL)
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to run on database {name!r}: use a dedicated one, e.g. {BENCH_URL}")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
            print(f"created database {name}")
    return name


def _machine() -> dict:
    from django.db import connection

    model = ""
    memory = ""
    cpuinfo, meminfo = Path("/proc/cpuinfo"), Path("/proc/meminfo")
    if cpuinfo.exists():
        model = next(
            (
                ln.split(":", 1)[1].strip()
                for ln in cpuinfo.read_text().splitlines()
                if ln.startswith("model name")
            ),
            "",
        )
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    with connection.cursor() as cursor:
        settings = {}
        for name in (
            "server_version",
            "shared_buffers",
            "work_mem",
            "effective_cache_size",
            "max_parallel_workers_per_gather",
            "pg_trgm.similarity_threshold",
        ):
            cursor.execute(f"SHOW {name}")  # noqa: S608 - fixed names
            settings[name] = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory": memory,
        "python": platform.python_version(),
        "postgresql": settings,
    }


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    logging.getLogger("recordlinkage").setLevel(logging.WARNING)  # its INFO lines per step


def main() -> int:  # noqa: C901 - a script, read top to bottom
    args = _arguments()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s})
    baseline_sizes = {int(s) for s in args.baseline_sizes.split(",") if s}
    begun = time.perf_counter()
    database = _database()
    _setup()

    from django.core.management import call_command
    from django.utils import timezone, translation
    from django_scopes import scopes_disabled

    from benchmarks.dedup import queries, registry

    baseline = None
    if baseline_sizes:
        try:
            from benchmarks.dedup import baseline
        except ImportError as error:  # the toolkit is for the benchmark only
            print(f"recordlinkage comparison skipped ({error}): pip install recordlinkage")
    from lgnet.network.models import City

    call_command("migrate", verbosity=0)
    with scopes_disabled(), translation.override("en"):
        city, _ = City.objects.get_or_create(
            slug="bench", defaults={"istat_code": "999999", "name": "Bench", "region": "X"}
        )
        registry.truncate()
        registry.check_population(args.seed)
        registry.check_derive(islice(registry.originals(args.seed), 300))

        stream = registry.originals(args.seed)
        keep = max([sizes[0], *[s for s in baseline_sizes if s in sizes]])
        kept: list = []
        loads, rows, baselines = [], [], []
        failures: dict[int, list] = {}
        query_set = None
        loaded = 0
        budget = args.budget_minutes * 60
        for wanted in sizes:
            size = wanted
            if loads:  # will the next step fit in the budget? (load + queries scale ~linearly)
                last = loads[-1]
                per_row = last["total_s"] / max(1, last["rows"])
                per_query_s = rows[-1]["mean_ms"] / 1000 * 2 * 3  # 2 passes; slower as it grows
                elapsed = time.perf_counter() - begun
                spare = budget - elapsed - per_query_s * len(query_set) - 60
                fits = loaded + int(max(0.0, spare) / per_row)
                if fits < size:
                    size = (fits // 100_000) * 100_000 or (fits // 10_000) * 10_000
                    if size <= loaded:
                        print(f"\nstopping before {wanted:,}: the budget is spent")
                        break
                    print(f"\n{wanted:,} would not fit in the budget: measuring {size:,}")
            step = size - loaded

            def take(count):
                for record in islice(stream, count):
                    if len(kept) < keep:
                        kept.append(record)
                    yield record

            print(f"\nloading {step:,} persons (registry -> {size:,}) ...", flush=True)
            load = registry.load(take(step), city.pk, bloom=args.bloom)
            loaded = size
            load["registry"] = size
            load["wanted"] = wanted
            loads.append(load)
            print(f"  {load}", flush=True)

            if query_set is None:
                query_set = queries.make(args.seed, kept[: sizes[0]], args.queries, sizes[-1])
            print(f"  {len(query_set)} lookups ...", flush=True)
            # The benchmark holds up to 100k records a web process never holds: keep them out
            # of the garbage collector's full passes, which would otherwise land in the timings.
            gc.collect()
            gc.freeze()
            figures, failed = queries.run(city, query_set)
            figures["block"] = queries.block_sizes(city, query_set[:100])
            figures["registry"] = size
            rows.append(figures)
            failures[size] = failed
            print(f"  {figures}", flush=True)

            if baseline is not None and size in baseline_sizes:
                print(f"  recordlinkage on {size:,} ...", flush=True)
                result = baseline.run(kept[:size], query_set)
                baselines.append(result)
                print(f"  {result['sum_rule']}\n  {result['ecm']}", flush=True)

    first, last = rows[0], rows[-1]
    ratio = round(last["median_ms"] / first["median_ms"], 2)
    checks = []
    for figures in rows:
        checks.append(
            (
                f"recall@5 at {figures['registry']:,}",
                figures["recall_at_5"],
                TARGETS["recall_at_5"],
                figures["recall_at_5"] >= TARGETS["recall_at_5"],
            )
        )
        precision = figures["alert_precision"] or 0.0
        checks.append(
            (
                f"alert precision at {figures['registry']:,}",
                precision,
                TARGETS["alert_precision"],
                precision >= TARGETS["alert_precision"],
            )
        )
    checks.append(
        (
            f"median {last['registry']:,} / {first['registry']:,}",
            ratio,
            TARGETS["median_ratio"],
            ratio <= TARGETS["median_ratio"],
        )
    )

    _print_tables(rows, baselines, checks, loads)
    if ratio > TARGETS["median_ratio"]:
        print(f"\nslowest lookups at {last['registry']:,} (median {last['median_ms']} ms):")
        for slow in last["slowest"]:
            print(f"  {slow['ms']:>7} ms  {slow['kind']:<9}  {_line(slow['query'])}")
    for size, kind, cases in _examples(rows, failures, args.examples):
        total = sum(c["kind"] == kind for c in failures[size])
        print(f"\n{kind}s at {size:,}: {len(cases)} of {total} (more in results.json)")
        for case in cases:
            print(_format(case))

    result = {
        "date": timezone.now().isoformat(timespec="seconds"),
        "database": database,
        "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
        "arguments": vars(args),
        "machine": _machine(),
        "notes": {
            "registry": "names.population(seed) originals, external_id e<entity>, one city",
            "queries": f"{args.queries} variant() of originals among the first {sizes[0]:,}"
            f" + {args.queries} person() new people, shuffled; same set at every size",
            "linkage_bloom": "real HMAC filter" if args.bloom else "same-width placeholder",
            "today": registry.TODAY.isoformat(),
        },
        "targets": TARGETS,
        "checks": [
            {"what": what, "value": value, "target": target, "ok": ok}
            for what, value, target, ok in checks
        ],
        "loads": loads,
        "find_matches": rows,
        "median_ratio_largest_to_smallest": ratio,
        "recordlinkage": baselines,
        "failures": {
            str(size): {
                kind: [c for c in cases if c["kind"] == kind][:25]
                for kind in ("missed duplicate", "wrong alert")
            }
            for size, cases in failures.items()
        },
        "failure_counts": {
            str(size): {
                kind: sum(c["kind"] == kind for c in cases)
                for kind in ("missed duplicate", "wrong alert")
            }
            for size, cases in failures.items()
        },
        "elapsed_s": round(time.perf_counter() - begun, 1),
    }
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwrote {args.out} in {result['elapsed_s']:.0f} s")
    return 0


def _print_tables(rows, baselines, checks, loads) -> None:
    print("\nfind_matches (limit=5), labelled queries")
    header = (
        f"{'registry':>10} {'load s':>6} {'recall@5':>8} {'alerts':>6} {'precision':>9} "
        f"{'wrong':>5} {'namesake':>8} {'new alerted':>11} {'median ms':>9} {'p95 ms':>7} "
        f"{'read ms':>8} {'read med':>9} {'at cap':>6}"
    )
    print(header)
    print("-" * len(header))
    for figures, load in zip(rows, loads, strict=True):
        block = figures["block"]
        wrong = figures["wrong_alerts"]
        print(
            f"{figures['registry']:>10,} {load['total_s']:>6.0f} {figures['recall_at_5']:>8.3f} "
            f"{figures['alerts']:>6} {figures['alert_precision'] or 0:>9.3f} {wrong:>5} "
            f"{figures['wrong_alerts_on_a_namesake']:>8} "
            f"{figures['new_people_wrongly_alerted']:>11.3f} {figures['median_ms']:>9.1f} "
            f"{figures['p95_ms']:>7.1f} {block['read_median_ms']:>8.1f} {block['median']:>9} "
            f"{block['share_at_candidate_limit']:>6.2f}"
        )
    print(
        "  precision: share of alerts (top score >= 0.8) on the true record; wrong: alerts on "
        "another record,\n  namesake: of those, on a record with the same name up to spelling; "
        "read: the PostgreSQL part\n  of a call and the records it reads (at most 300), "
        "median on 100 queries."
    )
    if baselines:
        print("\nrecordlinkage (same queries)")
        header = (
            f"{'registry':>10} {'classifier':>10} {'pairs/q':>8} {'complete':>8} "
            f"{'recall':>7} {'recall@5':>9} {'precision':>9} {'pair prec':>9} "
            f"{'new match':>9} {'ms/query':>8} {'total s':>7}"
        )
        print(header)
        print("-" * len(header))
        for result in baselines:
            for name in ("sum_rule", "ecm"):
                r = result[name]
                print(
                    f"{result['registry']:>10,} {name:>10} "
                    f"{result['candidate_pairs_per_query']:>8.0f} "
                    f"{r['pairs_completeness']:>8.3f} {r['recall_matched']:>7.3f} "
                    f"{r['recall_at_5']:>9.3f} {r['alert_precision'] or 0:>9.3f} "
                    f"{r['pair_precision'] or 0:>9.3f} {r['new_people_matched']:>9.3f} "
                    f"{r['ms_per_query']:>8.2f} {r['total_s']:>7.1f}"
                )
    print("\ntargets")
    for what, value, target, ok in checks:
        sign = "<=" if what.startswith("median") else ">="
        print(f"  {'PASS' if ok else 'FAIL'}  {what}: {value} (target {sign} {target})")


def _examples(rows, failures, count: int) -> list[tuple[int, str, list]]:
    """Cases for each quality target missed, from the smallest registry that misses it."""
    wanted = []
    for target, kind in (("recall_at_5", "missed duplicate"), ("alert_precision", "wrong alert")):
        for figures in rows:
            if (figures[target] or 0) < TARGETS[target]:
                wanted.append((figures["registry"], kind))
                break
    out = []
    for size, kind in wanted:
        cases = [c for c in failures[size] if c["kind"] == kind]
        cases.sort(key=lambda c: c.get("namesake", False))  # the tunable ones first
        out.append((size, kind, cases[: max(1, count // len(wanted))]))
    return out


def _line(d: dict) -> str:
    return (
        f"{d['given_names']} / {d['family_names']}  {d['sex']}  {d['birth_date']} "
        f"({d['precision']})  {','.join(d['nationalities'])}"
    )


def _format(case: dict) -> str:
    lines = [
        f"- [{case['kind']}] ({case['query_kind']} query)"
        + (" [top is a namesake: same name up to spelling]" if case.get("namesake") else "")
        + (f" why: {case['why']}" if "why" in case else "")
    ]
    lines.append(f"    query : {_line(case['query'])}")
    if "true" in case:
        t = case["true"]
        lines.append(f"    true  : {_line(t)}  score {t['score']}  {t['reasons']}  [{t['block']}]")
    for i, r in enumerate(case["returned"][:3], 1):
        lines.append(f"    #{i}    : {_line(r)}  score {r['score']}  {r['reasons']}")
    if not case["returned"]:
        lines.append("    (nothing returned)")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
