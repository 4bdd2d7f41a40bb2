"""What a social worker does every day on a case, through the pages: areas and team, the
start of the plan, the list's filters, the timeline; closing a case ends the partners' access;
a partner rejects or records its service from its inbox."""

import re
from datetime import date

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from lgnet.accounts.models import Membership
from lgnet.accounts.roles import Role
from lgnet.accounts.services import issue_token
from lgnet.cases import services
from lgnet.cases.models import (
    Case,
    CaseMember,
    Referral,
    ReferralStatus,
    Service,
    ServiceType,
    Status,
)


def _headers(world, name: str) -> dict:
    secret, _t = issue_token(membership=world.memberships[name])
    return {"Authorization": f"Bearer {secret}"}


def _partner_reads(client, world, person) -> int:
    return client.get(
        f"/api/v1/persons/{person.pk}", headers=_headers(world, "partner")
    ).status_code


def _case_with_referral(world, *, accepted: bool = False):
    """A case of the other person (not enrolled with the partner: a referral is the partner's
    only way to reach them) and a referral of it to the partner."""
    worker = world.user("caseworker")
    with scope(city=world.a.city):
        case = services.open_case(
            actor=worker, person=world.a.other_person, opened_on=date(2024, 2, 1)
        )
        referral = services.send_referral(
            actor=worker,
            case=case,
            organisation=world.a.partner,
            reason="Corso sui diritti dei lavoratori",
            consent_on=date(2024, 2, 1),
            consent_shares=["contact", "birth_year", "languages", "reason"],
        )
        if accepted:
            services.accept_referral(
                actor=world.user("partner"),
                membership=world.memberships["partner"],
                referral=referral,
            )
    return case, referral


def _section(html: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}".*?</section>', html, re.S)
    assert match, section_id
    return match.group(0)


# --- The case page ---------------------------------------------------------------------------


def test_the_case_page_names_the_areas_and_changes_areas_manager_and_team(
    world, client, login, django_user_model
):
    colleague = django_user_model.objects.create_user("collega", password="x" * 12)
    Membership.objects.create(user=colleague, role=Role.CASEWORKER, city=world.a.city)
    login(world.user("caseworker"))
    url = f"/c/taranto/cases/{world.a.case.pk}/"
    page = client.get(url).content.decode()
    areas = re.findall(r'data-testid="case-area">([^<]+)<', page)
    assert areas and "taking_in_charge" not in areas  # the label, not the code
    response = client.post(
        url + "team/",
        {
            "areas": ["taking_in_charge", "housing"],
            "manager": world.user("caseworker").pk,
            "team": [colleague.pk],
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        case = Case.objects.get(pk=world.a.case.pk)
        members = set(CaseMember.objects.filter(case=case).values_list("user_id", flat=True))
    assert case.areas == ["taking_in_charge", "housing"]
    assert members == {world.user("caseworker").pk, colleague.pk}
    # No area at all is refused, and nothing changes.
    refused = client.post(url + "team/", {"manager": world.user("caseworker").pk})
    assert refused.status_code == 400
    with scopes_disabled():
        assert Case.objects.get(pk=case.pk).areas == ["taking_in_charge", "housing"]


def test_the_plan_starts_from_the_case_page(world, client, login):
    with scope(city=world.a.city):
        case = services.open_case(
            actor=world.user("caseworker"), person=world.a.other_person, opened_on=date(2024, 2, 1)
        )
    login(world.user("caseworker"))
    url = f"/c/taranto/cases/{case.pk}/"
    assert f'action="{url}activate/"' in client.get(url).content.decode()
    assert client.post(url + "activate/").status_code == 302
    with scopes_disabled():
        assert Case.objects.get(pk=case.pk).status == Status.ACTIVE
    assert f'action="{url}activate/"' not in client.get(url).content.decode()
    login(world.user("auditor"))
    assert client.post(url + "activate/").status_code == 403


def test_the_timeline_holds_every_kind_of_work_but_no_confidential_text(world, client, login):
    from lgnet.people.services import record_contact

    worker, membership = world.user("caseworker"), world.memberships["caseworker"]
    with scope(city=world.a.city):
        record_contact(
            actor=worker,
            city=world.a.city,
            data={"channel": "desk", "outcome": "sent_to_desk", "person": world.a.person},
        )
        services.record_assessment(
            actor=worker, case=world.a.case, assessed_on=date(2024, 3, 5), levels={"housing": 1}
        )
        services.write_note(
            actor=worker,
            membership=membership,
            case=world.a.case,
            body="Racconta di violenze subite.",
            confidential=True,
        )
    login(worker)
    timeline = _section(
        client.get(f"/c/taranto/cases/{world.a.case.pk}/").content.decode(), "timeline"
    )
    kinds = set(re.findall(r'data-kind="(\w+)"', timeline))
    assert {"contact", "assessment", "service", "referral", "goal", "note"} <= kinds
    assert "Primo colloquio svolto." in timeline  # an ordinary note's text
    assert "violenze" not in timeline  # a confidential one is read in Notes, where it is logged


# --- The case list ---------------------------------------------------------------------------


def test_the_case_list_filters_by_status_area_manager_and_name(world, client, login):
    coordinator = world.user("coordinator")
    with scope(city=world.a.city):
        other = services.open_case(
            actor=coordinator,
            person=world.a.other_person,
            opened_on=date(2024, 2, 1),
            areas=["civic_engagement"],
        )
        services.close_case(actor=coordinator, case=other, outcome="moved_to_another_city")
    login(world.user("caseworker"))

    def numbers(**filters) -> set[str]:
        page = client.post("/c/taranto/cases/", filters).content.decode()
        return set(re.findall(r"TA-\d{4}-\d{4}", page))

    mine, theirs = world.a.case.number, other.number
    assert numbers() == {mine, theirs}
    assert numbers(status="closed") == {theirs}
    assert numbers(status="active") == {mine}
    assert numbers(area="civic_engagement") == {theirs}
    assert numbers(manager=coordinator.pk) == {theirs}
    assert numbers(manager=world.user("caseworker").pk) == {mine}
    assert numbers(q=world.a.other_person.family_names) == {theirs}
    assert numbers(q=theirs) == {theirs}


# --- Closing a case ends the partners' access ------------------------------------------------


def test_closing_a_case_ends_its_referrals_and_the_partners_access(world, client):
    case, accepted = _case_with_referral(world, accepted=True)
    person = world.a.other_person
    assert _partner_reads(client, world, person) == 200
    coordinator = world.user("coordinator")
    with scope(city=world.a.city):
        services.close_case(actor=coordinator, case=case, outcome="moved_to_another_city")
        services.close_case(actor=coordinator, case=world.a.case, outcome="goals_reached")
        accepted = Referral.objects.get(pk=accepted.pk)
        sent = Referral.objects.get(pk=world.a.referral.pk)
    assert accepted.status == ReferralStatus.COMPLETED
    assert accepted.completed_on == timezone.localdate()
    assert sent.status == ReferralStatus.WITHDRAWN
    assert _partner_reads(client, world, person) == 404
    inbox = client.get(
        "/api/v1/referrals?status=accepted", headers=_headers(world, "partner")
    ).json()
    assert inbox["count"] == 0
    # Reopening the case does not give the access back: a new referral does.
    with scope(city=world.a.city):
        services.reopen_case(actor=coordinator, case=Case.objects.get(pk=case.pk))
    assert _partner_reads(client, world, person) == 404


# --- The partner's inbox ---------------------------------------------------------------------


def test_a_partner_rejects_with_a_reason_and_then_reads_nothing_more(world, client, login):
    _case, referral = _case_with_referral(world)
    person = world.a.other_person
    assert _partner_reads(client, world, person) == 200
    login(world.user("partner"))
    url = f"/c/taranto/referrals/{referral.pk}/"
    assert client.post(url + "reject/", {"rejection_reason": ""}).status_code == 302
    with scopes_disabled():
        assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT
    assert client.post(url + "reject/", {"rejection_reason": "Nessun posto"}).status_code == 302
    with scopes_disabled():
        rejected = Referral.objects.get(pk=referral.pk)
    assert rejected.status == ReferralStatus.REJECTED
    assert rejected.rejection_reason == "Nessun posto"
    assert _partner_reads(client, world, person) == 404
    assert person.family_names not in client.get(url).content.decode()
    login(world.user("caseworker"))
    page = client.get(url).content.decode()
    assert "Nessun posto" in page and person.family_names in page


def test_a_partner_records_the_service_it_gave_from_the_referral_page(world, client, login):
    case, referral = _case_with_referral(world, accepted=True)
    with scopes_disabled():
        course = ServiceType.objects.get(code="training", city=None)
    login(world.user("partner"))
    url = f"/c/taranto/referrals/{referral.pk}/"
    response = client.post(
        url + "services/",
        {
            "service_type": course.pk,
            "delivered_on": timezone.localdate().isoformat(),
            "quantity": "2",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        service = Service.objects.get(case=case)
    assert service.provider == world.a.partner and service.quantity == 2
    assert service.recorded_by == world.user("partner")
    login(world.user("caseworker"))
    services_table = _section(
        client.get(f"/c/taranto/cases/{case.pk}/").content.decode(), "services"
    )
    assert world.a.partner.name in services_table


# --- The demo tells the story ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_takes_tarantos_65_in_charge_with_referrals_to_isola_iom_and_uepe(settings):
    import io

    from django.core.management import call_command

    from lgnet.cases.models import Note, Task

    settings.LGNET_DEMO = True
    call_command("seed_demo", "--scale", "0", stdout=io.StringIO())
    with scopes_disabled():
        cases = Case.objects.filter(city__slug="taranto", opened_on__year=2023)
        assert cases.count() == 65
        areas = {area for case in cases for area in case.areas}
        assert areas == {"taking_in_charge", "housing", "civic_engagement"}
        referrals = Referral.objects.filter(city__slug="taranto").select_related("organisation")
        for partner in ("ISOLA", "OIM", "UEPE"):
            statuses = {r.status for r in referrals if partner in r.organisation.name}
            assert {"sent", "accepted", "completed"} <= statuses, partner
        # A closed case leaves no partner with an open referral.
        assert not referrals.filter(case__status="closed", status__in=["sent", "accepted"])
        assert Service.objects.filter(case__in=cases).count() >= 65
        notes = Note.objects.filter(case__in=cases)
        assert notes.filter(confidential=True).exists() and notes.filter(confidential=False)
        assert Task.objects.filter(city__slug="taranto").exists()


# --- The catalogue of service types ----------------------------------------------------------


def test_a_city_coordinator_adds_a_local_type_counted_as_a_network_type(world, client, login):
    with scopes_disabled():
        legal = ServiceType.objects.get(code="legal_advice", city=None)
    login(world.user("caseworker"))
    url = "/c/taranto/service-types/"
    form = {"code": "sportello_legale", "name_it": "Sportello legale", "unit": "times"}
    assert client.post(url, {**form, "counted_as": legal.pk}).status_code == 403
    login(world.user("coordinator"))
    assert client.post(url, form).status_code == 400  # a local type counts as a network one
    assert client.post(url, {**form, "counted_as": legal.pk}).status_code == 302
    with scopes_disabled():
        local = ServiceType.objects.get(code="sportello_legale")
    assert local.city == world.a.city and local.counted_as == legal
    login(world.user("caseworker"))
    assert 'data-testid="local-type"><code>sportello_legale' in client.get(url).content.decode()
    # The city records services of it, counted as legal advice; the other city never sees it.
    headers = _headers(world, "caseworker")
    recorded = client.post(
        "/api/v1/services",
        {"case": world.a.case.pk, "service_type": "sportello_legale", "delivered_on": "2024-03-05"},
        content_type="application/json",
        headers=headers,
    )
    assert recorded.status_code == 201 and recorded.json()["counted_as"] == "legal_advice"
    theirs = client.get("/api/v1/service-types", headers=_headers(world, "outsider_caseworker"))
    assert "sportello_legale" not in {t["code"] for t in theirs.json()}
    # Through the API: a code of the network's catalogue, or an unknown network type, is refused.
    coordinator = _headers(world, "coordinator")

    def add(**body):
        return client.post(
            "/api/v1/service-types",
            {"name_it": "Altro", **body},
            content_type="application/json",
            headers=coordinator,
        )

    assert add(code="orientation", counted_as="orientation").status_code == 409
    assert add(code="sportello_legale", counted_as="legal_advice").status_code == 409
    assert add(code="mensa", counted_as="no_such_type").status_code == 400
    assert add(code="Mensa popolare", counted_as="food_clothing").status_code == 400
    made = add(code="mensa", counted_as="food_clothing")
    assert made.status_code == 201 and made.json()["counted_as"] == "food_clothing"
    assert made.json()["local"] is True


def test_the_network_coordinator_adds_a_type_to_the_networks_catalogue(world, client, login):
    url = "/rete/service-types/"
    login(world.user("coordinator"))
    assert client.get(url).status_code == 403
    login(world.user("network"))
    assert client.get(url).status_code == 200
    form = {"code": "housing_mediation", "name_it": "Mediazione abitativa", "unit": "times"}
    assert client.post(url, form).status_code == 302
    with scopes_disabled():
        added = ServiceType.objects.get(code="housing_mediation")
    assert added.city is None and added.counted_as == added
    assert client.post(url, form).status_code == 400  # the same code twice
    listed = client.get("/api/v1/service-types", headers=_headers(world, "caseworker")).json()
    assert "housing_mediation" in {t["code"] for t in listed}
