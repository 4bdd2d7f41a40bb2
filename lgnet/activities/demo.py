"""Demo activities: Taranto's Italian courses taught by the CPIA at the re-point (A1, A2),
IOM's workers'-rights course, Teatro Crest's theatre workshop, civic engagement at the
Jannelli gardens and in the Tamburi schools, awareness events — in LgNet2 (2023) and running
today — with months of registers, a few dropouts and level gains. The other cities have the
same, smaller.

Fast on purpose: rows go in with bulk_create, a handful of queries per activity.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from lgnet.accounts.models import User
from lgnet.activities.models import (
    CEFR_RANK,
    Activity,
    ActivityKind,
    AllowanceBasis,
    Attendance,
    AttendanceStatus,
    CefrLevel,
    CivicScheme,
    Enrolment,
    EnrolmentStatus,
    HeadCount,
    Session,
)
from lgnet.activities.services import WeeklyPattern
from lgnet.network.models import Agreement, City, Edition, Organisation, Site
from lgnet.people.choices import AgeBand, Sex
from lgnet.people.models import Person

LEVELS = CefrLevel.values
DROPOUT_REASONS = [
    "Ha trovato lavoro con orari incompatibili",
    "Trasferito in un'altra città",
    "Problemi di salute",
    "Non più reperibile",
]


@dataclass
class Plan:
    kind: str
    title: str
    start: date
    end: date
    weekdays: list[int]
    at: time
    hours: Decimal
    org: str = ""  # a key of the city's organisations
    site: str = ""
    edition: str = ""
    level: str = ""
    capacity: int | None = None
    participants: int = 12
    min_attendance: Decimal = Decimal("0.70")
    facilitator: str = ""
    civic: dict = field(default_factory=dict)
    holidays: list[date] = field(default_factory=list)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _taranto_plans(today: date) -> list[Plan]:
    holidays_2023 = [date(2023, 4, 10), date(2023, 4, 25), date(2023, 5, 1), date(2023, 11, 1),
                     date(2023, 12, 8)]  # fmt: skip
    term = _monday(today) - timedelta(weeks=9)  # the running term began nine weeks ago
    gardens = {
        "tutor": "Giuseppe Lacaita (Comune di Taranto, Verde pubblico)",
        "insurance": "INAIL — copertura per attività di volontariato",
        "scheme": CivicScheme.VOLUNTARY,
        "hours_per_week": Decimal(8),
    }
    schools = {
        "tutor": "Maria Carrieri (I.C. Tamburi)",
        "insurance": "INAIL — tirocinio di inclusione",
        "scheme": CivicScheme.WORK_SCHEME,
        "allowance_amount": Decimal(400),
        "allowance_basis": AllowanceBasis.MONTH,
        "hours_per_week": Decimal(12),
    }
    return [
        # LgNet2 (2023)
        Plan(
            ActivityKind.ITALIAN_COURSE,
            "Italiano L2 — livello A1 (CPIA)",
            date(2023, 2, 6),
            date(2023, 5, 26),
            [0, 2],
            time(9),
            Decimal(2),
            "cpia",
            "repoint",
            "LGNET2",
            CefrLevel.A1,
            20,
            16,
            holidays=holidays_2023,
        ),
        Plan(
            ActivityKind.ITALIAN_COURSE,
            "Italiano L2 — livello A2 (CPIA)",
            date(2023, 9, 25),
            date(2023, 12, 20),
            [1, 3],
            time(9),
            Decimal(3),
            "cpia",
            "repoint",
            "LGNET2",
            CefrLevel.A2,
            18,
            14,
            Decimal("0.80"),
            holidays=holidays_2023,
        ),
        Plan(
            ActivityKind.COURSE,
            "Diritti dei lavoratori e contrasto al lavoro nero (OIM)",
            date(2023, 4, 3),
            date(2023, 5, 29),
            [0],
            time(15),
            Decimal(2),
            "iom",
            "repoint",
            "LGNET2",
            capacity=20,
            participants=15,
            facilitator="taranto.iom",
            holidays=holidays_2023,
        ),
        Plan(
            ActivityKind.WORKSHOP,
            "Laboratorio teatrale — Teatro Crest",
            date(2023, 3, 1),
            date(2023, 6, 28),
            [2],
            time(17),
            Decimal(2),
            "crest",
            "crest",
            "LGNET2",
            capacity=15,
            participants=12,
            facilitator="taranto.crest",
            holidays=holidays_2023,
        ),
        Plan(
            ActivityKind.CIVIC_PROJECT,
            "Cura dei Giardini Jannelli",
            date(2023, 4, 3),
            date(2023, 10, 27),
            [1, 3],
            time(8),
            Decimal(4),
            "comune",
            "jannelli",
            "LGNET2",
            capacity=10,
            participants=9,
            civic=gardens,
            holidays=holidays_2023,
        ),
        Plan(
            ActivityKind.CIVIC_PROJECT,
            "Piccola manutenzione nelle scuole dei Tamburi",
            date(2023, 9, 11),
            date(2023, 12, 15),
            [0, 2, 4],
            time(8),
            Decimal(4),
            "comune",
            "schools",
            "LGNET2",
            capacity=6,
            participants=6,
            civic=schools,
            holidays=holidays_2023,
        ),
        # Running today (LGNET3): one session of each falls on today's weekday.
        Plan(
            ActivityKind.ITALIAN_COURSE,
            "Italiano L2 — livello A2 (CPIA), corso in corso",
            term,
            term + timedelta(weeks=16),
            sorted({0, 2, today.weekday()}),
            time(9),
            Decimal(2),
            "cpia",
            "repoint",
            "LGNET3",
            CefrLevel.A2,
            12,
            14,
        ),
        Plan(
            ActivityKind.COURSE,
            "Diritti dei lavoratori (OIM) — edizione in corso",
            term,
            term + timedelta(weeks=12),
            [today.weekday()],
            time(15),
            Decimal(2),
            "iom",
            "repoint",
            "LGNET3",
            capacity=20,
            participants=10,
            facilitator="taranto.iom",
        ),
        Plan(
            ActivityKind.WORKSHOP,
            "Laboratorio teatrale — Teatro Crest, nuova edizione",
            term,
            term + timedelta(weeks=14),
            [today.weekday()],
            time(17),
            Decimal(2),
            "crest",
            "crest",
            "LGNET3",
            capacity=15,
            participants=9,
            facilitator="taranto.crest",
        ),
        Plan(
            ActivityKind.CIVIC_PROJECT,
            "Giardini Jannelli — impegno civico",
            term,
            term + timedelta(weeks=20),
            sorted({1, 3, today.weekday()}),
            time(8),
            Decimal(4),
            "comune",
            "jannelli",
            "LGNET3",
            capacity=8,
            participants=7,
            civic=gardens,
        ),
    ]


def _other_plans(today: date) -> list[Plan]:
    term = _monday(today) - timedelta(weeks=6)
    return [
        Plan(ActivityKind.ITALIAN_COURSE, "Corso di italiano L2 — livello A1", term,
             term + timedelta(weeks=14), sorted({1, 3, today.weekday()}), time(10), Decimal(2),
             "coop", edition="LGNET3", level=CefrLevel.A1, capacity=15, participants=8),
        Plan(ActivityKind.CIVIC_PROJECT, "Progetto di impegno civico — verde urbano",
             date(2023, 5, 2), date(2023, 7, 28), [1, 4], time(8), Decimal(3), "comune",
             edition="LGNET2", capacity=8, participants=6,
             civic={"tutor": "Ufficio verde pubblico", "insurance": "INAIL",
                    "scheme": CivicScheme.VOLUNTARY, "hours_per_week": Decimal(6)}),
    ]  # fmt: skip


def seed_activities(scale: int = 1) -> None:
    today = date.today()  # noqa: DTZ011 - demo dates only
    editions = {e.code: e for e in Edition.objects.all()}
    for city in City.objects.order_by("slug"):
        if Activity.objects.filter(city=city).exists():
            continue  # idempotent
        persons = list(
            Person.objects.filter(
                city=city, external_id__startswith="demo-", merged_into__isnull=True
            ).order_by("id")
        )
        operator = User.objects.filter(username=f"{city.slug}.operatore").first()
        if not persons or operator is None:
            continue
        rng = random.Random(f"lgnet-activities-{city.slug}")  # noqa: S311 - demo data
        taranto = city.slug == "taranto"
        orgs, sites = _places(city, taranto)
        plans = _taranto_plans(today) if taranto else _other_plans(today)
        for plan in plans:
            _seed_activity(city, plan, orgs, sites, editions, persons, operator, rng, today)
        _seed_events(city, orgs, editions, rng, today, taranto)


def _places(city: City, taranto: bool) -> tuple[dict, dict]:
    organisations = list(Organisation.objects.filter(city=city))
    by_kind = {o.kind: o for o in organisations}
    orgs = {"comune": by_kind.get("comune"), "coop": by_kind.get("social_cooperative")}
    sites = {s.kind: s for s in Site.objects.filter(city=city)}
    if taranto:
        named = {o.name: o for o in organisations}
        orgs.update(
            {
                "cpia": named.get("CPIA Taranto"),
                "iom": named.get("OIM — Organizzazione Internazionale per le Migrazioni"),
                "crest": named.get("Teatro Crest"),
                "isola": named.get("ISOLA Cooperativa Sociale"),
            }
        )
        by_name = {s.name: s for s in Site.objects.filter(city=city)}
        sites = {
            "cpia": by_name.get("CPIA — sede corsi di italiano"),
            "crest": by_name.get("Teatro Crest — TaTÀ"),
            "jannelli": by_name.get("Giardini Jannelli"),
            "schools": by_name.get("Scuole del quartiere Tamburi"),
            "repoint": by_name.get("re-point — sportello unico multiservizi"),
        }
    return orgs, sites


def _seed_activity(city, plan: Plan, orgs, sites, editions, persons, operator, rng, today):
    organisation = orgs.get(plan.org)
    agreement = (
        Agreement.objects.filter(city=city, organisation=organisation).first()
        if organisation is not None and organisation.kind != "comune"
        else None
    )
    days = WeeklyPattern(
        plan.weekdays, plan.at, plan.hours, plan.start, plan.end, plan.holidays
    ).days()
    civic = dict(plan.civic)
    if plan.kind == ActivityKind.CIVIC_PROJECT:
        civic.setdefault("insurance_from", plan.start - timedelta(days=3))
    activity = Activity.objects.create(
        city=city,
        kind=plan.kind,
        title=plan.title,
        organisation=organisation,
        agreement=agreement,
        site=sites.get(plan.site),
        edition=editions.get(plan.edition),
        start_date=plan.start,
        end_date=plan.end,
        capacity=plan.capacity,
        cefr_level=plan.level,
        planned_hours=plan.hours * len(days),
        min_attendance=plan.min_attendance,
        **civic,
    )
    facilitator = User.objects.filter(username=plan.facilitator).first()
    if facilitator:
        activity.facilitators.add(facilitator)
    # A session or two cancelled (a strike, a teacher ill).
    cancelled = {d for d in days if d < today and rng.random() < 0.04}
    sessions = Session.objects.bulk_create(
        [
            Session(
                city=city,
                activity=activity,
                date=day,
                start_time=plan.at,
                hours=plan.hours,
                topic=_topic(plan, index, rng),
                is_cancelled=day in cancelled,
            )
            for index, day in enumerate(days)
        ]
    )
    _seed_people(city, activity, plan, sessions, persons, operator, rng, today)


def _topic(plan: Plan, index: int, rng) -> str:
    if plan.kind == ActivityKind.ITALIAN_COURSE:
        return rng.choice(
            ["Presentarsi", "La casa", "Al lavoro", "Dal medico", "I documenti", "La città",
             "Fare la spesa", "Il tempo libero", "Ripasso", "Verifica"]
        )  # fmt: skip
    if plan.kind == ActivityKind.COURSE:
        return ["Il contratto di lavoro", "La busta paga", "Sicurezza sul lavoro",
                "Caporalato e lavoro nero", "I sindacati e l'Ispettorato", "Disoccupazione",
                "Permesso di soggiorno e lavoro", "Verifica finale"][index % 8]  # fmt: skip
    if plan.kind == ActivityKind.WORKSHOP:
        return f"Laboratorio, incontro {index + 1}"
    return ""


def _seed_people(city, activity, plan: Plan, sessions, persons, operator, rng, today) -> None:
    chosen = rng.sample(persons, min(plan.participants, len(persons)))
    capacity = plan.capacity or len(chosen)
    held = [s for s in sessions if not s.is_cancelled and s.date < today]
    finished = plan.end < today
    enrolments, marks = [], []
    for number, person in enumerate(chosen):
        waiting = number >= capacity
        late = rng.random() < 0.15 and len(held) > 6
        enrolled_on = plan.start + timedelta(days=14 if late else 0)
        rate = rng.choice([0.98, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.6, 0.45])
        dropout = None if waiting else (
            rng.choice(held[len(held) // 3:]).date if held and rng.random() < 0.12 else None
        )  # fmt: skip
        enrolment = Enrolment(
            city=city,
            activity=activity,
            person=person,
            enrolled_on=enrolled_on,
            enrolled_by=operator,
            status=EnrolmentStatus.WAITING if waiting else EnrolmentStatus.ENROLLED,
        )
        if plan.kind == ActivityKind.ITALIAN_COURSE and not waiting:
            rank = CEFR_RANK[plan.level]
            enrolment.entry_level = LEVELS[max(rank - rng.choice([0, 1, 1]), 0)]
        present = 0
        counted = 0
        for session in held:
            if waiting or session.date < enrolled_on or (dropout and session.date > dropout):
                continue
            counted += 1
            if rng.random() < rate:
                status, present = AttendanceStatus.PRESENT, present + 1
            else:
                status = rng.choice([AttendanceStatus.ABSENT] * 4 + [AttendanceStatus.EXCUSED])
            hours = None
            if plan.kind == ActivityKind.CIVIC_PROJECT and status == "present":
                hours = rng.choice([None, None, None, plan.hours - 1, plan.hours + 1])
            marks.append(
                Attendance(
                    city=city,
                    session=session,
                    enrolment=enrolment,
                    status=status,
                    hours=hours,
                    recorded_by=operator,
                )
            )
        if waiting:
            pass
        elif dropout:
            enrolment.status = EnrolmentStatus.DROPPED_OUT
            enrolment.ended_on = dropout
            enrolment.dropout_reason = rng.choice(DROPOUT_REASONS)
        elif finished:
            met = counted and present / counted >= float(plan.min_attendance)
            enrolment.status = EnrolmentStatus.COMPLETED if met else EnrolmentStatus.DROPPED_OUT
            enrolment.ended_on = plan.end
            if not met:
                enrolment.dropout_reason = "Frequenza inferiore al minimo richiesto"
            if met and enrolment.entry_level:
                gained = rng.random() < 0.7
                rank = CEFR_RANK[enrolment.entry_level] + (1 if gained else 0)
                enrolment.exit_level = LEVELS[min(rank, len(LEVELS) - 1)]
        elif present:
            enrolment.status = EnrolmentStatus.ATTENDING
        enrolments.append(enrolment)
    Enrolment.objects.bulk_create(enrolments)
    Attendance.objects.bulk_create(marks, batch_size=2000)


def _seed_events(city, orgs, editions, rng, today, taranto: bool) -> None:
    events = [("Giornata mondiale del rifugiato", date(2023, 6, 20), "Piazza della Vittoria")]
    if taranto:
        events += [
            ("Festa dei popoli al quartiere Tamburi", date(2023, 9, 30), "Quartiere Tamburi"),
            ("Incontro pubblico sul lavoro nero", today - timedelta(days=12), "Città vecchia"),
        ]
    present = [o for key, o in orgs.items() if o is not None and key != "comune"]
    for title, day, place in events:
        event = Activity.objects.create(
            city=city,
            kind=ActivityKind.EVENT,
            title=f"{title} — {city.name}" if not taranto else title,
            organisation=orgs.get("comune"),
            edition=editions.get("LGNET2" if day.year == 2023 else "LGNET3"),
            start_date=day,
            end_date=day,
            place=place,
        )
        event.organisations_present.set(present)
        HeadCount.objects.bulk_create(
            [
                HeadCount(city=city, activity=event, sex=sex, age_band=band, count=count)
                for sex in (Sex.FEMALE, Sex.MALE)
                for band in (
                    AgeBand.UNDER_18,
                    AgeBand.YOUNG,
                    AgeBand.ADULT,
                    AgeBand.MIDDLE,
                    AgeBand.MATURE,
                )  # fmt: skip
                if (count := rng.randint(0, 25 if taranto else 12))
            ]
        )
