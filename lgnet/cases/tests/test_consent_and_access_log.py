"""A partner reads of a person only what the consent shares (issue 4); reads of legal status,
health, justice referrals and the names of the files are in the access log (issue 10)."""

import csv
import io
import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from lgnet.accounts.models import Membership
from lgnet.accounts.roles import Role
from lgnet.cases import services
from lgnet.cases.models import Direction, Referral
from lgnet.core.models import AccessLog
from lgnet.network.models import Organisation
from lgnet.people.services import register_person

PHONE = "3339876543"
BORN = date(1985, 7, 14)


def api(client, url, headers):
    return client.get(url, content_type="application/json", headers=headers)


def log_of(person, **filters) -> list[AccessLog]:
    with scopes_disabled():
        return list(AccessLog.objects.filter(person_id=person.pk, **filters).order_by("id"))


def new_person(world, n: int = 0):
    return register_person(
        actor=world.user("caseworker"),
        city=world.a.city,
        data={
            "given_names": f"Amina{n}",
            "family_names": "Toure",
            "sex": "F",
            "birth_date": BORN,
            "nationalities": ["ML"],
            "languages": ["bm", "fr"],
            "phone": PHONE,
            "legal_status": "asylum_request",
        },
    )


def refer(world, person, shares, *, organisation=None):
    """An open referral with the person's consent: through a case of theirs."""
    worker = world.user("caseworker")
    with scope(city=world.a.city):
        case = person.cases.first() or services.open_case(
            actor=worker, person=person, opened_on=date(2024, 3, 1)
        )
        return services.send_referral(
            actor=worker,
            case=case,
            organisation=organisation or world.a.partner,
            reason="Orientamento al lavoro",
            consent_on=date(2024, 3, 1),
            consent_shares=shares,
        )


def incoming(world, person, shares):
    """A second open referral of the same person by the same partner (UEPE-like, incoming)."""
    with scopes_disabled():
        return Referral.objects.create(
            city=world.a.city,
            direction=Direction.INCOMING,
            person=person,
            organisation=world.a.partner,
            reason="Segnalazione",
            consent_on=date(2024, 3, 2),
            consent_shares=shares,
            sent_on=date(2024, 3, 2),
            sent_by=world.user("partner"),
        )


# --- Issue 4: partner access respects consent --------------------------------------------


@pytest.fixture
def reason_only(world):
    """Referred to the partner with consent to share the reason only."""
    with scopes_disabled():
        person = new_person(world)
    refer(world, person, ["reason"])
    return person


def test_a_refused_field_reaches_the_partner_in_no_api_answer(world, client, bearer, reason_only):
    headers = bearer("partner")
    listed = api(client, "/api/v1/persons", headers).json()["items"]
    item = next(p for p in listed if p["id"] == reason_only.pk)
    detail = api(client, f"/api/v1/persons/{reason_only.pk}", headers).json()
    for seen in (item, detail):
        assert seen["given_names"] == "Amina0" and seen["family_names"] == "Toure"
        # Same keys as ever; what is not shared answers null or empty.
        assert seen["sex"] is None and seen["phone"] is None
        assert seen["birth_date"] is None and seen["birth_date_precision"] is None
        assert seen["languages"] == [] and seen["nationalities"] == []
        assert PHONE not in json.dumps(seen) and "1985" not in json.dumps(seen)
    # The person reached through an enrolment keeps the five fields.
    enrolled = next(p for p in listed if p["id"] == world.a.person.pk)
    assert enrolled["sex"] == "M" and enrolled["birth_date"] == "1990-01-01"


def test_a_refused_field_reaches_the_partner_in_no_page_and_no_export(
    world, client, login, reason_only
):
    login(world.user("partner"))
    page = client.get(f"/c/taranto/persons/{reason_only.pk}/").content.decode()
    assert "Amina0" in page
    assert PHONE not in page and "1985" not in page and "bm, fr" not in page
    listing = client.post("/c/taranto/persons/", {"q": "Toure"}).content.decode()
    assert "Amina0" in listing and "1985" not in listing
    export = client.post("/c/taranto/export/?kind=persons", {"format": "csv"})
    assert export.status_code == 200
    rows = {r["given_names"]: r for r in csv.DictReader(io.StringIO(export.content.decode()))}
    row = rows["Amina0"]
    assert row["sex"] == row["birth_date"] == row["birth_date_precision"] == ""
    assert row["languages"] == row["phone"] == ""
    assert PHONE not in export.content.decode()
    assert rows["Mohamed"]["birth_date"] == "1990-01-01"  # enrolled: the five fields


def test_the_partner_reads_the_union_of_its_open_referrals_consents(world, client, bearer):
    with scopes_disabled():
        person = new_person(world)
    refer(world, person, ["birth_year"])
    second = incoming(world, person, ["contact"])
    headers = bearer("partner")
    seen = api(client, f"/api/v1/persons/{person.pk}", headers).json()
    assert seen["sex"] == "F" and seen["birth_date"] == "1985-01-01"
    assert seen["phone"] == PHONE and seen["languages"] == []
    with scope(city=world.a.city):
        services.revoke_consent(actor=world.user("caseworker"), referral=second)
    seen = api(client, f"/api/v1/persons/{person.pk}", headers).json()
    assert seen["phone"] is None and seen["birth_date"] == "1985-01-01"


def test_an_enrolment_in_the_partners_activity_gives_the_five_fields(world, client, bearer):
    from lgnet.activities import services as activity_services

    with scopes_disabled():
        person = new_person(world)
    refer(world, person, ["reason"])
    with scope(city=world.a.city):
        activity_services.enrol(
            actor=world.user("caseworker"), activity=world.a.activity, person=person
        )
    seen = api(client, f"/api/v1/persons/{person.pk}", bearer("partner")).json()
    assert seen["sex"] == "F" and seen["birth_date"] == "1985-01-01"
    assert seen["languages"] == ["bm", "fr"] and seen["phone"] == PHONE


def test_the_partners_lists_read_a_constant_number_of_queries(world, client, bearer, login):
    headers = bearer("partner")
    login(world.user("partner"))

    def add(first, n):
        for i in range(first, first + n):
            with scopes_disabled():
                person = new_person(world, i)
            incoming(world, person, ["contact"] if i % 2 else ["birth_year", "languages"])

    def count(url, post=None):
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(url, post) if post is not None else api(client, url, headers)
            assert response.status_code == 200
        return len(ctx)

    add(0, 2)
    count("/api/v1/persons")  # the token's first use is recorded once
    api_list, page = count("/api/v1/persons"), count("/c/taranto/persons/", {"q": ""})
    export = count("/c/taranto/export/?kind=persons", {"format": "csv"})
    add(2, 8)
    assert count("/api/v1/persons") == api_list
    assert count("/c/taranto/persons/", {"q": ""}) == page
    assert count("/c/taranto/export/?kind=persons", {"format": "csv"}) == export


# --- Issue 10: the access log of sensitive reads --------------------------------------------


@pytest.fixture
def outsider(world, django_user_model):
    """A caseworker of the city who is on no team of the person."""
    user = django_user_model.objects.create_user("fuori", password="x" * 12)
    Membership.objects.create(user=user, role=Role.CASEWORKER, city=world.a.city)
    return user


def test_legal_status_reads_are_logged_on_the_person_page_and_api_detail_not_in_lists(
    world, client, login, bearer, outsider
):
    person = world.a.person
    login(world.user("caseworker"))  # on the case team
    assert client.get(f"/c/taranto/persons/{person.pk}/").status_code == 200
    mine = log_of(person, user=world.user("caseworker"))
    assert {e.what for e in mine} == {"legal_status", "vulnerabilities"}
    assert not any(e.outside_team for e in mine)
    login(outsider)
    page = client.get(f"/c/taranto/persons/{person.pk}/").content.decode()
    assert "homelessness" not in page
    (read,) = log_of(person, user=outsider)
    assert read.what == "legal_status" and read.outside_team and read.channel == "web"
    before = len(log_of(person))
    assert api(client, "/api/v1/persons", bearer("auditor")).status_code == 200
    assert client.post("/c/taranto/persons/", {"permit": "expiring"}).status_code == 200
    assert len(log_of(person)) == before  # lists log nothing
    assert api(client, f"/api/v1/persons/{person.pk}", bearer("auditor")).status_code == 200
    (read,) = log_of(person, user=world.user("auditor"))
    assert read.what == "legal_status" and read.channel == "api" and read.outside_team


def test_the_case_page_logs_health_and_file_names_in_one_insert(world, client, login, outsider):
    case, person = world.a.case, world.a.person
    with scope(city=world.a.city):
        services.record_assessment(
            actor=world.user("caseworker"),
            case=case,
            assessed_on=date(2024, 3, 5),
            levels={"health": 1, "housing": 2},
        )
    url = f"/c/taranto/cases/{case.pk}/"
    login(world.user("caseworker"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    inserts = [q for q in ctx.captured_queries if 'INSERT INTO "core_accesslog"' in q["sql"]]
    assert len(inserts) == 1
    assert {e.what for e in log_of(person, user=world.user("caseworker"))} == {
        "health",
        "attachments",
    }
    # The coordinator, not on the team, reads them too: flagged for review.
    login(world.user("coordinator"))
    client.get(url)
    reads = log_of(person, user=world.user("coordinator"))
    assert {e.what for e in reads} == {"health", "attachments"}
    assert all(e.outside_team for e in reads)
    # A caseworker outside the team sees no health level and no file: nothing to log.
    login(outsider)
    page = client.get(url).content.decode()
    assert 'data-testid="withheld"' in page and "consenso.pdf" not in page
    assert log_of(person, user=outsider) == []


def test_justice_referral_reads_are_logged_and_flagged_outside_the_team(
    world, client, login, bearer, outsider, django_user_model
):
    with scopes_disabled():
        uepe = Organisation.objects.create(
            city=world.a.city, name="UEPE Taranto", kind=Organisation.Kind.PUBLIC_OFFICE
        )
        officer = django_user_model.objects.create_user("uepe", password="x" * 12)
        officer_membership = Membership.objects.create(
            user=officer, role=Role.PARTNER_WORKER, city=world.a.city, organisation=uepe
        )
    referral = refer(world, world.a.person, ["reason"], organisation=uepe)
    what = f"justice_referral:{referral.pk}"
    login(outsider)
    assert client.get(f"/c/taranto/cases/{world.a.case.pk}/").status_code == 200
    assert client.get(f"/c/taranto/referrals/{referral.pk}/").status_code == 200
    reads = log_of(world.a.person, user=outsider, what=what)
    assert len(reads) == 2 and all(e.outside_team for e in reads)
    headers = bearer("caseworker")
    assert api(client, f"/api/v1/referrals/{referral.pk}", headers).status_code == 200
    (read,) = log_of(world.a.person, user=world.user("caseworker"), what=what)
    assert read.channel == "api" and not read.outside_team
    # The probation office it is addressed to reads it by consent: logged, not flagged.
    from lgnet.accounts.services import issue_token

    secret, _t = issue_token(membership=officer_membership)
    officer_headers = {"Authorization": f"Bearer {secret}"}
    assert api(client, f"/api/v1/referrals/{referral.pk}", officer_headers).status_code == 200
    (read,) = log_of(world.a.person, user=officer, what=what)
    assert not read.outside_team
    # A referral to a cooperative is no justice section.
    login(world.user("caseworker"))
    client.get(f"/c/taranto/referrals/{world.a.referral.pk}/")
    assert log_of(world.a.person, what=f"justice_referral:{world.a.referral.pk}") == []


def test_a_partner_cannot_filter_by_permit_or_nationality(world, client, bearer, reason_only):
    """The filters would tell what the fields hide: which referred person has an expiring
    permit or a given nationality. For a partner they are ignored."""
    headers = bearer("partner")
    everyone = {p["id"] for p in api(client, "/api/v1/persons", headers).json()["items"]}
    assert reason_only.pk in everyone
    for query in ("permit_expiring=true", "nationality=ML", "nationality=ZZ"):
        found = {p["id"] for p in api(client, f"/api/v1/persons?{query}", headers).json()["items"]}
        assert found == everyone, query


def test_health_goals_and_assessment_words_are_the_case_teams(world, client, login, outsider):
    case = world.a.case
    with scope(city=world.a.city):
        goal = services.add_goal(
            actor=world.user("caseworker"),
            case=case,
            domain="health",
            description="Visita cardiologica al Santissima Annunziata",
        )
        services.add_goal(
            actor=world.user("caseworker"),
            case=case,
            domain="housing",
            description="Cercare una stanza in affitto",
        )
        services.record_assessment(
            actor=world.user("caseworker"),
            case=case,
            assessed_on=date(2024, 3, 5),
            levels={"health": 1},
            summary="Diabete, segue la terapia",
        )
    url = f"/c/taranto/cases/{case.pk}/"
    login(world.user("caseworker"))  # on the team
    page = client.get(url).content.decode()
    assert "Santissima Annunziata" in page and "Diabete" in page
    login(outsider)
    page = client.get(url).content.decode()
    assert "Santissima Annunziata" not in page and "Diabete" not in page
    assert "Cercare una stanza in affitto" in page  # other domains stay shared
    update = f"/c/taranto/cases/{case.pk}/goals/{goal.pk}/"
    answer = client.post(update, {"status": "achieved", "outcome": "fatto"})
    assert answer.status_code == 403
