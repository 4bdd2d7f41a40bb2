"""The housing API: the DESIGN §6 placement contract, errors, lists without N+1."""

import json
from datetime import date

import pytest
from django_scopes import scopes_disabled

from lgnet.housing import services
from lgnet.people.services import register_person


def call(client, method, url, headers, body=None):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json", headers=headers)


def test_post_placement_answers_201_then_409_when_the_bed_is_taken(client, world, bearer):
    headers = bearer("caseworker")
    body = {"person": world.a.other_person.pk, "bed": world.a.bed.pk, "start_date": "2024-05-01"}
    taken = call(client, "post", "/api/v1/placements", headers, body)
    assert taken.status_code == 409
    answer = taken.json()
    assert answer["errors"] == [{"field": "bed", "message": answer["detail"]}]
    assert "housing_placement" not in answer["detail"]  # never the database's text
    body["start_date"] = "2024-06-01"  # the day the previous person leaves
    created = call(client, "post", "/api/v1/placements", headers, body)
    assert created.status_code == 201, created.content
    placed = created.json()
    assert placed["person"] == world.a.other_person.pk and placed["bed"] == world.a.bed.pk
    assert (placed["start_date"], placed["end_date"]) == ("2024-06-01", None)
    assert placed["facility"] == world.a.facility.pk


def test_a_placement_links_the_persons_open_case(client, world, bearer):
    response = call(
        client,
        "post",
        "/api/v1/placements",
        bearer("caseworker"),
        {"person": world.a.person.pk, "bed": world.a.spare_bed.pk, "start_date": "2024-07-01"},
    )
    assert response.status_code == 201
    assert response.json()["case"] == world.a.case.pk


@pytest.mark.parametrize(
    "body, status",
    [
        ({"person": "x", "bed": 1, "start_date": "2024-01-01"}, 400),
        ({"person": 1, "bed": 1, "start_date": "2024-13-45"}, 400),
        ({"person": 10**12, "bed": 1, "start_date": "2024-01-01"}, 404),
        ({"person": None, "bed": None, "start_date": None}, 400),
    ],
)
def test_bad_placement_bodies_are_4xx(client, world, bearer, body, status):
    response = call(client, "post", "/api/v1/placements", bearer("caseworker"), body)
    assert response.status_code == status, response.content
    assert set(response.json()) >= {"detail", "errors"}


def test_other_citys_ids_in_the_body_are_404(client, world, bearer):
    headers = bearer("caseworker")
    foreign_bed = {
        "person": world.a.other_person.pk,
        "bed": world.b.bed.pk,
        "start_date": "2024-07-01",
    }
    foreign_person = {
        "person": world.b.person.pk,
        "bed": world.a.bed.pk,
        "start_date": "2024-07-01",
    }
    assert call(client, "post", "/api/v1/placements", headers, foreign_bed).status_code == 404
    assert call(client, "post", "/api/v1/placements", headers, foreign_person).status_code == 404


def test_other_city_gets_404(client, world, bearer):
    headers = bearer("outsider")
    for url in (
        f"/api/v1/facilities/{world.a.facility.pk}",
        f"/api/v1/beds/{world.a.bed.pk}",
        f"/api/v1/placements/{world.a.placement.pk}",
        f"/api/v1/landlords/{world.a.landlord.pk}",
        f"/api/v1/rent-supports/{world.a.rent_support.pk}",
        f"/api/v1/housing-requests/{world.a.housing_request.pk}",
    ):
        assert call(client, "get", url, headers).status_code == 404, url


def test_end_date_before_start_and_exit_reason_without_end_are_400(client, world, bearer):
    headers = bearer("caseworker")
    bad = call(
        client,
        "post",
        "/api/v1/placements",
        headers,
        {
            "person": world.a.other_person.pk,
            "bed": world.a.spare_bed.pk,
            "start_date": "2024-07-01",
            "end_date": "2024-07-01",
        },
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "end_date"
    url = f"/api/v1/placements/{world.a.placement.pk}"
    no_end = call(client, "patch", url, headers, {"end_date": None, "exit_reason": "family"})
    assert no_end.status_code == 400


def test_patch_extends_ends_and_reopens_a_placement(client, world, bearer):
    headers = bearer("caseworker")
    url = f"/api/v1/placements/{world.a.placement.pk}"
    extended = call(client, "patch", url, headers, {"end_date": "2024-08-01"})
    assert extended.status_code == 200 and extended.json()["end_date"] == "2024-08-01"
    ended = call(
        client, "patch", url, headers, {"end_date": "2024-07-15", "exit_reason": "another_project"}
    )
    assert ended.json()["exit_reason"] == "another_project"
    open_ended = call(client, "patch", url, headers, {"end_date": None, "exit_reason": None})
    assert open_ended.status_code == 200
    assert (open_ended.json()["end_date"], open_ended.json()["exit_reason"]) == (None, "")


def test_move_by_api_keeps_the_dates_together(client, world, bearer):
    response = call(
        client,
        "post",
        f"/api/v1/placements/{world.a.placement.pk}/move",
        bearer("caseworker"),
        {"bed": world.a.spare_bed.pk, "on": "2024-04-15"},
    )
    assert response.status_code == 201
    moved = response.json()
    assert (moved["bed"], moved["start_date"], moved["end_date"]) == (
        world.a.spare_bed.pk,
        "2024-04-15",
        "2024-06-01",
    )
    assert moved["moved_from"] == world.a.placement.pk


def test_waiting_list_offer_by_api(client, world, bearer):
    headers = bearer("caseworker")
    listed = call(client, "get", "/api/v1/housing-requests", headers).json()
    assert [r["id"] for r in listed["items"]] == [world.a.housing_request.pk]
    offer = call(
        client,
        "post",
        f"/api/v1/housing-requests/{world.a.housing_request.pk}/offer",
        headers,
        {"bed": world.a.bed.pk, "start_date": "2024-04-01"},
    )
    assert offer.status_code == 409  # bed 1A is taken then
    offer = call(
        client,
        "post",
        f"/api/v1/housing-requests/{world.a.housing_request.pk}/offer",
        headers,
        {"bed": world.a.bed.pk, "start_date": "2024-06-01"},
    )
    assert offer.status_code == 201
    again = call(client, "get", f"/api/v1/housing-requests/{world.a.housing_request.pk}", headers)
    assert again.json()["status"] == "placed" and again.json()["placement"] == offer.json()["id"]


def test_rent_support_payments_and_the_planned_total(client, world, bearer):
    headers = bearer("caseworker")
    created = call(
        client,
        "post",
        "/api/v1/rent-supports",
        headers,
        {
            "person": world.a.other_person.pk,
            "landlord": world.a.landlord.pk,
            "start_date": "2023-09-01",
            "months": 2,
            "monthly_rent": "450.00",
            "contribution": "250.00",
            "household_size": 3,
        },
    )
    assert created.status_code == 201, created.content
    support = created.json()
    assert support["edition"] == "LGNET2" and support["household_size"] == 3
    assert (float(support["planned_total"]), float(support["paid"])) == (500, 0)
    url = f"/api/v1/rent-supports/{support['id']}/payments"
    for day in ("2023-09-05", "2023-10-05"):
        assert (
            call(client, "post", url, headers, {"paid_on": day, "amount": "250"}).status_code == 201
        )
    over = call(client, "post", url, headers, {"paid_on": "2023-11-05", "amount": "10"})
    assert over.status_code == 409 and over.json()["errors"][0]["field"] == "amount"
    detail = call(client, "get", f"/api/v1/rent-supports/{support['id']}", headers).json()
    assert float(detail["paid"]) == 500 and len(detail["payments"]) == 2
    more = call(
        client, "post", "/api/v1/rent-supports", headers, {**support, "contribution": "999"}
    )
    assert more.status_code == 400


def test_landlords_and_facilities_need_the_manage_capability(client, world, bearer):
    body = {"kind": "company", "name": "Case Popolari srl"}
    assert call(client, "post", "/api/v1/landlords", bearer("caseworker"), body).status_code == 403
    assert call(client, "post", "/api/v1/landlords", bearer("coordinator"), body).status_code == 201


def test_lists_do_not_grow_in_queries(client, world, bearer, django_assert_max_num_queries):
    headers = bearer("caseworker")

    def counts():
        out = {}
        for url in (
            "/api/v1/placements",
            "/api/v1/facilities",
            "/api/v1/beds",
            "/api/v1/rent-supports",
            "/api/v1/landlords",
            "/api/v1/housing-requests",
        ):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                assert call(client, "get", url + "?limit=100", headers).status_code == 200
            out[url] = len(captured)
        return out

    before = counts()
    user = world.user("coordinator")
    with scopes_disabled():
        for i in range(12):
            person = register_person(
                actor=user,
                city=world.a.city,
                data={
                    "given_names": f"N{i}",
                    "family_names": "T",
                    "sex": "M",
                    "birth_date": date(1990, 1, 1),
                },
            )
            bed = services.save_bed(
                actor=user, facility=world.a.facility, changes={"label": f"N{i}"}
            )
            services.place_person(actor=user, person=person, bed=bed, start_date=date(2024, 1, 1))
            services.add_request(actor=user, person=person, data={})
            landlord = services.save_landlord(
                actor=user, city=world.a.city, changes={"kind": "person", "name": f"L{i}"}
            )
            support = services.create_rent_support(
                actor=user,
                person=person,
                data={
                    "landlord": landlord,
                    "start_date": date(2023, 3, 1),
                    "months": 3,
                    "monthly_rent": 300,
                    "contribution": 100,
                },
            )
            services.record_payment(
                actor=user, support=support, paid_on=date(2023, 3, 5), amount=100
            )
    after = counts()
    # The first call may also touch the token; the point is that 12 more rows cost nothing.
    assert all(after[url] <= before[url] for url in before), (before, after)
    with django_assert_max_num_queries(8):
        call(client, "get", "/api/v1/rent-supports?limit=100", headers)


def test_beds_free_on_a_night_with_filters(client, world, bearer):
    headers = bearer("auditor")
    free = call(client, "get", "/api/v1/beds?free_on=2024-04-01", headers).json()
    assert [b["label"] for b in free["items"]] == ["1B"]
    after = call(client, "get", "/api/v1/beds?free_on=2024-06-01", headers).json()
    assert sorted(b["label"] for b in after["items"]) == ["1A", "1B"]  # the day of leaving
    women = call(client, "get", "/api/v1/beds?free_on=2024-06-01&women_only=true", headers)
    assert women.json()["count"] == 0
    body = {
        "person": world.a.other_person.pk,
        "bed": world.a.spare_bed.pk,
        "start_date": "2024-07-01",
    }
    assert call(client, "post", "/api/v1/placements", headers, body).status_code == 403  # read-only
