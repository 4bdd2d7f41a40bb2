"""Shared test actors: a world of two cities (A = taranto, B = milano) and every role."""

from dataclasses import dataclass
from datetime import date

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from lgnet.accounts.models import Membership, User
from lgnet.accounts.roles import Role
from lgnet.accounts.services import issue_token
from lgnet.network.models import Agreement, City, Edition, Organisation, Participation, Site

PASSWORD = "a-long-test-password"  # noqa: S105


@dataclass
class CityWorld:
    city: City
    organisation: Organisation
    partner: Organisation
    agreement: Agreement
    site: Site
    person: object = None
    other_person: object = None
    contact: object = None
    case: object = None
    service: object = None
    referral: object = None
    goal: object = None
    review: object = None
    note: object = None
    task: object = None
    attachment: object = None
    # housing
    facility: object = None
    bed: object = None
    spare_bed: object = None
    placement: object = None
    housing_request: object = None
    landlord: object = None
    rent_support: object = None
    activity: object = None
    session: object = None
    enrolment: object = None
    report: object = None  # monitoring: a draft period report
    rights_request: object = None  # privacy: a data-subject request
    data_import: object = None  # imports: an import already written


@dataclass
class World:
    a: CityWorld
    b: CityWorld
    edition: Edition
    users: dict[str, User]
    memberships: dict[str, Membership]

    def user(self, name: str) -> User:
        return self.users[name]


def make_city(slug: str, name: str, istat: str) -> CityWorld:
    city = City.objects.create(slug=slug, name=name, istat_code=istat, region="Regione")
    organisation = Organisation.objects.create(
        city=city, name=f"Comune di {name}", kind=Organisation.Kind.COMUNE
    )
    partner = Organisation.objects.create(
        city=city, name=f"Cooperativa {name}", kind=Organisation.Kind.SOCIAL_COOPERATIVE
    )
    agreement = Agreement.objects.create(
        city=city, organisation=partner, title=f"Convenzione {name}", starts_on=date(2024, 1, 1)
    )
    site = Site.objects.create(
        city=city, name=f"Sportello {name}", kind=Site.Kind.ONE_STOP_SHOP, organisation=partner
    )
    return CityWorld(city, organisation, partner, agreement, site)


# name: (role, city key or None, partner?)
ACTORS = {
    "network": (Role.NETWORK_COORDINATOR, None),
    "coordinator": (Role.CITY_COORDINATOR, "a"),
    "caseworker": (Role.CASEWORKER, "a"),
    "outreach": (Role.OUTREACH_WORKER, "a"),
    "partner": (Role.PARTNER_WORKER, "a"),
    "auditor": (Role.AUDITOR, "a"),
    "outsider": (Role.CITY_COORDINATOR, "b"),
    "outsider_caseworker": (Role.CASEWORKER, "b"),
}


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """One world for a whole module, inside a transaction rolled back when the module ends.

    Each test still runs in its own savepoint (the `db` fixture nests inside this
    transaction), so what a test writes is gone before the next one. For modules of many
    read-only tests (the authorisation matrix): building the world takes ~0.3 s."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def ensure_catalogues() -> None:
    """The rows data migrations write (the network's service catalogue, the indicators):
    a transactional test (a browser test) that ran before in this worker flushed them."""
    from django.apps import apps

    from lgnet.cases.catalogue import ensure_network_catalogue
    from lgnet.cases.models import ServiceType
    from lgnet.monitoring import standard_set
    from lgnet.monitoring.models import Indicator

    with scopes_disabled():
        if not ServiceType.objects.filter(city=None).exists():
            ensure_network_catalogue()
        if not Indicator.objects.exists():
            standard_set.load(apps)


def build_world() -> World:
    with scopes_disabled():
        a = make_city("taranto", "Taranto", "073027")
        b = make_city("milano", "Milano", "015146")
        edition = Edition.objects.create(
            code="LGNET2", name="LgNet2", starts_on=date(2023, 1, 1), ends_on=date(2023, 12, 31)
        )
        Participation.objects.create(edition=edition, city=a.city, target_beneficiaries=65)
        Participation.objects.create(edition=edition, city=b.city, target_beneficiaries=120)
        users, memberships = {}, {}
        for name, (role, key) in ACTORS.items():
            user = User.objects.create_user(username=name, password=PASSWORD)
            cw = {"a": a, "b": b}.get(key)
            memberships[name] = Membership.objects.create(
                user=user,
                role=role,
                city=cw.city if cw else None,
                organisation=cw.partner if role == Role.PARTNER_WORKER else None,
            )
            users[name] = user
        from lgnet.people.services import record_contact, register_person

        for cw, recorder in ((a, users["outreach"]), (b, users["outsider_caseworker"])):
            cw.person = register_person(
                actor=users["caseworker"],
                city=cw.city,
                data={
                    "given_names": "Mohamed",
                    "family_names": "Dialo",
                    "sex": "M",
                    "birth_date": date(1990, 3, 12),
                    "nationalities": ["GN"],
                    "vulnerabilities": ["homelessness"],
                },
            )
            cw.other_person = register_person(
                actor=users["caseworker"],
                city=cw.city,
                data={
                    "given_names": "Muhammad",
                    "family_names": "Diallo",
                    "sex": "M",
                    "birth_date": date(1990, 1, 1),
                    "birth_date_precision": "year",
                },
            )
            cw.contact = record_contact(
                actor=recorder,
                city=cw.city,
                data={"channel": "street", "place": "Piazza", "outcome": "sent_to_desk"},
            )
        from lgnet.cases.models import ServiceType
        from lgnet.cases.services import open_case, record_service

        ensure_catalogues()

        for cw, worker in ((a, users["caseworker"]), (b, users["outsider_caseworker"])):
            cw.case = open_case(actor=worker, person=cw.person, opened_on=date(2024, 3, 1))
            cw.service = record_service(
                actor=worker,
                case=cw.case,
                delivered_on=date(2024, 3, 2),
                service_type=ServiceType.objects.get(code="orientation", city=None),
            )
        _case_work(a, users["caseworker"], memberships["caseworker"])
        _case_work(b, users["outsider_caseworker"], memberships["outsider_caseworker"])
        # Activities: a course run by the partner organisation (so the partner worker sees
        # it), one session held, the sample person enrolled and marked present.
        from lgnet.activities import services as activity_services

        for cw, worker in ((a, users["caseworker"]), (b, users["outsider_caseworker"])):
            cw.activity = activity_services.create_activity(
                actor=worker,
                city=cw.city,
                data={
                    "kind": "italian_course",
                    "title": "Italiano A2",
                    "organisation": cw.partner,
                    "start_date": date(2024, 1, 8),
                    "end_date": date(2024, 6, 28),
                    "cefr_level": "A2",
                    "capacity": 20,
                },
            )
            cw.session = activity_services.add_session(
                actor=worker, activity=cw.activity, date=date(2024, 3, 4), hours=2
            )
            cw.enrolment = activity_services.enrol(
                actor=worker, activity=cw.activity, person=cw.person, enrolled_on=date(2024, 1, 8)
            )
            activity_services.record_attendance(
                actor=worker,
                session=cw.session,
                marks=[activity_services.Mark(cw.enrolment, "present")],
            )
        _housing_world(a, b, users)
        from lgnet.monitoring.services import open_report

        for cw, coordinator in ((a, users["coordinator"]), (b, users["outsider"])):
            cw.report = open_report(
                actor=coordinator,
                city=cw.city,
                edition=edition,
                period_start=date(2023, 1, 1),
                period_end=date(2023, 3, 31),
            )
        from lgnet.privacy.services import register_request

        for cw, coordinator in ((a, users["coordinator"]), (b, users["outsider"])):
            cw.rights_request = register_request(
                actor=coordinator,
                person=cw.other_person,
                kind="access",
                received_on=date(2024, 3, 1),
            )
        from django.core.files.uploadedfile import SimpleUploadedFile

        from lgnet.imports.services import create_import

        for cw, coordinator in ((a, users["coordinator"]), (b, users["outsider"])):
            cw.data_import = create_import(
                actor=coordinator,
                city=cw.city,
                kind="persons",
                upload=SimpleUploadedFile("persone.csv", b"given_names,family_names\n"),
            )
            cw.data_import.status = "applied"
            cw.data_import.save(update_fields=["status"])
    return World(a, b, edition, users, memberships)


def _housing_world(a, b, users) -> None:
    """Per city: a facility with two beds; the person placed in one from 2024-03-01 to
    2024-06-01 (end excluded); the other person waiting; a landlord and a rent support."""
    from decimal import Decimal

    from lgnet.housing import services as housing

    for cw, worker in ((a, users["coordinator"]), (b, users["outsider"])):
        cw.facility = housing.save_facility(
            actor=worker,
            city=cw.city,
            changes={
                "name": "Casa del rifugiato",
                "kind": "emergency_house",
                "organisation": cw.partner,
            },
        )
        cw.bed = housing.save_bed(actor=worker, facility=cw.facility, changes={"label": "1A"})
        cw.spare_bed = housing.save_bed(actor=worker, facility=cw.facility, changes={"label": "1B"})
        cw.placement = housing.place_person(
            actor=worker,
            person=cw.person,
            bed=cw.bed,
            start_date=date(2024, 3, 1),
            end_date=date(2024, 6, 1),
        )
        cw.housing_request = housing.add_request(
            actor=worker, person=cw.other_person, data={"urgency": 3}
        )
        cw.landlord = housing.save_landlord(
            actor=worker, city=cw.city, changes={"kind": "person", "name": "Anna Lippolis"}
        )
        cw.rent_support = housing.create_rent_support(
            actor=worker,
            person=cw.person,
            data={
                "landlord": cw.landlord,
                "start_date": date(2023, 6, 1),
                "months": 6,
                "monthly_rent": Decimal(400),
                "contribution": Decimal(200),
            },
        )


def _case_work(cw: CityWorld, worker: User, membership: Membership) -> None:
    """A referral of the person to the city's partner (open: the partner reaches the person),
    a goal, a plan review with its task, a note and a file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lgnet.cases import services

    case = cw.case
    cw.referral = services.send_referral(
        actor=worker,
        case=case,
        organisation=cw.partner,
        agreement=cw.agreement,
        reason="Accompagnamento abitativo",
        consent_on=date(2024, 3, 1),
        consent_shares=["contact", "birth_year", "languages", "reason"],
    )
    cw.goal = services.add_goal(
        actor=worker, case=case, domain="housing", description="Trovare una casa"
    )
    cw.review = services.schedule_review(actor=worker, case=case, due_on=date(2024, 6, 1))
    cw.task = case.tasks.get()
    cw.note = services.write_note(
        actor=worker, membership=membership, case=case, body="Primo colloquio svolto."
    )
    cw.attachment = services.add_attachment(
        actor=worker,
        case=case,
        kind="signed_form",
        upload=SimpleUploadedFile("consenso.pdf", b"%PDF-1.4 test", "application/pdf"),
    )


def verify_second_factor(client, user: User) -> None:
    """Mark the client's session as having passed the TOTP step."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def login(client):
    """login(user) signs the test client in, second factor included."""

    def do(user: User):
        client.force_login(user)
        verify_second_factor(client, user)
        return client

    return do


@pytest.fixture
def bearer(world):
    """bearer(name) -> headers with a fresh API token for that actor's membership."""

    def do(name: str) -> dict:
        secret, _token = issue_token(membership=world.memberships[name])
        return {"Authorization": f"Bearer {secret}"}

    return do
