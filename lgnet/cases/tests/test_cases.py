"""Cases: opening, numbering, closing, services, and how they meet the registry."""

import json
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lgnet.cases import services
from lgnet.cases.models import Case, ServiceType
from lgnet.core.exceptions import RuleBroken


def api(client, method, url, headers, body=None):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json", headers=headers)


def test_post_case_defaults_to_today_and_numbers_by_city_and_year(client, world, bearer):
    response = api(
        client, "post", "/api/v1/cases", bearer("caseworker"), {"person": world.a.other_person.pk}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["opened_on"] == timezone.localdate().isoformat()
    assert body["status"] == "open" and body["areas"] == ["taking_in_charge"]
    assert body["number"] == f"TA-{timezone.localdate().year}-0001"


def test_cases_recorded_late_keep_their_date_but_not_a_future_one(client, world, bearer):
    headers = bearer("caseworker")
    late = api(
        client,
        "post",
        "/api/v1/cases",
        headers,
        {"person": world.a.other_person.pk, "opened_on": "2023-02-01"},
    )
    assert late.status_code == 201 and late.json()["number"] == "TA-2023-0001"
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    with scopes_disabled():
        services.close_case(
            actor=world.user("caseworker"),
            case=Case.objects.get(pk=late.json()["id"]),
            outcome="goals_reached",
            closed_on=date(2023, 5, 1),
        )
    refused = api(
        client,
        "post",
        "/api/v1/cases",
        headers,
        {"person": world.a.other_person.pk, "opened_on": future},
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "opened_on"


def test_one_open_case_per_person_also_in_the_database(client, world, bearer):
    second = api(
        client, "post", "/api/v1/cases", bearer("caseworker"), {"person": world.a.person.pk}
    )
    assert second.status_code == 409
    with scope(city=world.a.city), pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            city=world.a.city,
            person=world.a.person,
            number="X-1",
            opened_on=date(2024, 1, 1),
            manager=world.user("caseworker"),
        )


def test_close_then_reopen_and_successive_cases(world):
    user = world.user("caseworker")
    with scope(city=world.a.city):
        case = world.a.case
        with pytest.raises(RuleBroken):
            services.close_case(actor=user, case=case, outcome="nonsense")
        services.close_case(
            actor=user, case=case, outcome="lost_to_follow_up", closed_on=date(2024, 6, 1)
        )
        assert case.status == "closed" and case.closed_on == date(2024, 6, 1)
        newer = services.open_case(actor=user, person=world.a.person, opened_on=date(2024, 9, 1))
        with pytest.raises(RuleBroken):
            services.reopen_case(actor=user, case=case)  # the person has a newer open case
        services.close_case(actor=user, case=newer, outcome="goals_reached")
        services.reopen_case(actor=user, case=case)
        assert case.status == "active" and case.outcome == "" and case.closed_on is None


def test_services_fall_inside_the_case_and_use_the_catalogue(client, world, bearer):
    headers = bearer("caseworker")
    before = api(
        client,
        "post",
        "/api/v1/services",
        headers,
        {"case": world.a.case.pk, "service_type": "legal_advice", "delivered_on": "2024-02-01"},
    )
    assert before.status_code == 400 and before.json()["errors"][0]["field"] == "delivered_on"
    unknown = api(
        client,
        "post",
        "/api/v1/services",
        headers,
        {"case": world.a.case.pk, "service_type": "astrology", "delivered_on": "2024-03-05"},
    )
    assert unknown.status_code == 404
    ok = api(
        client,
        "post",
        "/api/v1/services",
        headers,
        {
            "case": world.a.case.pk,
            "service_type": "cash_support",
            "delivered_on": "2024-03-05",
            "quantity": "250.00",
            "provider": world.a.partner.pk,
        },
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["counted_as"] == "cash_support"
    foreign = api(
        client,
        "post",
        "/api/v1/services",
        headers,
        {
            "case": world.a.case.pk,
            "service_type": "orientation",
            "delivered_on": "2024-03-05",
            "provider": world.b.partner.pk,
        },
    )
    assert foreign.status_code == 404


def test_a_local_service_type_counts_as_its_network_type(client, world, bearer):
    with scopes_disabled():
        network = ServiceType.objects.get(code="orientation", city=None)
        ServiceType.objects.create(
            code="sportello-serale",
            name_it="Sportello serale",
            name_en="Evening desk",
            city=world.a.city,
            network_type=network,
        )
    response = api(
        client,
        "post",
        "/api/v1/services",
        bearer("caseworker"),
        {"case": world.a.case.pk, "service_type": "sportello-serale", "delivered_on": "2024-03-05"},
    )
    assert response.status_code == 201
    assert response.json()["counted_as"] == "orientation"
    elsewhere = api(
        client,
        "post",
        "/api/v1/services",
        bearer("outsider_caseworker"),
        {"case": world.b.case.pk, "service_type": "sportello-serale", "delivered_on": "2024-03-05"},
    )
    assert elsewhere.status_code == 404


def test_recording_a_service_activates_an_open_case(world):
    with scope(city=world.a.city):
        world.a.case.refresh_from_db()
        assert world.a.case.status == "active"


def test_the_case_team_sees_vulnerabilities(client, world, bearer, django_user_model):
    from lgnet.accounts.models import Membership
    from lgnet.accounts.roles import Role
    from lgnet.accounts.services import issue_token

    colleague = django_user_model.objects.create_user("collega", password="x" * 12)
    membership = Membership.objects.create(user=colleague, role=Role.CASEWORKER, city=world.a.city)
    secret, _ = issue_token(membership=membership)
    headers = {"Authorization": f"Bearer {secret}"}
    url = f"/api/v1/persons/{world.a.person.pk}"
    assert api(client, "get", url, headers).json()["vulnerabilities"] is None
    with scope(city=world.a.city):
        services.update_case(actor=world.user("caseworker"), case=world.a.case, team=[colleague])
    assert api(client, "get", url, headers).json()["vulnerabilities"] == ["homelessness"]


def test_merging_two_records_with_open_cases_is_refused(world):
    from lgnet.people.services import merge_persons

    with scope(city=world.a.city):
        services.open_case(
            actor=world.user("caseworker"), person=world.a.other_person, opened_on=date(2024, 1, 5)
        )
        with pytest.raises(RuleBroken):
            merge_persons(
                actor=world.user("caseworker"),
                survivor=world.a.person,
                duplicate=world.a.other_person,
            )


def test_merge_moves_cases_and_services(world):
    from lgnet.people.services import merge_persons

    with scope(city=world.a.city):
        merge_persons(
            actor=world.user("caseworker"), survivor=world.a.other_person, duplicate=world.a.person
        )
        world.a.case.refresh_from_db()
        world.a.service.refresh_from_db()
        assert world.a.case.person == world.a.other_person
        assert world.a.service.person == world.a.other_person


def test_case_list_queries_do_not_grow(client, world, login, bearer, django_assert_max_num_queries):
    from lgnet.people.services import register_person

    with scopes_disabled():
        for i in range(20):
            person = register_person(
                actor=world.user("caseworker"),
                city=world.a.city,
                data={
                    "given_names": f"N{i}",
                    "family_names": "Test",
                    "sex": "F",
                    "birth_date": date(1990, 1, 1),
                },
            )
            services.open_case(
                actor=world.user("caseworker"), person=person, opened_on=date(2024, 1, 1)
            )
    headers = bearer("caseworker")
    with django_assert_max_num_queries(6):
        assert api(client, "get", "/api/v1/cases?limit=100", headers).json()["count"] == 21
    login(world.user("caseworker"))
    with django_assert_max_num_queries(14):
        assert client.get("/c/taranto/cases/").status_code == 200


def test_pages_take_in_charge_record_a_service_and_close(client, world, login):
    login(world.user("caseworker"))
    person = world.a.other_person
    page = client.get(f"/c/taranto/cases/new/?person={person.pk}")
    assert page.status_code == 200
    created = client.post(
        "/c/taranto/cases/new/",
        {"person": person.pk, "opened_on": "2024-02-01", "areas": ["housing"]},
    )
    assert created.status_code == 302
    case_url = created["Location"]
    added = client.post(
        case_url + "services/",
        {
            "service_type": ServiceType.objects.get(code="emergency_night").pk,
            "delivered_on": "2024-02-02",
            "quantity": "3",
        },
    )
    assert added.status_code == 302
    closed = client.post(
        case_url + "close/", {"outcome": "goals_reached", "closed_on": "2024-03-01"}
    )
    assert closed.status_code == 302
    detail = client.get(case_url)
    assert detail.status_code == 200
    assert b'data-testid="service-row"' in detail.content
    person_page = client.get(f"/c/taranto/persons/{person.pk}/")
    assert b"TA-2024-" in person_page.content


def test_the_network_coordinator_reads_no_case(client, world, bearer):
    assert api(client, "get", "/api/v1/cases", bearer("network")).status_code == 403
    assert (
        api(client, "get", f"/api/v1/cases/{world.a.case.pk}", bearer("network")).status_code == 403
    )
