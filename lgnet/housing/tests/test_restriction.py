"""Art. 18 restriction in housing (decision 0012): a restricted person's placement, request
and rent support open only for the city coordinator (403 for everyone else), lists leave
them out, and the occupancy board shows the bed taken without the name."""

import json
from datetime import date

import pytest
from django_scopes import scopes_disabled

from lgnet.housing import services
from lgnet.privacy.services import set_restriction

T = "/c/taranto/housing"


def restrict(world, person) -> None:
    """Through the privacy service the person's privacy page uses."""
    with scopes_disabled():
        set_restriction(actor=world.user("coordinator"), person=person, restricted=True)


def api(client, method, url, headers, body=None):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json", headers=headers)


@pytest.fixture
def restricted(world):
    """Mohamed Dialo (placed in bed 1A, with a rent support) is restricted; Muhammad Diallo
    (on the waiting list) is not."""
    restrict(world, world.a.person)
    return world


@pytest.mark.parametrize("actor", ["caseworker", "auditor"])
def test_a_restricted_persons_placement_is_refused_to_everyone_but_the_coordinator(
    restricted, client, login, actor
):
    world = restricted
    url = f"{T}/placements/{world.a.placement.pk}/"
    login(world.user(actor))
    refused = client.get(url)
    assert refused.status_code == 403
    assert "Dialo" not in refused.content.decode()
    login(world.user("coordinator"))
    page = client.get(url)
    assert page.status_code == 200 and "Dialo" in page.content.decode()


def test_a_restricted_persons_placement_cannot_be_changed_by_a_caseworker(
    restricted, client, login
):
    world = restricted
    login(world.user("caseworker"))
    pk = world.a.placement.pk
    ended = client.post(
        f"{T}/placements/{pk}/end/", {"end_date": "2024-05-01", "exit_reason": "left"}
    )
    assert ended.status_code == 403
    moved = client.post(f"{T}/placements/{pk}/move/", {"bed": world.a.spare_bed.pk})
    assert moved.status_code == 403
    world.a.placement.refresh_from_db()
    assert world.a.placement.end_date == date(2024, 6, 1) and world.a.placement.exit_reason == ""


def test_the_placement_list_leaves_a_restricted_person_out(restricted, client, login):
    world = restricted
    login(world.user("caseworker"))
    page = client.get(f"{T}/placements/", {"show": "all"})
    assert page.status_code == 200
    assert "Dialo" not in page.content.decode()
    assert page.content.decode().count('data-testid="placement-row"') == 0
    login(world.user("coordinator"))
    page = client.get(f"{T}/placements/", {"show": "all"})
    assert "Dialo" in page.content.decode()


def test_the_board_shows_the_bed_taken_without_the_name(restricted, client, login):
    world = restricted
    url = f"{T}/facilities/{world.a.facility.pk}/board/"
    login(world.user("caseworker"))
    board = client.get(url, {"start": "2024-03-04"})
    assert board.status_code == 200
    text = board.content.decode()
    assert "Dialo" not in text and "Mohamed" not in text
    # The bed is still shown occupied (one placement segment); the week is otherwise free.
    assert text.count('data-testid="board-placement"') == 1
    login(world.user("coordinator"))
    board = client.get(url, {"start": "2024-03-04"})
    assert "Dialo" in board.content.decode()
    assert board.content.decode().count('data-testid="board-placement"') == 1


def test_a_restricted_persons_housing_request_is_refused_and_left_off_the_waiting_list(
    world, client, login
):
    restrict(world, world.a.other_person)
    request_url = f"{T}/requests/{world.a.housing_request.pk}/"
    login(world.user("caseworker"))
    waiting = client.get(f"{T}/waiting-list/")
    assert waiting.status_code == 200
    assert "Diallo" not in waiting.content.decode()
    assert client.get(request_url).status_code == 403
    offer = client.post(
        request_url + "offer/", {"bed": world.a.spare_bed.pk, "start_date": "2024-04-01"}
    )
    assert offer.status_code == 403
    assert client.post(request_url + "withdraw/").status_code == 403
    # The housing home still counts the request: a number names nobody.
    assert client.get(f"{T}/").context["totals"]["waiting"] == 1
    world.a.housing_request.refresh_from_db()
    assert world.a.housing_request.status == "waiting"
    login(world.user("coordinator"))
    assert "Diallo" in client.get(f"{T}/waiting-list/").content.decode()
    assert client.get(request_url).status_code == 200


def test_a_restricted_persons_rent_support_is_refused_and_left_out_of_lists(
    restricted, client, login
):
    world = restricted
    support_url = f"{T}/rent-supports/{world.a.rent_support.pk}/"
    landlord_url = f"{T}/landlords/{world.a.landlord.pk}/"
    login(world.user("caseworker"))
    rents = client.get(f"{T}/rent-supports/")
    assert rents.status_code == 200 and "Dialo" not in rents.content.decode()
    landlord = client.get(landlord_url)
    assert landlord.status_code == 200 and "Dialo" not in landlord.content.decode()
    assert client.get(support_url).status_code == 403
    paid = client.post(support_url + "payments/", {"paid_on": "2023-06-30", "amount": "200"})
    assert paid.status_code == 403
    with scopes_disabled():
        assert not world.a.rent_support.payments.exists()
    login(world.user("coordinator"))
    assert "Dialo" in client.get(f"{T}/rent-supports/").content.decode()
    assert "Dialo" in client.get(landlord_url).content.decode()
    assert client.get(support_url).status_code == 200


def test_a_restricted_persons_autonomy_path_is_left_out_and_closed(restricted, client, login):
    world = restricted
    with scopes_disabled():
        services.end_placement(
            actor=world.user("coordinator"),
            placement=world.a.placement,
            end_date=date(2024, 5, 1),
            exit_reason="autonomous_housing",
        )
    login(world.user("caseworker"))
    autonomy = client.get(f"{T}/autonomy/")
    assert autonomy.status_code == 200 and "Dialo" not in autonomy.content.decode()
    milestone = client.post(
        f"{T}/persons/{world.a.person.pk}/milestones/",
        {"milestone-kind": "lease_signed", "milestone-reached_on": "2024-05-02"},
    )
    assert milestone.status_code == 403
    login(world.user("coordinator"))
    assert "Dialo" in client.get(f"{T}/autonomy/").content.decode()


def test_the_api_refuses_a_restricted_persons_housing_records(restricted, client, bearer):
    world = restricted
    worker = bearer("caseworker")
    placements = api(client, "get", "/api/v1/placements", worker).json()
    assert world.a.placement.pk not in [p["id"] for p in placements["items"]]
    detail = f"/api/v1/placements/{world.a.placement.pk}"
    assert api(client, "get", detail, worker).status_code == 403
    assert api(client, "patch", detail, worker, {"exit_notes": "x"}).status_code == 403
    supports = api(client, "get", "/api/v1/rent-supports", worker).json()
    assert world.a.rent_support.pk not in [s["id"] for s in supports["items"]]
    support = f"/api/v1/rent-supports/{world.a.rent_support.pk}"
    assert api(client, "patch", support, worker, {"months": 7}).status_code == 403
    paid = api(
        client, "post", support + "/payments", worker, {"paid_on": "2023-06-30", "amount": "200"}
    )
    assert paid.status_code == 403
    refused = api(client, "get", support, worker)
    assert refused.status_code == 403 and "planned_total" not in refused.json()
    coordinator = bearer("coordinator")
    assert api(client, "get", detail, coordinator).status_code == 200
    assert api(client, "get", support, coordinator).status_code == 200
    placements = api(client, "get", "/api/v1/placements", coordinator).json()
    assert world.a.placement.pk in [p["id"] for p in placements["items"]]


def test_the_api_waiting_list_leaves_a_restricted_person_out(world, client, bearer):
    restrict(world, world.a.other_person)
    worker = bearer("caseworker")
    listed = api(client, "get", "/api/v1/housing-requests", worker).json()
    assert listed["items"] == [] and listed["count"] == 0
    detail = f"/api/v1/housing-requests/{world.a.housing_request.pk}"
    assert api(client, "get", detail, worker).status_code == 403
    coordinator = bearer("coordinator")
    listed = api(client, "get", "/api/v1/housing-requests", coordinator).json()
    assert [r["id"] for r in listed["items"]] == [world.a.housing_request.pk]


def test_other_city_gets_404_for_a_restricted_placement(restricted, client, login):
    world = restricted
    login(world.user("outsider"))
    assert client.get(f"{T}/placements/{world.a.placement.pk}/").status_code == 404
    response = client.get(f"/c/milano/housing/placements/{world.a.placement.pk}/")
    assert response.status_code == 404
