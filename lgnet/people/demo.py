"""Demo registry: Taranto's 65 beneficiaries of LgNet2, plausible volumes elsewhere,
realistic names with their variants, a few true duplicates, desk and street contacts."""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from lgnet.accounts.models import User
from lgnet.network.models import City, Site
from lgnet.people import names
from lgnet.people.choices import Dwelling, LegalStatus, Vulnerability
from lgnet.people.models import Contact, Person
from lgnet.people.services import derive_keys

TARANTO_BENEFICIARIES = 65  # the LgNet2 figure of the press release
TARANTO_DUPLICATES = 3  # records typed twice, for the review page
ROME = ZoneInfo("Europe/Rome")
LGNET2_VOLUMES = (100, 800)
OTHER_VOLUMES = (20, 60)

PERMITS = [
    LegalStatus.ASYLUM,
    LegalStatus.SUBSIDIARY,
    LegalStatus.SPECIAL,
    LegalStatus.ASYLUM_REQUEST,
    LegalStatus.WORK,
    LegalStatus.FAMILY,
    LegalStatus.SPECIAL_CASES,
]
DWELLINGS = [Dwelling.STREET, Dwelling.INFORMAL, Dwelling.SHELTER, Dwelling.HOSTED, Dwelling.RENTED]
VULNERABILITIES = [
    Vulnerability.HOMELESS,
    Vulnerability.TRAFFICKING,
    Vulnerability.FORMER_DETAINEE,
    Vulnerability.SERIOUS_ILLNESS,
    Vulnerability.SINGLE_PARENT,
    Vulnerability.TORTURE,
    Vulnerability.MENTAL_DISORDER,
    Vulnerability.ADDICTION,
]


def _volume(slug: str, rng: random.Random, scale: int) -> int:
    from lgnet.network.demo import LGNET2

    if slug == "taranto":
        return TARANTO_BENEFICIARIES
    low, high = LGNET2_VOLUMES if slug in LGNET2 else OTHER_VOLUMES
    return rng.randint(low, high) * scale


def _person(
    city: City, record, index: int, rng: random.Random, registered_on: date, registered_by: User
) -> Person:
    person = Person(
        city=city,
        external_id=f"demo-{city.slug}-{index}",
        given_names=record.given_names,
        family_names=record.family_names,
        original_script_name=record.original_script_name,
        sex=record.sex,
        birth_date=record.birth_date,
        birth_date_precision=record.birth_date_precision,
        nationalities=record.nationalities,
        languages=record.languages,
        legal_status=rng.choice(PERMITS),
        dwelling=rng.choice(DWELLINGS),
        registered_by=registered_by,
    )
    if rng.random() < 0.7:
        person.permit_expiry = registered_on + timedelta(days=rng.randint(30, 900))
        person.permit_number = f"{rng.choice('HIJKL')}{rng.randint(1000000, 9999999)}"
    if rng.random() < 0.35:
        person.vulnerabilities = sorted(set(rng.sample(VULNERABILITIES, rng.randint(1, 2))))
    if rng.random() < 0.85:
        person.privacy_notice_on = registered_on
        person.privacy_notice_language = record.languages[0] if record.languages else "it"
        person.privacy_notice_by = registered_by
    if rng.random() < 0.5:
        person.phone = f"3{rng.randint(20, 93)} {rng.randint(1000000, 9999999)}"
    derive_keys(person)
    return person


BIRTHS_AS_OF = date(2026, 11, 26)


def seed_people(scale: int = 1) -> None:
    today = date.today()  # noqa: DTZ011 - demo dates only
    cities = City.objects.order_by("slug")
    if scale == 0:  # the smallest demo, for browser tests: Taranto's story only
        cities = cities.filter(slug="taranto")
    for city in cities:
        rng = random.Random(f"lgnet-demo-{city.slug}")  # noqa: S311 - demo data
        if Person.objects.filter(city=city, external_id__startswith="demo-").exists():
            continue  # idempotent: the city's demo registry is there already
        operator = User.objects.filter(username=f"{city.slug}.operatore").first()
        mobile = User.objects.filter(username=f"{city.slug}.mobile").first()
        if operator is None or mobile is None:
            continue
        count = _volume(city.slug, rng, scale)
        # Births from a fixed day: the demo registry is the same whatever day it is loaded,
        # so docs/samples (people already registered under other spellings) keep matching.
        records = names.population(rng, count, today=BIRTHS_AS_OF)
        duplicates = TARANTO_DUPLICATES if city.slug == "taranto" else max(1, count // 60)
        records += [names.variant(rng, rng.choice(records[:count])) for _ in range(duplicates)]
        # Taranto's 65 were taken in charge during LgNet2 (2023); elsewhere through LGNET3.
        start = date(2023, 1, 9)
        span = 330 if city.slug == "taranto" else (today - start).days
        persons = []
        for index, record in enumerate(records):
            registered_on = start + timedelta(days=rng.randint(0, max(span, 1)))
            persons.append(_person(city, record, index, rng, registered_on, operator))
        Person.objects.bulk_create(persons, batch_size=500)
        _seed_contacts(city, persons[:count], rng, operator, mobile, start, span)


def _seed_contacts(city, persons, rng, operator, mobile, start, span) -> None:
    desk = Site.objects.filter(city=city, kind=Site.Kind.ONE_STOP_SHOP).first()
    unit = Site.objects.filter(city=city, kind=Site.Kind.MOBILE_UNIT).first()
    places = [
        "Stazione centrale",
        "Lungomare",
        "Piazza Garibaldi",
        "Mercato",
        "Porto",
        "Giardini pubblici",
        "Sottopasso",
    ]
    contacts = []
    for person in persons:
        day = start + timedelta(days=rng.randint(0, max(span, 1)))
        street = rng.random() < 0.4
        contacts.append(
            Contact(
                city=city,
                channel="street" if street else "desk",
                site=unit if street else desk,
                place=rng.choice(places) if street else "",
                recorded_by=mobile if street else operator,
                occurred_at=datetime.combine(
                    day, time(rng.randint(8, 20), rng.choice([0, 15, 30])), ROME
                ),
                person=person,
                needs=rng.sample(
                    ["shelter", "food", "health", "documents", "work", "language", "legal"],
                    rng.randint(1, 3),
                ),
                help_given=[rng.choice(["information", "food", "clothing", "accompanied"])],
                outcome="taken_in_charge" if not street else "sent_to_desk",
            )
        )
    for _ in range(len(persons) // 2):  # anonymous street contacts
        day = start + timedelta(days=rng.randint(0, max(span, 1)))
        contacts.append(
            Contact(
                city=city,
                channel="street",
                site=unit,
                place=rng.choice(places),
                recorded_by=mobile,
                occurred_at=datetime.combine(day, time(rng.randint(18, 23), 0), ROME),
                anonymous_sex=rng.choice("MMMF"),
                anonymous_age_band=rng.choice(["18-24", "25-34", "25-34", "35-49"]),
                anonymous_nationality=rng.choice(list(names.NATIONALITY_MIX)),
                needs=rng.sample(["shelter", "food", "clothing", "health"], rng.randint(1, 2)),
                help_given=[rng.choice(["food", "clothing", "information"])],
                outcome=rng.choice(["sent_to_desk", "nothing_needed", "refused"]),
            )
        )
    Contact.objects.bulk_create(contacts, batch_size=500)
