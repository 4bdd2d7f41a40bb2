"""What an API fuzz run (schemathesis) found: each answer is a 4xx with the error format, not a 500.

Every 4xx answers {"detail": "...", "errors": [{"field", "message"}]}.
"""

import json

import pytest
from django.db import IntegrityError
from django_scopes import scopes_disabled

from lgnet.network.models import Organisation, Site
from lgnet.people.choices import Outcome
from lgnet.people.models import Contact, Person


def send(client, method, url, body, headers):
    return client.generic(
        method, url, json.dumps(body), content_type="application/json", headers=headers
    )


def assert_error_shape(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], list)
    for error in body["errors"]:
        assert set(error) == {"field", "message"}
    return body


def fields(body) -> set[str]:
    return {e["field"] for e in body["errors"]}


# PATCH with null for a field that cannot be empty: was a TypeError (set(None)) -> 500.


def test_patching_a_contact_with_null_lists_answers_400(client, world, bearer):
    url = f"/api/v1/contacts/{world.a.contact.pk}"
    body = {"needs": None, "help_given": None, "outcome": None}
    response = send(client, "PATCH", url, body, bearer("outreach"))
    assert fields(assert_error_shape(response, 400)) == {"needs", "help_given", "outcome"}
    with scopes_disabled():
        world.a.contact.refresh_from_db()
    assert world.a.contact.outcome == Outcome.SENT_TO_DESK


def test_patching_a_person_with_null_required_fields_answers_400(client, world, bearer):
    url = f"/api/v1/persons/{world.a.person.pk}"
    body = {"given_names": None, "sex": None, "aliases": None, "vulnerabilities": None}
    response = send(client, "PATCH", url, body, bearer("caseworker"))
    assert fields(assert_error_shape(response, 400)) == {
        "given_names",
        "sex",
        "aliases",
        "vulnerabilities",
    }


def test_fields_left_out_of_a_patch_stay_as_they_are(client, world, bearer):
    url = f"/api/v1/persons/{world.a.person.pk}"
    response = send(client, "PATCH", url, {"phone": "3331234567"}, bearer("caseworker"))
    assert response.status_code == 200, response.content
    with scopes_disabled():
        person = Person.objects.get(pk=world.a.person.pk)
    assert (person.phone, person.sex, person.given_names) == ("3331234567", "M", "Mohamed")
    assert person.vulnerabilities == ["homelessness"]


def test_patching_a_site_with_null_name_or_flag_answers_400(client, world, bearer):
    url = f"/api/v1/sites/{world.a.site.pk}"
    response = send(client, "PATCH", url, {"name": None, "is_active": None}, bearer("coordinator"))
    assert fields(assert_error_shape(response, 400)) == {"name", "is_active"}
    response = send(client, "PATCH", url, {"organisation": None}, bearer("coordinator"))
    assert response.status_code == 200 and response.json()["organisation"] is None


# A second person with the same external id: was an IntegrityError -> 500.


def test_a_duplicate_external_id_answers_409(client, world, bearer):
    body = {
        "given_names": "Awa",
        "family_names": "Traore",
        "sex": "F",
        "birth_date": "1995-05-05",
        "external_id": "PRATICA-1",
    }
    headers = bearer("caseworker")
    assert send(client, "POST", "/api/v1/persons", body, headers).status_code == 201
    response = send(client, "POST", "/api/v1/persons", body, headers)
    assert fields(assert_error_shape(response, 409)) == {"external_id"}
    # Another city may use the same id.
    response = send(client, "POST", "/api/v1/persons", body, bearer("outsider_caseworker"))
    assert response.status_code == 201, response.content


def test_a_database_conflict_the_services_missed_answers_409(client, world, bearer, monkeypatch):
    def conflict(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr("lgnet.people.services.record_contact", conflict)
    body = {"channel": "street", "outcome": "sent_to_desk"}
    response = send(client, "POST", "/api/v1/contacts", body, bearer("outreach"))
    body = assert_error_shape(response, 409)
    assert "constraint" not in body["detail"]


# Contact times: a time without offset was compared with an aware one (TypeError -> 500);
# year 1 at +14:00 was stored as year 0 BC, and reading the contact back failed.


def test_a_contact_time_without_offset_is_read_as_local_time(client, world, bearer):
    body = {"channel": "street", "outcome": "sent_to_desk", "occurred_at": "2024-01-10T10:00:00"}
    response = send(client, "POST", "/api/v1/contacts", body, bearer("outreach"))
    assert response.status_code == 201, response.content
    assert response.json()["occurred_at"].startswith("2024-01-10T10:00:00+01:00")


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+14:00", "1999-12-31T23:00:00Z"])
def test_a_contact_time_before_2000_answers_400(client, world, bearer, when):
    body = {"channel": "street", "outcome": "sent_to_desk", "occurred_at": when}
    headers = bearer("outreach")
    response = send(client, "POST", "/api/v1/contacts", body, headers)
    assert fields(assert_error_shape(response, 400)) == {"occurred_at"}
    url = f"/api/v1/contacts/{world.a.contact.pk}"
    response = send(client, "PATCH", url, {"occurred_at": when}, headers)
    assert fields(assert_error_shape(response, 400)) == {"occurred_at"}
    with scopes_disabled():
        assert Contact.objects.filter(occurred_at__year__lt=2000).count() == 0


# The OpenAPI document: two models' "Kind" choices shared one component, so organisation
# answers failed their published schema and ?kind=health was refused.


def test_each_choice_list_has_its_own_name_in_the_openapi_document(client, db):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schemas["OrganisationKind"]["enum"] == list(Organisation.Kind.values)
    assert schemas["SiteKind"]["enum"] == list(Site.Kind.values)
    assert schemas["ContactOutcome"]["enum"] == list(Outcome.values)


def test_organisations_filter_by_their_own_kinds(client, world, bearer):
    response = client.get("/api/v1/organisations?kind=comune", headers=bearer("coordinator"))
    assert response.status_code == 200
    assert [o["name"] for o in response.json()["items"]] == ["Comune di Taranto"]
    response = client.get("/api/v1/sites?kind=comune", headers=bearer("coordinator"))
    assert fields(assert_error_shape(response, 400)) == {"kind"}


def test_patch_schemas_do_not_offer_null_for_fields_that_cannot_be_empty(client, db):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    person = schemas["PersonPatch"]["properties"]
    assert person["aliases"] == {
        "items": {"type": "string"},
        "maxItems": 10,
        "title": "Aliases",
        "type": "array",
    }
    assert "anyOf" in person["permit_expiry"]  # may be cleared with null


def test_every_operation_documents_its_error_answers(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    ours = ("/api/v1/auth", "/api/v1/me", "/api/v1/memberships", "/api/v1/persons")
    ours += ("/api/v1/contacts", "/api/v1/editions", "/api/v1/cities", "/api/v1/organisations")
    ours += ("/api/v1/agreements", "/api/v1/sites", "/api/v1/network")
    for path, operations in paths.items():
        if not path.startswith(ours):
            continue
        for method, operation in operations.items():
            if path == "/api/v1/auth/token":
                continue  # no authentication there
            assert "401" in operation["responses"], (method, path)


# Error answers outside the operations keep the format.


def test_a_wrong_method_answers_405_in_the_error_format(client, world, bearer):
    response = client.delete("/api/v1/me", headers=bearer("coordinator"))
    assert_error_shape(response, 405)
    assert response["Allow"] == "GET"
    url = f"/api/v1/persons/{world.a.person.pk}"
    response = send(client, "PUT", url, {}, bearer("coordinator"))
    assert_error_shape(response, 405)
    assert response["Allow"] == "GET, PATCH"


EDITION = {"code": "LGNET9", "name": "LgNet9", "starts_on": "2030-01-01", "ends_on": "2030-12-31"}


@pytest.mark.parametrize(
    ("method", "url", "body", "auth", "status"),
    [
        ("GET", "/api/v1/persons/999999999", None, True, 404),
        ("GET", "/api/v1/persons/99999999999999999999", None, True, 404),
        ("GET", "/api/v1/no-such-thing", None, True, 404),
        ("GET", "/api/v1/persons/abc", None, True, 400),
        ("GET", "/api/v1/persons?limit=0&offset=-1", None, True, 400),
        ("GET", "/api/v1/persons?q=a%00b", None, True, 400),
        ("POST", "/api/v1/persons", {"given_names": ""}, True, 400),
        ("GET", "/api/v1/persons", None, False, 401),
        ("POST", "/api/v1/editions", EDITION, True, 403),
    ],
)
def test_client_errors_keep_the_error_format(
    client, world, bearer, method, url, body, auth, status
):
    headers = bearer("caseworker") if auth else {}
    data = "" if body is None else json.dumps(body)
    response = client.generic(method, url, data, content_type="application/json", headers=headers)
    assert_error_shape(response, status)


# Bodies Django cannot read: were a MultiPartParserError / RequestDataTooBig -> 500.


def test_multipart_without_boundary_answers_400(client, db):
    body = json.dumps({"username": "nobody-here", "password": "wrong"})
    response = client.generic(
        "POST", "/api/v1/auth/token", body, content_type="multipart/form-data"
    )
    assert_error_shape(response, 400)


def test_a_body_over_the_upload_limit_answers_413(client, world, bearer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"given_names": "x" * 2000, "family_names": "y", "sex": "F", "birth_date": "1990-01-01"}
    response = send(client, "POST", "/api/v1/persons", body, bearer("caseworker"))
    assert_error_shape(response, 413)


# A session's start_time with a time zone ("00:00:00Z"): saved without it, then the answer could
# not be written as JSON (ValueError: timezone-aware times) -> 500. Found by the CI fuzz run.


@pytest.mark.parametrize("start_time", ["00:00:00Z", "09:30:00+02:00"])
def test_a_session_start_time_with_a_time_zone_answers_400(client, world, bearer, start_time):
    session = world.a.session
    url = f"/api/v1/sessions/{session.pk}"
    response = send(client, "PATCH", url, {"start_time": start_time}, bearer("caseworker"))
    assert fields(assert_error_shape(response, 400)) == {"start_time"}
    body = {"activity": session.activity_id, "date": str(session.date), "hours": 2}
    response = send(
        client, "POST", "/api/v1/sessions", {**body, "start_time": start_time}, bearer("caseworker")
    )
    assert fields(assert_error_shape(response, 400)) == {"start_time"}
    response = send(client, "PATCH", url, {"start_time": "09:30:00"}, bearer("caseworker"))
    assert response.status_code == 200, response.content
    assert response.json()["start_time"] == "09:30:00"
