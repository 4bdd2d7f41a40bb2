"""Many operators clicking at once: the exclusion constraints give a bed (or a person) once.

Real separate connections: each thread has its own Django connection, and the test runs with
transaction=True so every request commits as in production.
"""

import json
import threading
from datetime import date

import pytest
from django.db import connections
from django.test import Client
from django_scopes import scopes_disabled

from lgnet.accounts.services import issue_token
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
