"""Rent supports and their ledger, activities, attendance and enrolments: the importers use
the apps' own rules, report by row and column, write all or nothing; their exports follow
the role, are logged and keep their query count; templates, command line, API and page."""

from __future__ import annotations

import csv
import io
from datetime import date, time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_scopes import scope, scopes_disabled

from lgnet.core.exceptions import RuleBroken
from lgnet.core.models import AuditEvent
from lgnet.imports import exports, services
from lgnet.imports.kinds import KINDS
from lgnet.imports.models import ImportedRecord, ImportStatus
from lgnet.imports.reading import normalise_header

TARANTO = "taranto"


def upload(world, content: bytes | str, kind: str, name: str = "foglio.csv"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    with scope(city=world.a.city):
        return services.create_import(
            actor=world.user("coordinator"),
            city=world.a.city,
            kind=kind,
            upload=SimpleUploadedFile(name, content),
        )


def check(world, data_import):
    with scope(city=world.a.city):
        return services.check_import(data_import, actor=world.user("coordinator"))


def apply(world, data_import):
    with scope(city=world.a.city):
        return services.apply_import(data_import, actor=world.user("coordinator"))


def where(report) -> list[tuple[int, str]]:
    return [(e["row"], e["column"]) for e in report.errors]


@pytest.fixture
def named(world):
    """The world's two persons with the external ids a city's sheets use."""
    with scopes_disabled():
        for person, key in ((world.a.person, "TA-1"), (world.a.other_person, "TA-2")):
            person.external_id = key
            person.save(update_fields=["external_id"])
    return world


# --- rent supports and the ledger ----------------------------------------------------------

LEDGER_HEADER = (
    "Pratica;Beneficiario;Proprietario;Tipo proprietario;Partita IVA;Componenti;Primo mese;"
    "Mesi;Canone;Contributo;Data pagamento;Importo;Causale\n"
)


def test_a_ledger_in_an_italian_office_csv_makes_supports_and_payments(named):
    from lgnet.housing.models import Landlord, RentPayment, RentSupport

    world = named
    text = LEDGER_HEADER + (
        "AFF-1;TA-1;Società Jonica;società;01234567890;3;01/09/2023;12;1.050,50;300,00;"
        "30/09/2023;300,00;Mandato – settembre\n"
        "AFF-1;;;;;;;;;;31/10/2023;300;ottobre\n"
        "AFF-1;TA-1;Società Jonica;;;;2023-09-01;12;1050,5;300;30/11/2023;300;novembre\n"
        "AFF-2;TA-2;Anna Lippolis;;;;01/11/2023;3;300;150;30/11/2023;150;\n"
    )
    done = apply(world, upload(world, text.encode("cp1252"), "rent_payments"))
    assert done.status == ImportStatus.APPLIED, done.report
    assert done.counts["created"] == 4
    with scopes_disabled():
        first = RentSupport.objects.get(
            pk=ImportedRecord.objects.get(kind="rent_supports", key="AFF-1").target_id
        )
        assert first.person == world.a.person and first.household_size == 3
        assert (first.monthly_rent, first.contribution, first.months) == (
            Decimal("1050.50"),
            Decimal(300),
            12,
        )
        assert first.edition.code == "LGNET2" and first.case == world.a.case
        assert first.landlord.kind == "company" and first.landlord.tax_code == "01234567890"
        assert [p.notes for p in RentPayment.objects.filter(rent_support=first)] == [
            "Mandato – settembre",
            "ottobre",
            "novembre",
        ]
        second = RentSupport.objects.get(
            pk=ImportedRecord.objects.get(kind="rent_supports", key="AFF-2").target_id
        )
        # The landlord the city has already: found by name, not registered twice.
        assert second.landlord == world.a.landlord
        assert Landlord.objects.filter(city=world.a.city, name="Anna Lippolis").count() == 1
        payments = ImportedRecord.objects.filter(data_import=done, kind="rent_payments")
        assert sorted(payments.values_list("row", flat=True)) == [2, 3, 4, 5]


def test_a_ledger_row_that_disagrees_or_overpays_writes_nothing(named):
    from lgnet.housing.models import Landlord, RentSupport

    world = named
    text = LEDGER_HEADER + (
        "AFF-1;TA-1;Nuovo Locatore;;;;01/09/2023;2;400;200;30/09/2023;200;\n"
        "AFF-1;TA-2;;;;;;2;450;;31/10/2023;200;\n"  # another person, another rent
        "AFF-1;;;;;;;;;;30/11/2023;300;\n"  # 200 + 300 > 2 × 200
        "AFF-1;;;;;;;;;;31/12/2999;1;\n"  # in the future
        "AFF-9;;;;;;;;;;30/11/2023;100;\n"  # no such support, and no columns to make it
        f"LG{world.a.rent_support.pk};;;;;;;;;;30/06/2023;200;\n"  # the LgNet id: fine
    )
    with scopes_disabled():
        supports, landlords = RentSupport.objects.count(), Landlord.objects.count()
    data_import = upload(world, text.encode("cp1252"), "rent_payments")
    with translation.override("it"), pytest.raises(RuleBroken):
        apply(world, data_import)
    data_import.refresh_from_db()
    assert data_import.status == ImportStatus.INVALID
    assert where(data_import) == [
        (3, "person"),
        (3, "monthly_rent"),
        (4, "amount"),
        (5, "paid_on"),
        (6, "rent_support"),
    ]
    messages = {e["row"]: e["message"] for e in data_import.errors}
    assert messages[4].startswith("Questo pagamento supererebbe il totale previsto")
    assert "400" in data_import.errors[1]["message"]  # what LgNet has
    with scopes_disabled():
        assert (RentSupport.objects.count(), Landlord.objects.count()) == (supports, landlords)
        assert not ImportedRecord.objects.filter(kind__startswith="rent").exists()


def test_odd_numbers_and_ids_are_cell_errors_not_crashes(named):
    world = named
    support = f"LG{world.a.rent_support.pk}"
    text = "rent_support,paid_on,amount\n" + "".join(
        f"{ref},2023-06-30,{amount}\n"
        for ref, amount in (
            (support, "NaN"),
            (support, "1e12"),
            (support, "-5"),
            (support, "10.005"),
            ("²", "10"),  # a digit to Python, not an id
            ("LG99999999999999999999", "10"),  # beyond any id
            (support, "10"),
        )
    )
    report = check(world, upload(world, text, "rent_payments"))
    assert where(report) == [
        (2, "amount"),
        (3, "amount"),
        (4, "amount"),
        (5, "amount"),
        (6, "rent_support"),
        (7, "rent_support"),
    ]
    register = "activity,date,person,status,hours\nItaliano A2,2024-03-04,TA-1,present,Infinity\n"
    assert where(check(world, upload(world, register, "attendance"))) == [(2, "hours")]


def test_rent_supports_follow_the_housing_rules(named):
    from lgnet.housing import services as housing

    world = named
    with scopes_disabled():
        housing.save_landlord(
            actor=world.user("coordinator"),
            city=world.a.city,
            changes={"kind": "person", "name": "Mario Rossi", "tax_code": "RSSMRA70A01L049X"},
        )
        housing.save_landlord(
            actor=world.user("coordinator"),
            city=world.a.city,
            changes={"kind": "person", "name": "Mario Rossi", "tax_code": "RSSMRA80A01L049Y"},
        )
    text = (
        "external_id,person,landlord,start_date,months,monthly_rent,contribution,edition\n"
        "R1,TA-1,Anna Lippolis,2023-06-01,6,300,350,\n"  # more than the rent
        "R2,TA-1,Anna Lippolis,2023-06-01,40,300,100,\n"  # beyond 36 months
        "R3,TA-2,Anna Lippolis,2023-06-01,6,300,100,LGNET9\n"  # not an edition
        "R4,TA-2,Mario Rossi,2023-06-01,6,300,100,\n"  # two of that name
        "R5,TA-2,Anna Lippolis,2022-06-01,6,300,100,\n"  # no edition of the city then
        "R6,TA-2,LG999999,2023-06-01,6,300,100,LGNET2\n"  # no landlord with that id
    )
    with translation.override("it"):
        report = check(world, upload(world, text, "rent_supports"))
    assert where(report) == [
        (2, "contribution"),
        (3, "months"),
        (4, "edition"),
        (5, "landlord_tax_code"),
        (6, "edition"),
        (7, "landlord"),
    ]
    assert report.errors[0]["message"] == "Il contributo non può superare l'affitto."


# --- activities, attendance, enrolments -----------------------------------------------------


def test_an_activities_sheet_with_italian_headers(named):
    from lgnet.activities.models import Activity

    world = named
    header = "Codice;Tipo;Titolo;Ente;Data inizio;Data fine;Posti;Livello;Frequenza minima\n"
    good = "C1;Corso di italiano;Italiano B1;Cooperativa Taranto;08/01/2024;28/06/2024;15;B1;80%\n"
    bad = (
        "C2;laboratorio;Cucina;Cooperativa Taranto;01/02/2024;30/04/2024;0;;\n"
        "C3;laboratorio;Cucina;Ente che non c'è;01/02/2024;30/04/2024;10;;\n"
        "C4;laboratorio;Cucina;Cooperativa Taranto;01/02/2024;31/01/2024;10;;\n"
    )
    report = check(world, upload(world, (header + good + bad).encode("cp1252"), "activities"))
    assert where(report) == [(3, "capacity"), (4, "organisation"), (5, "end_date")]
    done = apply(world, upload(world, (header + good).encode("cp1252"), "activities"))
    assert done.counts["created"] == 1
    with scopes_disabled():
        course = Activity.objects.get(city=world.a.city, title="Italiano B1")
    assert (course.kind, course.organisation, course.capacity) == (
        "italian_course",
        world.a.partner,
        15,
    )
    assert course.cefr_level == "B1" and course.min_attendance == Decimal("0.80")


def test_an_attendance_register_adds_sessions_and_enrols_who_is_not_yet(named):
    from lgnet.activities.models import Attendance, Enrolment, Session

    world = named
    text = (
        "Attività;Data;Persona;Presenza;Ore;Ore incontro\n"
        "Italiano A2;04/03/2024;TA-1;P;;\n"  # marked already in the app: linked
        "Italiano A2;11/03/2024;TA-1;presente;1,5;2\n"
        "Italiano A2;11/03/2024;TA-2;A;;\n"  # not enrolled yet
        "Italiano A2;2024-03-18;TA-2;G;;2\n"
    )
    done = apply(world, upload(world, text.encode("cp1252"), "attendance"))
    assert done.status == ImportStatus.APPLIED, done.report
    assert (done.counts["created"], done.counts["linked"]) == (3, 1)
    with scopes_disabled():
        sessions = Session.objects.filter(activity=world.a.activity).order_by("date")
        assert [(s.date.day, s.hours) for s in sessions] == [(4, 2), (11, 2), (18, 2)]
        late = Enrolment.objects.get(activity=world.a.activity, person=world.a.other_person)
        assert (late.enrolled_on, late.status) == (world.a.activity.start_date, "enrolled")
        marks = Attendance.objects.filter(session__activity=world.a.activity)
        assert sorted(
            (m.session.date.day, m.enrolment.person.external_id, m.status, m.hours) for m in marks
        ) == [
            (4, "TA-1", "present", None),
            (11, "TA-1", "present", Decimal("1.50")),
            (11, "TA-2", "absent", None),
            (18, "TA-2", "excused", None),
        ]
        linked = ImportedRecord.objects.get(data_import=done, row=2)
        assert (linked.action, linked.target_id) == (
            "linked",
            Attendance.objects.get(session=world.a.session, enrolment=world.a.enrolment).pk,
        )


def test_attendance_errors_by_row_and_column_and_nothing_written(named):
    from lgnet.activities import services as act
    from lgnet.activities.models import Enrolment, Session

    world = named
    with scopes_disabled():
        for hour in (9, 15):
            act.add_session(
                actor=world.user("caseworker"),
                activity=world.a.activity,
                date=date(2024, 3, 25),
                hours=2,
                start_time=time(hour),
            )
        sessions = Session.objects.count()
        enrolments = Enrolment.objects.count()
    text = (
        "activity,date,start_time,person,status,hours,session_hours\n"
        "Italiano A2,2024-03-11,,TA-2,present,,2\n"  # fine alone (and enrols TA-2)...
        "Italiano A2,2024-03-11,,TA-2,absent,,\n"  # ...but marked twice
        "Italiano A2,2024-09-02,,TA-1,present,,2\n"  # after the activity's end
        "Italiano A2,2024-03-12,,TA-1,present,,\n"  # a new session, of no length
        "Cucina,2024-03-04,,TA-1,present,,\n"  # no such activity
        "Italiano A2,2024-03-04,,TA-1,forse,,\n"  # not a status
        "Italiano A2,2024-03-25,,TA-1,present,,\n"  # two sessions that day
        "Italiano A2,2024-03-25,15:00,TA-1,present,,\n"  # the afternoon one: fine
        "Italiano A2,2024-03-04,,nobody,present,,\n"
    )
    data_import = upload(world, text, "attendance")
    with pytest.raises(RuleBroken):
        apply(world, data_import)
    data_import.refresh_from_db()
    assert where(data_import) == [
        (3, "person"),
        (4, "date"),
        (5, "session_hours"),
        (6, "activity"),
        (7, "status"),
        (8, "start_time"),
        (10, "person"),
    ]
    with scopes_disabled():
        assert (Session.objects.count(), Enrolment.objects.count()) == (sessions, enrolments)


def test_enrolments_complete_only_by_the_attendance_rule(named):
    from lgnet.activities.models import Enrolment

    world = named
    course = world.a.activity
    completing = (
        "activity;person;status;ended_on;exit_level\nItaliano A2;TA-2;completed;20/03/2024;A2\n"
    )
    report = check(world, upload(world, completing, "enrolments"))
    assert where(report) == [(2, "status")]  # enrolled now, with no attendance at all
    wrong_title = f"activity,activity_title,person\n{course.pk},Cucina,TA-2\n"
    report = check(world, upload(world, wrong_title, "enrolments"))
    assert where(report) == [(2, "activity_title")]
    register = "activity,date,person,status\nItaliano A2,2024-03-04,TA-2,present\n"
    assert apply(world, upload(world, register, "attendance")).status == ImportStatus.APPLIED
    done = apply(world, upload(world, completing, "enrolments"))
    assert done.counts == {"created": 0, "linked": 1, "unchanged": 0, "duplicate": 0, "invalid": 0}
    with scopes_disabled():
        enrolment = Enrolment.objects.get(activity=course, person=world.a.other_person)
    assert (enrolment.status, enrolment.ended_on, enrolment.exit_level) == (
        "completed",
        date(2024, 3, 20),
        "A2",
    )


def test_placements_take_their_exit_and_cases_their_status(named):
    from lgnet.cases.models import Case
    from lgnet.housing.models import Placement

    world = named
    spare = world.a.spare_bed
    placements = (
        "person,bed,start_date,end_date,exit_reason,exit_notes\n"
        f"TA-2,{spare.facility.name} · {spare.label},01/01/2024,01/02/2024,family,Dal fratello\n"
    )
    assert apply(world, upload(world, placements, "placements")).status == ImportStatus.APPLIED
    cases = "person,opened_on,status\nTA-2,2024-02-01,active\n"
    assert apply(world, upload(world, cases, "cases")).status == ImportStatus.APPLIED
    with scopes_disabled():
        placement = Placement.objects.get(person=world.a.other_person)
        assert (placement.exit_reason, placement.exit_notes) == ("family", "Dal fratello")
        assert Case.objects.get(person=world.a.other_person).status == "active"
    services_file = "case,person,service_type,delivered_on\n" + (
        f"{world.a.case.number},TA-2,orientation,2024-03-05\n"  # the case is TA-1's
    )
    report = check(world, upload(world, services_file, "services"))
    assert where(report) == [(2, "person")]
    # A bed written with digits that are not 0-9, or past any id: an error on its cell.
    odd = "person,bed,start_date\nTA-2,²,01/03/2024\nTA-2,99999999999999999999,01/03/2024\n"
    assert where(check(world, upload(world, odd, "placements"))) == [(2, "bed"), (3, "bed")]


# --- exports --------------------------------------------------------------------------------


def _rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_new_exports_by_role_logged_and_without_names(world, client, bearer):
    body = client.get("/api/v1/exports/attendance", headers=bearer("auditor")).json()
    assert body["count"] == 1
    mark = body["items"][0]
    assert mark["person"] == f"LG{world.a.person.pk}" and mark["status"] == "present"
    assert not {"given_names", "family_names", "vulnerabilities"} & set(mark)
    assert mark["hours"] == mark["session_hours"] == "2.00"
    ledger = client.get("/api/v1/exports/rent_payments?format=csv", headers=bearer("coordinator"))
    assert ledger["Content-Type"].startswith("text/csv") and _rows(ledger) == []
    supports = client.get("/api/v1/exports/rent_supports", headers=bearer("auditor")).json()
    assert supports["items"][0]["landlord"] == "Anna Lippolis"
    assert Decimal(supports["items"][0]["paid"]) == 0
    activities = client.get("/api/v1/exports/activities", headers=bearer("auditor")).json()
    assert [a["title"] for a in activities["items"]] == ["Italiano A2"]
    logged = AuditEvent.objects.filter(action="data.exported").values_list("data", flat=True)
    assert sorted(d["kind"] for d in logged) == [
        "activities",
        "attendance",
        "rent_payments",
        "rent_supports",
    ]
    assert all("rows" in d and "columns" in d for d in logged)
    assert client.get("/api/v1/exports/attendance", headers=bearer("caseworker")).status_code == 403
    # The partner keeps its course's register: its marks, by person id, never a name.
    marks = client.get("/api/v1/exports/attendance", headers=bearer("partner")).json()
    assert [m["activity"] for m in marks["items"]] == [world.a.activity.pk]
    assert not {"given_names", "family_names"} & set(marks["items"][0])
    milano = client.get("/api/v1/exports/rent_supports", headers=bearer("outsider")).json()
    assert milano["count"] == 1 and milano["items"][0]["external_id"] == (
        f"LG{world.b.rent_support.pk}"
    )


def test_a_partners_shape_holds_its_own_activities_only(world):
    from lgnet.activities import services as act

    with scopes_disabled():
        own = act.create_activity(
            actor=world.user("coordinator"),
            city=world.a.city,
            data={
                "kind": "event",
                "title": "Festa del quartiere",
                "organisation": world.a.organisation,
                "start_date": date(2024, 5, 1),
                "end_date": date(2024, 5, 1),
            },
        )
        partner = world.memberships["partner"]
        columns, rows = exports.export_table("activities", partner, world.a.city)
        titles = [r[columns.index("title")] for r in rows]
        columns, marks = exports.export_table("attendance", partner, world.a.city)
        marks = list(marks)
    assert titles == ["Italiano A2"] and own.title not in titles
    assert len(marks) == 1 and "given_names" not in columns


def test_the_web_export_of_the_ledger_is_logged(world, login):
    with scopes_disabled():
        from lgnet.housing import services as housing

        housing.record_payment(
            actor=world.user("coordinator"),
            support=world.a.rent_support,
            paid_on=date(2023, 6, 30),
            amount=Decimal(200),
        )
    client = login(world.user("auditor"))
    url = reverse("imports:export", args=[TARANTO]) + "?kind=rent_payments&format=csv"
    response = client.get(url)
    rows = _rows(response)
    assert [(r["rent_support"], r["amount"], r["paid_on"]) for r in rows] == [
        (f"LG{world.a.rent_support.pk}", "200.00", "2023-06-30")
    ]
    event = AuditEvent.objects.get(action="data.exported")
    assert (event.actor, event.data["kind"], event.data["rows"]) == (
        world.user("auditor"),
        "rent_payments",
        1,
    )


def _more_of_everything(world, n: int) -> None:
    """n more of every exported record in Taranto, through the services."""
    from lgnet.activities import services as act
    from lgnet.housing import services as housing
    from lgnet.people.services import register_person

    worker, boss = world.user("caseworker"), world.user("coordinator")
    with scopes_disabled():
        for i in range(n):
            person = register_person(
                actor=worker,
                city=world.a.city,
                data={
                    "given_names": f"N{i}",
                    "family_names": "Q",
                    "sex": "F",
                    "birth_date": date(1990, 1, 1),
                },
            )
            bed = housing.save_bed(
                actor=boss, facility=world.a.facility, changes={"label": f"X{i}"}
            )
            housing.place_person(actor=boss, person=person, bed=bed, start_date=date(2024, 1, 1))
            landlord = housing.save_landlord(
                actor=boss, city=world.a.city, changes={"kind": "person", "name": f"L{i}"}
            )
            support = housing.create_rent_support(
                actor=boss,
                person=person,
                data={
                    "landlord": landlord,
                    "start_date": date(2023, 6, 1),
                    "months": 2,
                    "monthly_rent": Decimal(300),
                    "contribution": Decimal(100),
                },
            )
            housing.record_payment(
                actor=boss, support=support, paid_on=date(2023, 6, 30), amount=Decimal(100)
            )
            activity = act.create_activity(
                actor=boss,
                city=world.a.city,
                data={
                    "kind": "course",
                    "title": f"Corso {i}",
                    "organisation": world.a.partner,
                    "site": world.a.site,
                    "start_date": date(2024, 1, 8),
                    "end_date": date(2024, 6, 28),
                },
            )
            session = act.add_session(
                actor=worker, activity=activity, date=date(2024, 3, 4), hours=2
            )
            enrolment = act.enrol(
                actor=worker, activity=activity, person=person, enrolled_on=date(2024, 1, 8)
            )
            act.record_attendance(
                actor=worker, session=session, marks=[act.Mark(enrolment, "present")]
            )


NEW_EXPORTS = [
    "placements",
    "rent_supports",
    "rent_payments",
    "activities",
    "enrolments",
    "attendance",
]


def test_new_exports_take_the_same_queries_for_one_row_or_many(
    world, login, django_assert_max_num_queries
):
    from lgnet.housing import services as housing

    with scopes_disabled():  # one payment, so that the ledger is not empty
        housing.record_payment(
            actor=world.user("coordinator"),
            support=world.a.rent_support,
            paid_on=date(2023, 6, 30),
            amount=Decimal(200),
        )
    client = login(world.user("coordinator"))
    few = {}
    for kind in NEW_EXPORTS:
        url = reverse("imports:export", args=[TARANTO]) + f"?kind={kind}&format=csv"
        with django_assert_max_num_queries(30) as counted:
            assert len(_rows(client.get(url))) == 1, kind
        few[kind] = len(counted.captured_queries)
    _more_of_everything(world, 12)
    for kind in NEW_EXPORTS:
        url = reverse("imports:export", args=[TARANTO]) + f"?kind={kind}&format=csv"
        with django_assert_max_num_queries(few[kind]):
            assert len(_rows(client.get(url))) == 13, kind


# --- templates, headers, command line, page -------------------------------------------------

NEW_KINDS = ["rent_supports", "rent_payments", "activities", "enrolments", "attendance"]


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_the_template_has_headers_an_example_the_guide_and_allowed_values(world, login, kind):
    from openpyxl import load_workbook

    client = login(world.user("coordinator"))
    response = client.get(reverse("imports:template", args=[TARANTO]) + f"?kind={kind}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    data, guide, values = book.worksheets
    asked = [c.name for c in KINDS[kind].columns if not c.is_computed]
    assert [c.value for c in data[1]] == asked
    example = {h: c.value for h, c in zip(asked, data[2], strict=True)}
    assert all(example[c.name] for c in KINDS[kind].columns if c.required)
    described = [row[0] for row in guide.iter_rows(min_row=2, values_only=True)]
    assert set(asked) <= set(described)
    notes = " ".join(str(row[0]) for row in guide.iter_rows(values_only=True) if row[0])
    assert all(str(note)[:40] in notes for note in KINDS[kind].guide_notes)
    codes = {(row[0], row[1]) for row in values.iter_rows(min_row=2, values_only=True)}
    expected = {
        "rent_supports": {("landlord_kind", "company"), ("edition", "LGNET2")},
        "rent_payments": {("landlord_kind", "person"), ("edition", "LGNET2")},
        "activities": {("kind", "civic_project"), ("organisation", "Cooperativa Taranto")},
        "enrolments": {("status", "dropped_out"), ("exit_level", "B1")},
        "attendance": {("status", "excused")},
    }[kind]
    assert expected <= codes


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_header_names_one_column_of_its_kind(kind):
    seen: dict[str, str] = {}
    for column in KINDS[kind].columns:
        for header in column.headers():
            assert seen.setdefault(header, column.name) == column.name, (kind, header)


def test_the_command_line_imports_and_exports_the_new_kinds(named, tmp_path, capsys):
    from lgnet.activities.models import Attendance

    world = named
    register = tmp_path / "registro.csv"
    register.write_bytes(
        "Attività;Data;Persona;Presenza;Ore incontro\nItaliano A2;11/03/2024;TA-1;P;2\n".encode(
            "cp1252"
        )
    )
    call_command("import", "attendance", str(register), "--city", TARANTO, "--dry-run")
    with scopes_disabled():
        assert Attendance.objects.filter(session__activity=world.a.activity).count() == 1
    call_command("import", "attendance", str(register), "--city", TARANTO)
    assert "written" in capsys.readouterr().out
    with scopes_disabled():
        assert Attendance.objects.filter(session__activity=world.a.activity).count() == 2
    bad = tmp_path / "cattivo.csv"
    bad.write_text("activity,date,person,status\nItaliano A2,2024-03-11,TA-1,maybe\n")
    with pytest.raises(SystemExit) as failed:
        call_command("import", "attendance", str(bad), "--city", TARANTO)
    assert failed.value.code == 1
    assert "row 2, status" in capsys.readouterr().out
    for kind in ("attendance", "rent_supports", "activities"):
        out = tmp_path / f"{kind}.csv"
        call_command("export", kind, "--city", TARANTO, "--format", "csv", "-o", str(out))
        header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        known = {normalise_header(h) for c in KINDS[kind].columns for h in c.headers()}
        assert set(header) <= known  # what the export writes, the importer reads
    assert AuditEvent.objects.filter(action="data.exported", data__channel="cli").count() == 3


def test_the_import_page_offers_the_new_kinds(world, login):
    client = login(world.user("coordinator"))
    html = client.get(reverse("imports:list", args=[TARANTO])).content.decode()
    for kind in NEW_KINDS:
        assert f'value="{kind}"' in html and f"?kind={kind}" in html
