"""Web benchmark: latency of the main pages and API lists under concurrent clients, as a ratio
to /healthz on the same server in the same run; SQL queries per page at two list lengths.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lgnet_bench_web \\
        .venv/bin/python benchmarks/web/run.py [--scale 0] [--clients 50] [--per-client 4] \\
        [--workers 3] [--fresh] [--reseed] [--drop]

Runs against a dedicated database (created if missing, migrated, demo data loaded with
`lgnet seed_demo --scale N`; the database's comment remembers the scale loaded, so a second
run skips it unless --reseed; --fresh drops the database first, --drop at the end). Then:

1. starts the production web server as `make serve` does (`LGNET_ENV=production`,
   `collectstatic`, `gunicorn config.wsgi:application --workers 3`, access log on) on a free
   port, with its own static root and attachments folder (never the checkout's `var/`);
2. signs in one browser session per client (the coordinator of the demo city with the most
   persons, Taranto at --scale 0; the network coordinator for the network dashboard:
   sessions made in the database, second factor included, as after a real sign-in) and
   issues one API token per client;
3. for /healthz, then each page and API list, then /healthz again: --clients threads each
   send --per-client requests back to back (a closed loop: the server always has --clients
   requests to serve); it reports p50/p95 latency and each one as a ratio to /healthz (the
   two /healthz runs pooled): the ratio is what the page costs beyond HTTP, Django's
   middleware and one query, on this machine, at this concurrency;
4. stops the server and, in this process, counts the SQL queries each page and API list
   runs (django.test.Client + CaptureQueriesContext, the second request of each) in two new
   cities holding 10 and 200 of everything (persons, cases, beds and placements, activities
   and enrolments), inside a transaction rolled back at the end: equal counts mean no query
   per row.

Writes benchmarks/web/results.json; docs/benchmarks.md ("Web latency") explains the figures.
Tests never assert a time; this script only reports.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BENCH_URL = "postgres://postgres@127.0.0.1:5432/lgnet_bench_web"
# Both the server and this process sign sessions with it: a session made here is valid there.
SECRET_KEY = "bench-only-secret-key-" + "x" * 40
HTTPS = {"X-Forwarded-Proto": "https"}  # production redirects plain HTTP; a proxy would say so

# name, path ({city}: the demo city with the most persons, Taranto alone at --scale 0;
# {facility}: its largest facility), who asks: city session, network session or API token.
ENDPOINTS = [
    ("city home", "/c/{city}/", "city"),
    ("persons list", "/c/{city}/persons/", "city"),
    ("case list", "/c/{city}/cases/", "city"),
    ("occupancy board", "/c/{city}/housing/facilities/{facility}/board/", "city"),
    ("activities list", "/c/{city}/activities/", "city"),
    ("network dashboard", "/rete/monitoring/", "network"),
    ("API persons", "/api/v1/persons", "token"),
    ("API cases", "/api/v1/cases", "token"),
    ("API placements", "/api/v1/placements", "token"),
]
SIZES = (10, 200)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=0, help="seed_demo --scale (0: fastest)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=4, help="requests per client")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (make serve: 3)")
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    parser.add_argument("--reseed", action="store_true", help="run seed_demo even if done")
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


def _admin(server: str, sql: str, *args) -> list:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        cursor = conn.execute(sql, args or None)
        return cursor.fetchall() if cursor.description else []


def _environment(work: Path, static: Path) -> dict[str, str]:
    """What the server and the `lgnet` commands share; production is switched on per call."""
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="benchmarks.web.settings",
        LGNET_BENCH_STATIC_ROOT=str(static),
        LGNET_ATTACHMENTS_ROOT=str(work / "attachments"),
        SECRET_KEY=SECRET_KEY,
        LGNET_LINKAGE_KEY="bench-only-linkage-key",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    )
    env.pop("LGNET_DEMO", None)
    env.pop("LGNET_ENV", None)
    return env


def _lgnet(env: dict, *args: str, **extra: str) -> float:
    started = time.monotonic()
    subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [str(BIN / "lgnet"), *args], cwd=ROOT, env={**env, **extra}, check=True, stdout=sys.stderr
    )
    return time.monotonic() - started


def _static_is_current(static: Path) -> bool:
    """The benchmark's collected files are newer than every source file: no need to collect
    (and compress) again, which takes a minute or more on a busy machine."""
    manifest = static / "staticfiles.json"
    if not manifest.exists():
        return False
    collected = manifest.stat().st_mtime
    sources = [ROOT / "static", *ROOT.glob("lgnet/*/static")]
    return all(
        path.stat().st_mtime < collected
        for folder in sources
        for path in folder.rglob("*")
        if path.is_file()
    )


def _seeded(server: str, name: str) -> str:
    rows = _admin(
        server,
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        name,
    )
    return (rows[0][0] or "") if rows else ""


def _setup(env: dict) -> None:
    """Django in this process: development settings (no production switch), same key."""
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _signed_in(user) -> str:
    """A session as a real sign-in leaves it (password step and second factor passed)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


def _busiest_city() -> tuple[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.slug, count(p.id) FROM network_city c"
            " JOIN people_person p ON p.city_id = c.id GROUP BY c.slug ORDER BY 2 DESC, 1 LIMIT 1"
        )
        slug, persons = cursor.fetchone()
    return slug, persons


def _credentials(clients: int, city: str) -> tuple[list[dict], int]:
    """Per client: the headers of each kind of caller; and the facility for the board."""
    from django.conf import settings
    from django.db.models import Count, Q
    from django_scopes import scopes_disabled

    from lgnet.accounts.models import Membership, User
    from lgnet.accounts.services import issue_token
    from lgnet.housing.models import Facility

    with scopes_disabled():
        coordinator = User.objects.get(username=f"{city}.coordinatore")
        network = User.objects.get(username="rete")
        membership = Membership.objects.get(user=coordinator, city__slug=city, is_active=True)
        facility = (
            Facility.objects.filter(city__slug=city, is_active=True)
            .annotate(n=Count("beds", filter=Q(beds__is_active=True)))
            .order_by("-n", "id")
            .first()
        )
        cookie = settings.SESSION_COOKIE_NAME
        headers = []
        for i in range(clients):
            secret, _token = issue_token(membership=membership, name=f"bench {i}")
            headers.append(
                {
                    "city": {**HTTPS, "Cookie": f"{cookie}={_signed_in(coordinator)}"},
                    "network": {**HTTPS, "Cookie": f"{cookie}={_signed_in(network)}"},
                    "token": {**HTTPS, "Authorization": f"Bearer {secret}"},
                }
            )
    return headers, facility.pk


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    """gunicorn as `make serve` starts it (the task worker is left out: nothing here queues)."""
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--access-logformat",
        '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
    ]
    server = subprocess.Popen(  # noqa: S603 - our own executable, fixed arguments
        command,
        cwd=ROOT,
        env={**env, "LGNET_ENV": "production"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    return server


def _wait_until_ready(server: subprocess.Popen, port: int, log: Path) -> None:
    import requests

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()[-2000:]}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", headers=HTTPS, timeout=10).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer within two minutes:\n{log.read_text()[-2000:]}")


def _phase(base: str, path: str, headers: list[dict | None], per_client: int) -> dict:
    """Every client sends per_client requests back to back, all starting together."""
    import requests

    clients = len(headers)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(i: int) -> None:
        session = requests.Session()
        mine, codes = [], []
        start.wait()
        for _ in range(per_client):
            began = time.perf_counter()
            response = session.get(base + path, headers=headers[i], allow_redirects=False)
            response.content  # noqa: B018 - read the whole body
            mine.append(time.perf_counter() - began)
            codes.append(response.status_code)
        with lock:
            latencies.extend(mine)
            for code in codes:
                statuses[code] = statuses.get(code, 0) + 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {"latencies": latencies, "statuses": statuses, "wall_s": wall}


def _percentiles(latencies: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return statistics.median(latencies) * 1000, cuts[94] * 1000


def _latency(args, env: dict, work: Path, city: str) -> dict:
    headers, facility = _credentials(args.clients, city)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = work / "gunicorn.log"
    server = _start_server(env, port, args.workers, log)
    try:
        import requests

        _wait_until_ready(server, port, log)
        endpoints = [(n, p.format(city=city, facility=facility), who) for n, p, who in ENDPOINTS]
        for _name, path, who in endpoints:  # warm every worker's templates and caches
            for i in range(2 * args.workers):
                answer = requests.get(base + path, headers=headers[i][who], timeout=60)
                if answer.status_code != 200:
                    raise RuntimeError(f"{path} answered {answer.status_code}")
        anonymous = [HTTPS] * args.clients
        runs = {"healthz (before)": _phase(base, "/healthz", anonymous, args.per_client)}
        for name, path, who in endpoints:
            runs[name] = _phase(base, path, [h[who] for h in headers], args.per_client)
            p50, p95 = _percentiles(runs[name]["latencies"])
            print(f"  {name:<18} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms", file=sys.stderr)
        runs["healthz (after)"] = _phase(base, "/healthz", anonymous, args.per_client)
    finally:
        server.terminate()
        server.wait(timeout=30)
    floor = runs["healthz (before)"]["latencies"] + runs["healthz (after)"]["latencies"]
    floor_p50, floor_p95 = _percentiles(floor)
    results = {
        "healthz": {
            "p50_ms": round(floor_p50, 1),
            "p95_ms": round(floor_p95, 1),
            "before_p95_ms": round(_percentiles(runs["healthz (before)"]["latencies"])[1], 1),
            "after_p95_ms": round(_percentiles(runs["healthz (after)"]["latencies"])[1], 1),
        },
        "endpoints": [],
    }
    for name, path, who in endpoints:
        run = runs[name]
        p50, p95 = _percentiles(run["latencies"])
        results["endpoints"].append(
            {
                "name": name,
                "path": path,
                "as": who,
                "requests": len(run["latencies"]),
                "statuses": run["statuses"],
                "throughput_rps": round(len(run["latencies"]) / run["wall_s"], 1),
                "p50_ms": round(p50, 1),
                "p95_ms": round(p95, 1),
                "p50_ratio": round(p50 / floor_p50, 1),
                "p95_ratio": round(p95 / floor_p95, 1),
            }
        )
    return results


# --- queries per page ------------------------------------------------------------------------


def _bench_city(n: int):
    """A new city holding n persons, each with a case, a placement and an enrolment in one of
    n activities; its coordinator."""
    from lgnet.accounts.models import Membership, User
    from lgnet.accounts.roles import Role
    from lgnet.activities import services as activities
    from lgnet.cases.services import open_case
    from lgnet.housing import services as housing
    from lgnet.network.models import City, Organisation
    from lgnet.people.services import register_person

    slug = f"bench-q{n}"
    city = City.objects.create(
        slug=slug, name=f"Bench {n}", istat_code=f"99{n:04d}", region="Bench"
    )
    Organisation.objects.create(city=city, name=f"Comune {n}", kind=Organisation.Kind.COMUNE)
    partner = Organisation.objects.create(
        city=city, name=f"Cooperativa {n}", kind=Organisation.Kind.SOCIAL_COOPERATIVE
    )
    user = User.objects.create_user(username=f"bench.q{n}")
    Membership.objects.create(user=user, role=Role.CITY_COORDINATOR, city=city)
    today = date.today()  # noqa: DTZ011 - a local benchmark
    facility = housing.save_facility(
        actor=user,
        city=city,
        changes={"name": "Casa", "kind": "emergency_house", "organisation": partner},
    )
    for i in range(n):
        person = register_person(
            actor=user,
            city=city,
            data={
                "given_names": f"Nome{i}",
                "family_names": f"Cognome{i}",
                "sex": "F" if i % 2 else "M",
                "birth_date": date(1980 + i % 20, 1 + i % 12, 1 + i % 28),
                "nationalities": ["NG"],
            },
        )
        open_case(actor=user, person=person, opened_on=today - timedelta(days=30))
        bed = housing.save_bed(actor=user, facility=facility, changes={"label": f"B{i}"})
        housing.place_person(
            actor=user, person=person, bed=bed, start_date=today - timedelta(days=10)
        )
        activity = activities.create_activity(
            actor=user,
            city=city,
            data={
                "kind": "italian_course",
                "title": f"Italiano {i}",
                "organisation": partner,
                "start_date": today - timedelta(days=20),
                "end_date": today + timedelta(days=60),
                "cefr_level": "A2",
            },
        )
        activities.enrol(actor=user, activity=activity, person=person)
    return slug, user, facility


def _queries() -> list[dict]:
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scopes_disabled

    from lgnet.accounts.models import Membership, User
    from lgnet.accounts.services import issue_token

    counts: dict[str, dict[int, int]] = {}
    with transaction.atomic(), scopes_disabled():
        network = User.objects.get(username="rete")
        built = {n: _bench_city(n) for n in SIZES}
        for n, (slug, user, facility) in built.items():
            secret, _token = issue_token(membership=Membership.objects.get(user=user))
            browser = Client(HTTP_HOST="127.0.0.1")
            browser.cookies[settings.SESSION_COOKIE_NAME] = _signed_in(user)
            rete = Client(HTTP_HOST="127.0.0.1")
            rete.cookies[settings.SESSION_COOKIE_NAME] = _signed_in(network)
            for name, path, who in ENDPOINTS:
                path = path.format(city=slug, facility=facility.pk)
                client, extra = browser, {}
                if who == "network":
                    client = rete
                elif who == "token":
                    client, extra = Client(HTTP_HOST="127.0.0.1"), {"limit": 200}
                    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
                first = client.get(path, extra)  # fills per-process caches
                if first.status_code != 200:
                    raise RuntimeError(f"{path} answered {first.status_code}")
                with CaptureQueriesContext(connection) as captured:
                    client.get(path, extra)
                counts.setdefault(name, {})[f"queries_{n}"] = len(captured.captured_queries)
                if who == "token":  # the API lists every row asked for, not a page of 50
                    counts[name][f"items_{n}"] = len(first.json()["items"])
        transaction.set_rollback(True)
    return [{"name": name, **figures} for name, figures in counts.items()]


# --- main ------------------------------------------------------------------------------------


def main() -> None:
    args = _arguments()
    server, name = _server_and_name()
    began = time.monotonic()
    timings: dict[str, float] = {}
    if args.fresh:
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if not _admin(server, "SELECT 1 FROM pg_database WHERE datname = %s", name):
        _admin(server, f'CREATE DATABASE "{name}"')
    # Kept between runs (collecting is slow), outside the checkout's var/.
    static = Path(tempfile.gettempdir()) / "lgnet-bench-web-static"
    with tempfile.TemporaryDirectory(prefix="lgnet-bench-web-") as tmp:
        work = Path(tmp)
        env = _environment(work, static)
        print(f"database {name}: migrate, seed_demo --scale {args.scale}", file=sys.stderr)
        timings["migrate_s"] = _lgnet(env, "migrate", "--no-input", "-v", "0")
        # The database remembers which demo it holds (seed_demo is idempotent, but slow).
        done = f"lgnet seed_demo --scale {args.scale}"
        if args.reseed or _seeded(server, name) != done:
            timings["seed_s"] = _lgnet(env, "seed_demo", "--scale", str(args.scale), LGNET_DEMO="1")
            _admin(server, f"COMMENT ON DATABASE \"{name}\" IS '{done}'")
        if not _static_is_current(static):
            timings["collectstatic_s"] = _lgnet(
                env, "collectstatic", "--no-input", "-v", "0", LGNET_ENV="production"
            )
        _setup(env)
        from django.db import connection

        city, persons = _busiest_city()
        print(
            f"latency in {city} ({persons} persons): {args.clients} clients x "
            f"{args.per_client} requests per endpoint",
            file=sys.stderr,
        )
        started = time.monotonic()
        load_before = os.getloadavg()[0]
        latency = _latency(args, env, work, city)
        latency["load_average"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
        timings["latency_s"] = time.monotonic() - started
        started = time.monotonic()
        queries = _queries()
        timings["queries_s"] = time.monotonic() - started
        connection.close()
    if args.drop:
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    timings["total_s"] = time.monotonic() - began
    results = {
        "date": date.today().isoformat(),  # noqa: DTZ011
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": _admin(server, "SHOW server_version")[0][0],
        },
        "setup": {
            "scale": args.scale,
            "city": city,
            "city_persons": persons,
            "clients": args.clients,
            "requests_per_client": args.per_client,
            "gunicorn_workers": args.workers,
        },
        "latency": latency,
        "queries_per_page": queries,
        "timings": {k: round(v, 1) for k, v in timings.items()},
    }
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    _print(results)


def _print(results: dict) -> None:
    latency = results["latency"]
    floor = latency["healthz"]
    setup = results["setup"]
    print(
        f"\nWeb latency, {setup['clients']} concurrent clients, "
        f"{setup['gunicorn_workers']} gunicorn workers, {setup['city']}: "
        f"{setup['city_persons']} persons (seed_demo --scale {setup['scale']})"
    )
    print(f"{'':<20}{'p50 ms':>9}{'p95 ms':>9}{'p50 ×':>8}{'p95 ×':>8}{'req/s':>8}  statuses")
    print(f"{'/healthz':<20}{floor['p50_ms']:>9}{floor['p95_ms']:>9}{1:>8}{1:>8}")
    for e in latency["endpoints"]:
        print(
            f"{e['name']:<20}{e['p50_ms']:>9}{e['p95_ms']:>9}{e['p50_ratio']:>8}"
            f"{e['p95_ratio']:>8}{e['throughput_rps']:>8}  {e['statuses']}"
        )
    print(f"\nSQL queries per request, at {' and '.join(str(n) for n in SIZES)} rows")
    for q in results["queries_per_page"]:
        values = [q[f"queries_{n}"] for n in SIZES]
        same = "constant" if len(set(values)) == 1 else "GROWS"
        print(f"{q['name']:<20}" + "".join(f"{v:>6}" for v in values) + f"  {same}")
    print(f"\nload average before/after the latency runs: {latency['load_average']}")
    print(f"timings: {results['timings']}")


if __name__ == "__main__":
    main()
