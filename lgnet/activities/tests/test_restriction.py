"""Art. 18 restriction in activities (decision 0012): a restricted person's enrolment and
certificates open only for the city coordinator (403 for everyone else); the activity's
page, the session's register and the API lists leave the person out; the activity still
counts the place."""

import json
from datetime import date

import pytest
from django_scopes import scopes_disabled

from lgnet.activities import services
from lgnet.activities.models import Attendance
from lgnet.privacy.services import set_restriction


def api(client, method, url, headers, body=None):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json", headers=headers)


@pytest.fixture
def restricted(world):
    """Mohamed Dialo, enrolled in the course and marked present on 2024-03-04, is restricted
    through the privacy service the person's privacy page uses."""
    with scopes_disabled():
        set_restriction(actor=world.user("coordinator"), person=world.a.person, restricted=True)
    return world


@pytest.mark.parametrize("actor", ["caseworker", "partner", "auditor"])
def test_a_restricted_persons_enrolment_and_certificates_are_refused(
    restricted, client, login, actor
):
    world = restricted
    base = f"/c/taranto/enrolments/{world.a.enrolment.pk}/"
    login(world.user(actor))
    for url in (base, base + "certificate/", base + "certificate.pdf"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Dialo" not in response.content.decode(errors="replace")


def test_the_city_coordinator_still_opens_the_enrolment_and_its_certificate(
    restricted, client, login
):
    world = restricted
    base = f"/c/taranto/enrolments/{world.a.enrolment.pk}/"
    login(world.user("coordinator"))
    page = client.get(base)
    assert page.status_code == 200 and "Dialo" in page.content.decode()
    certificate = client.get(base + "certificate/")
    assert certificate.status_code == 200 and "Dialo" in certificate.content.decode()


def test_a_caseworker_cannot_change_a_restricted_persons_enrolment(restricted, client, login):
    world = restricted
    base = f"/c/taranto/enrolments/{world.a.enrolment.pk}/"
    login(world.user("caseworker"))
    status = client.post(
        base + "status/", {"status": "dropped_out", "reason": "x", "on": "2024-03-05"}
    )
    assert status.status_code == 403
    assert client.post(base + "levels/", {"entry_level": "A1"}).status_code == 403
    world.a.enrolment.refresh_from_db()
    assert world.a.enrolment.status != "dropped_out" and world.a.enrolment.entry_level == ""


def test_the_activity_page_leaves_a_restricted_person_out_but_counts_the_place(
    restricted, client, login
):
    world = restricted
    url = f"/c/taranto/activities/{world.a.activity.pk}/"
    login(world.user("caseworker"))
    page = client.get(url)
    assert page.status_code == 200 and "Dialo" not in page.content.decode()
    listed = client.get("/c/taranto/activities/")
    [activity] = [a for a in listed.context["page"] if a.pk == world.a.activity.pk]
    assert activity.enrolled_count == 1
    login(world.user("coordinator"))
    assert "Dialo" in client.get(url).content.decode()


def test_the_register_leaves_a_restricted_person_out_and_refuses_their_mark(
    restricted, client, login
):
    world = restricted
    url = f"/c/taranto/sessions/{world.a.session.pk}/"
    login(world.user("partner"))
    register = client.get(url)
    assert register.status_code == 200 and "Dialo" not in register.content.decode()
    assert register.context["rows"] == []
    marked = client.post(
        url + "mark/", {"enrolment": world.a.enrolment.pk, "status": "absent"}, HTTP_HX_REQUEST="1"
    )
    assert marked.status_code == 400
    with scopes_disabled():
        assert Attendance.objects.get(enrolment=world.a.enrolment).status == "present"
    login(world.user("coordinator"))
    register = client.get(url)
    assert "Dialo" in register.content.decode() and len(register.context["rows"]) == 1


def test_the_api_refuses_a_restricted_persons_enrolment(restricted, client, bearer):
    world = restricted
    worker = bearer("caseworker")
    listed = api(client, "get", "/api/v1/enrolments", worker).json()
    assert world.a.enrolment.pk not in [e["id"] for e in listed["items"]]
    detail = f"/api/v1/enrolments/{world.a.enrolment.pk}"
    refused = api(client, "get", detail, worker)
    assert refused.status_code == 403 and "Dialo" not in refused.content.decode()
    assert api(client, "patch", detail, worker, {"entry_level": "A1"}).status_code == 403
    register = api(client, "get", f"/api/v1/sessions/{world.a.session.pk}/attendance", worker)
    assert register.status_code == 200
    assert world.a.person.pk not in [row["person"] for row in register.json()["items"]]
    # Nor can the caseworker mark the restricted person through the API.
    marked = client.put(
        f"/api/v1/sessions/{world.a.session.pk}/attendance",
        {"items": [{"person": world.a.person.pk, "status": "absent"}]},
        content_type="application/json",
        headers=worker,
    )
    assert marked.status_code == 400, marked.content
    coordinator = bearer("coordinator")
    assert api(client, "get", detail, coordinator).status_code == 200
    register = api(client, "get", f"/api/v1/sessions/{world.a.session.pk}/attendance", coordinator)
    assert [row["person"] for row in register.json()["items"]] == [world.a.person.pk]


def test_the_api_leaves_a_restricted_persons_language_certificates_out(restricted, client, bearer):
    world = restricted
    with scopes_disabled():
        services.record_language_certificate(
            actor=world.user("coordinator"),
            person=world.a.person,
            level="A2",
            issuer="cpia",
            issued_on=date(2024, 2, 1),
        )
    listed = api(client, "get", "/api/v1/language-certificates", bearer("caseworker")).json()
    assert listed["items"] == []
    listed = api(client, "get", "/api/v1/language-certificates", bearer("coordinator")).json()
    assert [c["person"] for c in listed["items"]] == [world.a.person.pk]


def test_other_city_gets_404_for_a_restricted_enrolment(restricted, client, login):
    world = restricted
    login(world.user("outsider"))
    assert client.get(f"/c/taranto/enrolments/{world.a.enrolment.pk}/").status_code == 404
    assert client.get(f"/c/milano/enrolments/{world.a.enrolment.pk}/").status_code == 404
