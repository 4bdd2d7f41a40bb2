"""The registry through its services, API and pages."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lgnet.core.exceptions import RuleBroken
from lgnet.people import linkage, selectors, services
from lgnet.people.models import Contact, Person


def api(client, method, url, headers, body=None):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json", headers=headers)


def test_registering_needs_only_names_sex_and_birth_date(client, world, bearer):
    response = api(
        client,
        "post",
        "/api/v1/persons",
        bearer("caseworker"),
        {
            "given_names": "Amina",
            "family_names": "Yusuf",
            "sex": "F",
            "birth_date": "1995-07-04",
            "birth_date_precision": "year",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["birth_date"] == "1995-01-01"  # a year-only date is stored as 1 January
    assert body["city"] == "taranto" and body["nationalities"] == []
    missing = api(client, "post", "/api/v1/persons", bearer("caseworker"), {"given_names": "A"})
    assert missing.status_code == 400
    assert {e["field"] for e in missing.json()["errors"]} >= {"family_names", "sex", "birth_date"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("codice_fiscale", "RSSMRA80A01H501X"),
        ("codice_fiscale", "12345678901"),
        ("nationalities", ["XX"]),
        ("languages", ["klingon"]),
        ("vulnerabilities", ["unknown_code"]),
        ("birth_date", "2999-01-01"),
    ],
)
def test_bad_identity_fields_answer_400_on_the_field(client, world, bearer, field, value):
    body = {
        "given_names": "A",
        "family_names": "B",
        "sex": "M",
        "birth_date": "1990-01-01",
        field: value,
    }
    response = api(client, "post", "/api/v1/persons", bearer("caseworker"), body)
    assert response.status_code == 400
    assert field in {e["field"] for e in response.json()["errors"]}


def test_a_provisional_code_of_other_digits_is_refused_not_crashed(client, world, bearer):
    """Superscript digits pass str.isdigit but not int(): a field error, not a 500; other
    scripts' digits (which int() reads) are no provisional code either."""
    for code in ["¹²³⁴⁵⁶⁷⁸⁹⁰¹", "٠١٢٣٤٥٦٧٨٩٧"]:
        body = {"given_names": "Mario", "family_names": "Rossi", "sex": "M"}
        body |= {"birth_date": "1980-01-01", "codice_fiscale": code}
        response = api(client, "post", "/api/v1/persons", bearer("caseworker"), body)
        assert response.status_code == 400, (code, response.content)
        assert "codice_fiscale" in {e["field"] for e in response.json()["errors"]}


def test_valid_codice_fiscale_and_provisional_code_are_accepted(client, world, bearer):
    for code in ["RSSMRA80A01H501U", "rssmra80a01h501u", "01234567897"]:
        response = api(
            client,
            "post",
            "/api/v1/persons",
            bearer("caseworker"),
            {
                "given_names": "Mario",
                "family_names": "Rossi",
                "sex": "M",
                "birth_date": "1980-01-01",
                "codice_fiscale": code,
            },
        )
        assert response.status_code == 201, (code, response.content)
        assert response.json()["codice_fiscale"] == code.upper()


def test_match_finds_the_variant_first_with_reasons(client, world, bearer):
    response = api(
        client,
        "post",
        "/api/v1/persons/match",
        bearer("caseworker"),
        {
            "given_names": "Muhammad",
            "family_names": "Diallo",
            "sex": "M",
            "birth_date": "1990-01-01",
            "birth_date_precision": "year",
        },
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert {i["id"] for i in items} == {world.a.person.pk, world.a.other_person.pk}
    assert all(0 <= i["score"] <= 1 and i["reasons"] for i in items)
    assert items[0]["score"] >= items[-1]["score"]


def test_match_never_crosses_cities(client, world, bearer):
    items = api(
        client,
        "post",
        "/api/v1/persons/match",
        bearer("outsider"),
        {"given_names": "Mohamed", "family_names": "Dialo", "sex": "M", "birth_date": "1990-03-12"},
    ).json()["items"]
    assert {i["id"] for i in items} == {world.b.person.pk, world.b.other_person.pk}


def test_matching_a_batch_finds_what_matching_one_by_one_finds(
    world, django_assert_max_num_queries
):
    queries = [
        selectors.candidate_of(Person(given_names=g, family_names=f, sex=s, birth_date=b))
        for g, f, s, b in [
            ("Muhammad", "Diallo", "M", date(1990, 3, 12)),
            ("Dialo", "Mohamed", "M", date(1990, 3, 12)),
            ("Mohamed", "Dialo", "F", date(1971, 8, 30)),
            ("Amadou", "Barry", "M", date(1990, 3, 12)),
        ]
    ]
    with scope(city=world.a.city):
        one_by_one = [
            [(s.person.pk, s.score) for s in selectors.find_matches(world.a.city, q, limit=3)]
            for q in queries
        ]
        with django_assert_max_num_queries(3):
            batch = selectors.find_matches_many(world.a.city, queries, limit=3)
        assert [[(s.person.pk, s.score) for s in found] for found in batch] == one_by_one
        assert {pk for pk, _score in one_by_one[0]} == {world.a.person.pk, world.a.other_person.pk}
        earlier = selectors.find_matches_many(
            world.a.city, queries, created_before=world.a.person.created_at
        )
        assert earlier == [[], [], [], []]


def test_outreach_workers_see_and_write_minimal_data_only(client, world, bearer):
    headers = bearer("outreach")
    person = api(client, "get", f"/api/v1/persons/{world.a.person.pk}", headers).json()
    assert person["family_names"] == "Dialo"
    assert person["vulnerabilities"] is None and person["codice_fiscale"] is None
    refused = api(
        client,
        "post",
        "/api/v1/persons",
        headers,
        {
            "given_names": "A",
            "family_names": "B",
            "sex": "M",
            "birth_date": "1990-01-01",
            "vulnerabilities": ["trafficking"],
        },
    )
    assert refused.status_code == 403
    ok = api(
        client,
        "post",
        "/api/v1/persons",
        headers,
        {"given_names": "A", "family_names": "B", "sex": "M", "birth_date": "1990-01-01"},
    )
    assert ok.status_code == 201


def test_vulnerabilities_are_shown_to_the_coordinator_and_the_recorder_only(
    client, world, bearer, django_user_model
):
    from lgnet.accounts.models import Membership
    from lgnet.accounts.roles import Role

    other = django_user_model.objects.create_user("second.caseworker", password="x" * 12)
    Membership.objects.create(user=other, role=Role.CASEWORKER, city=world.a.city)
    url = f"/api/v1/persons/{world.a.person.pk}"
    assert api(client, "get", url, bearer("coordinator")).json()["vulnerabilities"] == [
        "homelessness"
    ]
    assert api(client, "get", url, bearer("caseworker")).json()["vulnerabilities"] == [
        "homelessness"
    ]
    from lgnet.accounts.services import issue_token

    secret, _ = issue_token(membership=Membership.objects.get(user=other))
    seen = api(client, "get", url, {"Authorization": f"Bearer {secret}"}).json()
    assert seen["vulnerabilities"] is None
    refused = api(
        client, "patch", url, {"Authorization": f"Bearer {secret}"}, {"vulnerabilities": []}
    )
    assert refused.status_code == 403


def test_permit_expiring_within_sixty_days_is_flagged_and_filtered(client, world, bearer):
    soon = timezone.localdate() + timedelta(days=30)
    api(
        client,
        "patch",
        f"/api/v1/persons/{world.a.person.pk}",
        bearer("caseworker"),
        {"legal_status": "special_protection", "permit_expiry": soon.isoformat()},
    )
    body = api(client, "get", "/api/v1/persons?permit_expiring=true", bearer("caseworker")).json()
    assert [p["id"] for p in body["items"]] == [world.a.person.pk]
    assert body["items"][0]["permit_expiring_soon"] is True


def test_person_list_has_constant_queries(client, world, bearer, django_assert_max_num_queries):
    with scopes_disabled():
        for i in range(30):
            services.register_person(
                actor=world.user("caseworker"),
                city=world.a.city,
                data={
                    "given_names": f"Nome{i}",
                    "family_names": "Test",
                    "sex": "F",
                    "birth_date": date(1980, 1, 1),
                },
            )
    headers = bearer("caseworker")
    with django_assert_max_num_queries(6):
        body = api(client, "get", "/api/v1/persons?limit=100", headers).json()
    assert body["count"] == 32


def test_contacts_anonymous_then_linked(client, world, bearer):
    headers = bearer("outreach")
    created = api(
        client,
        "post",
        "/api/v1/contacts",
        headers,
        {
            "channel": "street",
            "place": "Stazione",
            "anonymous_sex": "M",
            "anonymous_age_band": "25-34",
            "anonymous_nationality": "ng",
            "needs": ["food"],
            "help_given": ["food"],
            "outcome": "sent_to_desk",
        },
    )
    assert created.status_code == 201
    contact = created.json()
    assert contact["person"] is None and contact["anonymous_nationality"] == "NG"
    linked = api(
        client, "patch", f"/api/v1/contacts/{contact['id']}", headers, {"person": world.a.person.pk}
    )
    assert linked.status_code == 200
    assert linked.json()["person"] == world.a.person.pk
    assert linked.json()["anonymous_sex"] == ""  # the description gives way to the person
    foreign = api(
        client, "patch", f"/api/v1/contacts/{contact['id']}", headers, {"person": world.b.person.pk}
    )
    assert foreign.status_code == 404


def test_outreach_workers_see_only_their_own_contacts(client, world, bearer):
    with scopes_disabled():
        services.record_contact(
            actor=world.user("caseworker"),
            city=world.a.city,
            data={"channel": "desk", "outcome": "taken_in_charge"},
        )
    mine = api(client, "get", "/api/v1/contacts", bearer("outreach")).json()
    assert [c["recorded_by"] for c in mine["items"]] == ["outreach"]
    everyone = api(client, "get", "/api/v1/contacts", bearer("caseworker")).json()
    assert everyone["count"] == 2


def test_merge_moves_links_keeps_a_pointer_and_is_audited(world):
    from lgnet.core.models import AuditEvent

    a, b = world.a.person, world.a.other_person
    with scope(city=world.a.city):
        Contact.objects.filter(pk=world.a.contact.pk).update(person=b)
        services.add_household_link(
            actor=world.user("caseworker"),
            person=b,
            relation="child",
            relative=None,
            name="Awa",
            birth_year=2015,
        )
        services.merge_persons(
            actor=world.user("caseworker"), survivor=a, duplicate=b, take=["birth_date_precision"]
        )
        a.refresh_from_db()
        b.refresh_from_db()
        assert b.merged_into == a
        assert Contact.objects.get(pk=world.a.contact.pk).person == a
        assert a.household.get().name == "Awa"
        assert "Muhammad Diallo" in a.aliases
        assert b not in selectors.list_persons(world.a.city)
        assert selectors.find_matches(world.a.city, selectors.candidate_of(a), exclude={a.pk}) == []
        with pytest.raises(RuleBroken):
            services.merge_persons(actor=world.user("caseworker"), survivor=a, duplicate=b)
    assert AuditEvent.objects.filter(action="person.merged", target_id=str(a.pk)).exists()


def test_not_the_same_person_is_remembered(world):
    with scope(city=world.a.city):
        pairs = selectors.likely_pairs(world.a.city)
        assert [(p["a"].pk, p["b"].pk) for p in pairs] == [
            (world.a.person.pk, world.a.other_person.pk)
        ]
        services.mark_not_same(
            actor=world.user("coordinator"), a=world.a.other_person, b=world.a.person
        )
        assert selectors.likely_pairs(world.a.city) == []


def test_linkage_counts_people_across_cities_without_names(world):
    with scopes_disabled():
        rows = selectors.network_linkage_rows([world.a.city.pk, world.b.city.pk])
    assert all(len(row) == 3 for row in rows)
    assert not any("Dialo" in str(value) for row in rows for value in row)
    counts = linkage.count_unique(rows)
    # Each city holds Mohamed Dialo and Muhammad Diallo: the same two people twice.
    assert counts["records"] == 4
    assert counts["unique_persons"] == 2
    assert counts["in_several_cities"] == 2


def test_linkage_keys_change_with_the_network_secret(settings):
    first = linkage.cf_key("RSSMRA80A01H501U")
    settings.LGNET_LINKAGE_KEY = "another-secret"
    assert linkage.cf_key("RSSMRA80A01H501U") != first
    assert "RSSMRA" not in first


def test_network_coordinator_gets_stored_counts_under_disclosure_control(
    client, world, bearer, login, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = "/api/v1/network/unique-persons?edition=LGNET2"
    headers = bearer("network")
    before = api(client, "get", url, headers).json()
    assert before["computed_at"] is None and before["unique_persons"] is None
    with scopes_disabled():
        linkage.refresh_network_count(world.edition)
    # Four records, two people, both in two cities: every figure is under the threshold.
    body = api(client, "get", url, headers).json()
    assert body["records"] is None and body["unique_persons"] is None
    settings.LGNET_DISCLOSURE_THRESHOLD = 1
    body = api(client, "get", url, headers).json()
    assert (body["cities"], body["records"], body["unique_persons"]) == (2, 4, 2)
    assert body["in_several_cities"] == 2
    # The network's pages read the stored row, never the registry.
    login(world.user("network"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/rete/").status_code == 200
        assert api(client, "get", url, {}).status_code == 200
    assert not [q["sql"] for q in ctx if "people_person" in q["sql"]]


def test_intake_page_warns_about_a_likely_duplicate_and_needs_confirmation(client, world, login):
    login(world.user("caseworker"))
    url = "/c/taranto/persons/new/"
    candidates = client.post(
        "/c/taranto/persons/candidates/",
        {"given_names": "Muhammad", "family_names": "Diallo", "birth_year": "1990"},
    )
    assert b"Dialo" in candidates.content and b'data-testid="candidate"' in candidates.content
    data = {
        "given_names": "Muhammad",
        "family_names": "Diallo",
        "sex": "M",
        "birth_year": "1990",
        "birth_date_precision": "day",
        "legal_status": "unknown",
    }
    first = client.post(url, data)
    assert first.status_code == 400
    assert b'name="confirm_new"' in first.content
    with scope(city=world.a.city):
        assert Person.objects.count() == 2
    second = client.post(url, {**data, "confirm_new": "1"})
    assert second.status_code == 302
    with scope(city=world.a.city):
        created = Person.objects.get(pk=second["Location"].rstrip("/").split("/")[-1])
    assert created.birth_date == date(1990, 1, 1) and created.birth_date_precision == "year"


def test_street_contact_form_on_the_phone(client, world, login):
    login(world.user("outreach"))
    page = client.get("/c/taranto/contacts/new/")
    assert page.status_code == 200
    response = client.post(
        "/c/taranto/contacts/new/",
        {
            "channel": "street",
            "place": "Lungomare",
            "anonymous_sex": "F",
            "anonymous_age_band": "18-24",
            "needs": ["shelter"],
            "help_given": ["blanket"],
            "outcome": "sent_to_desk",
        },
    )
    assert response.status_code == 400  # "blanket" is not a kind of help
    response = client.post(
        "/c/taranto/contacts/new/",
        {
            "channel": "street",
            "place": "Lungomare",
            "anonymous_sex": "F",
            "anonymous_age_band": "18-24",
            "needs": ["shelter"],
            "help_given": ["clothing"],
            "outcome": "sent_to_desk",
        },
    )
    assert response.status_code == 302
    with scope(city=world.a.city):
        assert Contact.objects.filter(place="Lungomare", recorded_by=world.user("outreach"))


def test_person_page_and_merge_page_render(client, world, login):
    login(world.user("coordinator"))
    detail = client.get(f"/c/taranto/persons/{world.a.person.pk}/")
    assert detail.status_code == 200
    assert b"Senza dimora" in detail.content  # the vulnerability, by its label
    merge = client.get(f"/c/taranto/persons/{world.a.person.pk}/merge/{world.a.other_person.pk}/")
    assert merge.status_code == 200
    done = client.post(
        f"/c/taranto/persons/{world.a.person.pk}/merge/{world.a.other_person.pk}/",
        {"take": ["birth_date_precision"]},
    )
    assert done.status_code == 302
    old = client.get(f"/c/taranto/persons/{world.a.other_person.pk}/")
    assert b"merged into" in old.content or b"unito" in old.content.lower()


def test_editing_a_person_keeps_untouched_lists_and_records_changes(client, world, login):
    login(world.user("coordinator"))
    url = f"/c/taranto/persons/{world.a.person.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, [])}
    data.update(
        {
            "birth_date": "1990-03-12",
            "nationality": "GN",
            "second_nationality": "SN",
            "languages": ["fr", "wo"],
            "other_languages": "ff",
            "phone": "333 1234567",
            "vulnerabilities": ["homelessness"],
        }
    )
    data.pop("birth_year", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    world.a.person.refresh_from_db()
    assert world.a.person.nationalities == ["GN", "SN"]
    assert world.a.person.languages == ["fr", "wo", "ff"]
    assert world.a.person.phone == "333 1234567"
