"""Many operators clicking at once: the exclusion constraints give a bed (or a person) once.

Real separate connections: each thread has its own Django connection, and the test runs with
transaction=True so every request commits as in production.
"""

import json
import threading
import time
from datetime import date

import psycopg
import pytest
from django.db import connection, connections
from django.test import Client
from django_scopes import scopes_disabled

from lgnet.accounts.services import issue_token
from lgnet.core.exceptions import RuleBroken
from lgnet.housing import services
from lgnet.housing.models import Placement
from lgnet.people.services import register_person

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8


@pytest.fixture(autouse=True)
def catalogue(transactional_db):
    """A transactional test empties the tables after it: put back the network's catalogue
    (a data migration) that the shared world needs."""
    from lgnet.cases.catalogue import ensure_network_catalogue

    ensure_network_catalogue()


def _post_all(bodies: list[dict], token: str) -> list[int]:
    """POST every body to /api/v1/placements at the same moment, one thread each."""
    barrier = threading.Barrier(len(bodies))
    answers: list[int] = [0] * len(bodies)

    def run(index: int, body: dict) -> None:
        try:
            client = Client()
            barrier.wait(timeout=30)
            response = client.post(
                "/api/v1/placements",
                data=json.dumps(body),
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
            answers[index] = response.status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, b)) for i, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def _persons(world, count: int) -> list:
    with scopes_disabled():
        return [
            register_person(
                actor=world.user("caseworker"),
                city=world.a.city,
                data={
                    "given_names": f"Concurrent{i}",
                    "family_names": "Test",
                    "sex": "M",
                    "birth_date": date(1990, 1, 1),
                },
            )
            for i in range(count)
        ]


def test_many_people_one_bed_same_dates_exactly_one_wins(world):
    token, _ = issue_token(membership=world.memberships["caseworker"])
    persons = _persons(world, THREADS)
    bed = world.a.spare_bed.pk
    bodies = [
        {"person": p.pk, "bed": bed, "start_date": "2025-01-10", "end_date": "2025-02-10"}
        for p in persons
    ]
    answers = _post_all(bodies, token)
    assert sorted(answers) == [201] + [409] * (THREADS - 1), answers
    with scopes_disabled():
        assert Placement.objects.filter(bed_id=bed).count() == 1


def test_one_person_many_beds_at_once_exactly_one_wins(world):
    token, _ = issue_token(membership=world.memberships["caseworker"])
    with scopes_disabled():
        beds = [
            services.save_bed(
                actor=world.user("coordinator"),
                facility=world.a.facility,
                changes={"label": f"C{i}"},
            )
            for i in range(THREADS)
        ]
    person = world.a.other_person.pk
    bodies = [{"person": person, "bed": b.pk, "start_date": "2025-03-01"} for b in beds]
    answers = _post_all(bodies, token)
    assert sorted(answers) == [201] + [409] * (THREADS - 1), answers
    with scopes_disabled():
        assert Placement.objects.filter(person_id=person).count() == 1


def test_adjacent_ranges_commit_side_by_side_and_overlaps_do_not(world):
    token, _ = issue_token(membership=world.memberships["caseworker"])
    first, second, third = _persons(world, 3)
    bed = world.a.spare_bed.pk
    answers = _post_all(
        [
            {"person": first.pk, "bed": bed, "start_date": "2025-05-01", "end_date": "2025-05-10"},
            {"person": second.pk, "bed": bed, "start_date": "2025-05-10", "end_date": "2025-05-20"},
        ],
        token,
    )
    assert answers == [201, 201]
    late = _post_all(
        [{"person": third.pk, "bed": bed, "start_date": "2025-05-19", "end_date": "2025-05-21"}],
        token,
    )
    assert late == [409]


def _raw_connection() -> psycopg.Connection:
    """A second session on the test database, outside Django (a transaction left open)."""
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
    )


RAW_INSERT = """
INSERT INTO housing_placement (created_at, updated_at, start_date, end_date, exit_reason,
    exit_notes, bed_id, city_id, created_by_id, person_id)
VALUES (now(), now(), %s, %s, '', '', %s, %s, %s, %s)
"""


def _waiting_on_a_lock(database: str) -> bool:
    with _raw_connection() as probe:
        row = probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            [database],
        ).fetchone()
    return bool(row and row[0])


def test_two_writers_waiting_for_each_other_end_in_409_never_a_server_error(world):
    """Two transactions that each wait for the other's placement (PostgreSQL's deadlock):
    the service's write is the one aborted, it is tried again and answers 409, not 500."""
    [newcomer] = _persons(world, 1)
    with scopes_disabled():
        other_bed = services.save_bed(
            actor=world.user("coordinator"), facility=world.a.facility, changes={"label": "D1"}
        )
    person, bed, actor = world.a.other_person, world.a.spare_bed, world.user("caseworker")
    start, end = date(2025, 9, 1), date(2025, 9, 30)
    database = connection.settings_dict["NAME"]
    other = _raw_connection()
    outcome: list = []
    try:
        # The other writer never gives up first: the service's write is the deadlock's victim.
        other.execute("SET deadlock_timeout = '30s'")
        other.execute(RAW_INSERT, [start, end, other_bed.pk, world.a.city.pk, actor.pk, person.pk])

        def place() -> None:
            try:
                with scopes_disabled():
                    services.place_person(
                        actor=actor, person=person, bed=bed, start_date=start, end_date=end
                    )
                outcome.append("placed")
            except RuleBroken as error:
                outcome.append((error.status, error.field))
            except Exception as error:  # noqa: BLE001 - the test reports what escaped
                outcome.append(repr(error))
            finally:
                connections.close_all()

        thread = threading.Thread(target=place)
        thread.start()
        deadline = time.monotonic() + 20
        while not _waiting_on_a_lock(database):  # the service waits for the other's person row
            assert time.monotonic() < deadline, "the service never waited"
            time.sleep(0.05)
        # Now the other writer wants the bed the service is inserting into: each waits for
        # the other until PostgreSQL aborts the service's write (deadlock_timeout, 1 s).
        other.execute(RAW_INSERT, [start, end, bed.pk, world.a.city.pk, actor.pk, newcomer.pk])
        other.commit()
        thread.join(timeout=30)
    finally:
        other.close()
    # Tried again, the write meets both rows of the other writer: the bed or the person.
    assert outcome in ([(409, "bed")], [(409, "person")]), outcome
    with scopes_disabled():
        assert Placement.objects.filter(person=person).count() == 1
        assert Placement.objects.filter(bed=bed).get().person == newcomer
