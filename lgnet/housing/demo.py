"""Demo housing: Taranto's Casa del rifugiato, protected shelters and a co-housing flat with
realistic occupancy from 2023 to today, a waiting list, landlords and rent supports with
payments; the other cities alike at a smaller scale. Bulk writes only (fast)."""

import random
from datetime import date, timedelta
from decimal import Decimal

from lgnet.accounts.models import User
from lgnet.cases.models import Case
from lgnet.housing.models import (
    Bed,
    ExitReason,
    Facility,
    FacilityKind,
    HousingRequest,
    Landlord,
    LandlordKind,
    Mediation,
    MediationOutcome,
    Milestone,
    MilestoneKind,
    OutOfService,
    Placement,
    Property,
    RentPayment,
    RentSupport,
    Room,
)
from lgnet.network.models import City, Organisation, Participation, Site
from lgnet.people.models import Person

START = date(2023, 1, 9)
EXITS = [
    (ExitReason.AUTONOMOUS_HOUSING, 30),
    (ExitReason.ANOTHER_PROJECT, 20),
    (ExitReason.FAMILY, 10),
    (ExitReason.LEFT, 20),
    (ExitReason.REMOVED, 5),
    (ExitReason.OTHER, 5),
]
# name, kind, rooms × beds per room, women only, accessible rooms, family rooms
TARANTO = [
    ("Casa del rifugiato", FacilityKind.EMERGENCY_HOUSE, [4, 4, 2], False, {2}, set()),
    ("Rifugio protetto 1", FacilityKind.PROTECTED_SHELTER, [2, 2], True, {0}, {1}),
    ("Rifugio protetto 2", FacilityKind.PROTECTED_SHELTER, [2, 2], False, set(), set()),
    ("Co-abitazione solidale via Dante", FacilityKind.CO_HOUSING, [2, 1], False, set(), set()),
]
SMALL = [
    ("Casa di accoglienza temporanea", FacilityKind.EMERGENCY_HOUSE, [3, 3], False, {1}, set()),
    ("Appartamento di semi-autonomia", FacilityKind.APARTMENT, [2, 1], False, set(), set()),
    ("Rifugio protetto", FacilityKind.PROTECTED_SHELTER, [2], True, set(), {0}),
]
LANDLORDS = [
    ("Immobiliare Due Mari srl", LandlordKind.COMPANY),
    ("Giuseppe Carrieri", LandlordKind.PERSON),
    ("Anna Lippolis", LandlordKind.PERSON),
    ("Cooperativa edilizia Borgo Nuovo", LandlordKind.COMPANY),
    ("Vito Santoro", LandlordKind.PERSON),
    ("Maria Pia Calò", LandlordKind.PERSON),
]
STREETS = [
    "via Dante",
    "via Cavour",
    "corso Umberto I",
    "via Duca di Genova",
    "via Cesare Battisti",
]


def seed_housing(scale: int = 1) -> None:
    today = date.today()  # noqa: DTZ011 - demo dates only
    for city in City.objects.order_by("slug"):
        if Facility.objects.filter(city=city).exists():
            continue  # idempotent
        operator = User.objects.filter(username=f"{city.slug}.operatore").first()
        persons = list(Person.objects.filter(city=city, merged_into__isnull=True).order_by("id"))
        if operator is None or len(persons) < 5:
            continue
        rng = random.Random(f"lgnet-housing-{city.slug}")  # noqa: S311 - demo data
        _seed_city(city, persons, operator, rng, today, big=city.slug == "taranto")


def _organisation(city):
    return (
        Organisation.objects.filter(city=city, kind=Organisation.Kind.SOCIAL_COOPERATIVE).first()
        or Organisation.objects.filter(city=city).order_by("id").first()
    )


def _seed_city(city, persons, operator, rng, today, *, big: bool) -> None:
    organisation = _organisation(city)
    if organisation is None:
        return
    beds = _facilities(city, organisation, TARANTO if big else SMALL, rng)
    placements = _placements(city, beds, persons, operator, rng, today, fill=0.85 if big else 0.6)
    _milestones(city, placements, operator, rng, today)
    placed_now = {p.person_id for p in placements if p.end_date is None or p.end_date > today}
    _waiting_list(city, persons, placed_now, operator, rng, today, count=6 if big else 3)
    _rent(city, persons, operator, rng, today, landlords=6 if big else 2, supports=12 if big else 3)


def _facilities(city, organisation, plan, rng) -> list[Bed]:
    sites = {s.name: s for s in Site.objects.filter(city=city, kind=Site.Kind.SHELTER)}
    facilities = Facility.objects.bulk_create(
        [
            Facility(
                city=city,
                name=name,
                kind=kind,
                organisation=organisation,
                site=sites.get(name),
                address=f"{rng.choice(STREETS)} {rng.randint(1, 120)}, {city.name}",
                house_rules=(
                    "Rientro entro le 22:00. Niente alcol. Pulizie a turno. "
                    "Ospiti solo con il consenso degli operatori."
                ),
            )
            for name, kind, *_ in plan
        ]
    )
    rooms, beds = [], []
    for facility, (_name, _kind, layout, women, accessible, family) in zip(
        facilities, plan, strict=True
    ):
        for index, count in enumerate(layout):
            room = Room(city=city, facility=facility, name=f"Stanza {index + 1}")
            rooms.append(room)
            for n in range(count):
                beds.append(
                    Bed(
                        city=city,
                        facility=facility,
                        room=room,
                        label=f"{index + 1}{'ABCD'[n]}",
                        is_women_only=women,
                        is_accessible=index in accessible,
                        is_family_room=index in family,
                    )
                )
    Room.objects.bulk_create(rooms)
    for bed in beds:
        bed.room_id = bed.room.pk
    return Bed.objects.bulk_create(beds)


def _weighted_exit(rng) -> str:
    reasons, weights = zip(*EXITS, strict=True)
    return rng.choices(reasons, weights=weights)[0]


def _placements(city, beds, persons, operator, rng, today, *, fill: float) -> list[Placement]:
    """Stays of 1 to 10 months per bed, short gaps between them, one bed per person.
    Most people who leave for a home of their own do not come back; others may, later."""
    slots = []
    for index, bed in enumerate(beds):
        day = START + timedelta(days=rng.randint(0, 40))
        while day < today:
            end = day + timedelta(days=rng.randint(30, 300))
            if end > today and index % 6 == 5:  # a few beds are free tonight
                end = today - timedelta(days=rng.randint(1, 5))
                if end <= day:
                    break
            slots.append((day, None if end > today else end, bed))
            gap = rng.randint(0, 10) if rng.random() < fill else rng.randint(15, 60)
            day = end + timedelta(days=gap)
    slots.sort(key=lambda s: s[0])
    busy_until: dict[int, date] = {}
    cases = {c.person_id: c for c in Case.objects.filter(city=city).order_by("opened_on")}
    placements = []
    for start, end, bed in slots:
        candidates = [
            p
            for p in persons
            if busy_until.get(p.pk, date.min) <= start and not (bed.is_women_only and p.sex == "M")
        ]
        if not candidates:
            continue
        person = rng.choice(candidates)
        reason = _weighted_exit(rng) if end else ""
        if end is None:
            busy_until[person.pk] = date.max
        elif reason == ExitReason.AUTONOMOUS_HOUSING and rng.random() < 0.8:
            busy_until[person.pk] = date.max  # a home of their own
        else:
            busy_until[person.pk] = end + timedelta(days=rng.randint(15, 90))
        case = cases.get(person.pk)
        if case and not (case.opened_on <= start and (case.closed_on or date.max) >= start):
            case = None
        placements.append(
            Placement(
                city=city,
                person=person,
                bed=bed,
                start_date=start,
                end_date=end,
                exit_reason=reason,
                case=case,
                created_by=operator,
            )
        )
    placements = Placement.objects.bulk_create(placements, batch_size=1000)
    # A bed free tonight is being repaired.
    held = {p.bed_id for p in placements if p.end_date is None}
    free = [bed for bed in beds if bed.pk not in held]
    if free:
        OutOfService.objects.create(
            city=city,
            bed=free[0],
            start_date=today,
            end_date=today + timedelta(days=10),
            reason="Riparazione infissi",
        )
    return placements


def _milestones(city, placements, operator, rng, today) -> None:
    milestones = []
    for p in placements:
        if p.exit_reason != ExitReason.AUTONOMOUS_HOUSING:
            continue
        before = p.end_date - timedelta(days=rng.randint(5, 40))
        milestones.append(
            Milestone(
                city=city,
                person_id=p.person_id,
                kind=MilestoneKind.INCOME_FROM_WORK,
                reached_on=max(before, p.start_date),
                case=p.case,
                recorded_by=operator,
            )
        )
        if rng.random() < 0.8:
            milestones.append(
                Milestone(
                    city=city,
                    person_id=p.person_id,
                    kind=MilestoneKind.LEASE_SIGNED,
                    reached_on=min(p.end_date, today),
                    case=p.case,
                    recorded_by=operator,
                )
            )
        if rng.random() < 0.5 and p.end_date + timedelta(days=30) <= today:
            milestones.append(
                Milestone(
                    city=city,
                    person_id=p.person_id,
                    kind=MilestoneKind.RESIDENCE_REGISTERED,
                    reached_on=p.end_date + timedelta(days=rng.randint(10, 30)),
                    case=p.case,
                    recorded_by=operator,
                )
            )
        if rng.random() < 0.3:
            milestones.append(
                Milestone(
                    city=city,
                    person_id=p.person_id,
                    kind=MilestoneKind.SAVINGS,
                    reached_on=max(before, p.start_date),
                    notes="Libretto di risparmio",
                    case=p.case,
                    recorded_by=operator,
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=1000)


def _waiting_list(city, persons, placed_now, operator, rng, today, *, count: int) -> None:
    free = [p for p in persons if p.pk not in placed_now]
    rng.shuffle(free)
    requests = []
    for person in free[:count]:
        requests.append(
            HousingRequest(
                city=city,
                person=person,
                requested_on=today - timedelta(days=rng.randint(0, 45)),
                urgency=rng.choice([1, 2, 2, 3, 3, 4]),
                vulnerability=rng.choice([1, 2, 2, 3]),
                needs_women_only=person.sex == "F" and rng.random() < 0.6,
                needs_accessible=rng.random() < 0.1,
                notes=rng.choice(["", "Dorme in stazione", "Uscito dal carcere (UEPE)", ""]),
                created_by=operator,
            )
        )
    HousingRequest.objects.bulk_create(requests)


def _rent(city, persons, operator, rng, today, *, landlords: int, supports: int) -> None:
    editions = [
        p.edition
        for p in Participation.objects.filter(city=city).select_related("edition")
        if p.edition.ends_on >= START
    ]
    if not editions:
        return
    owners = Landlord.objects.bulk_create(
        [
            Landlord(
                city=city,
                kind=kind,
                name=name,
                phone=f"099 {rng.randint(1000000, 9999999)}",
                email=f"contatti{i}@example.it",
                address=f"{rng.choice(STREETS)} {rng.randint(1, 99)}, {city.name}",
            )
            for i, (name, kind) in enumerate(LANDLORDS[:landlords])
        ]
    )
    properties = Property.objects.bulk_create(
        [
            Property(
                city=city,
                landlord=owner,
                address=f"{rng.choice(STREETS)} {rng.randint(1, 150)}",
                rooms=rng.randint(1, 4),
                monthly_rent=Decimal(rng.choice([350, 400, 450, 500, 550])),
            )
            for owner in owners
        ]
    )
    Mediation.objects.bulk_create(
        [
            Mediation(
                city=city,
                landlord=owner,
                on=START + timedelta(days=rng.randint(0, (today - START).days)),
                outcome=rng.choice(list(MediationOutcome.values)),
                notes="Incontro presso lo sportello",
                recorded_by=operator,
            )
            for owner in owners
            for _ in range(rng.randint(1, 3))
        ]
    )
    chosen = rng.sample(persons, min(supports, len(persons)))
    rows, payments = [], []
    for person in chosen:
        start = START + timedelta(days=rng.randint(30, max(31, (today - START).days - 30)))
        start = start.replace(day=1)
        edition = next((e for e in editions if e.starts_on <= start <= e.ends_on), editions[-1])
        index = rng.randrange(len(owners))
        rent = properties[index].monthly_rent
        support = RentSupport(
            city=city,
            person=person,
            household_size=rng.choice([1, 1, 2, 3, 4]),
            landlord=owners[index],
            rented_property=properties[index],
            edition=edition,
            start_date=start,
            months=rng.choice([3, 6, 6, 12]),
            monthly_rent=rent,
            contribution=min(rent, Decimal(rng.choice([150, 200, 250, 300]))),
            created_by=operator,
        )
        rows.append(support)
    RentSupport.objects.bulk_create(rows)
    for support in rows:
        for month in range(support.months):
            paid_on = _add_months(support.start_date, month) + timedelta(days=rng.randint(2, 9))
            if paid_on > today:
                break
            payments.append(
                RentPayment(
                    city=city,
                    rent_support=support,
                    paid_on=paid_on,
                    amount=support.contribution,
                    recorded_by=operator,
                )
            )
    RentPayment.objects.bulk_create(payments, batch_size=1000)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)
