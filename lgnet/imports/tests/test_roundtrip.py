"""Every kind round-trips: records made in Taranto through the services, exported with the
product's export, imported into a city with no records, give the same records.

"The same" is checked on every column the export carries: the new city's export must equal
Taranto's once the ids that differ between databases (LgNet ids, case numbers) are mapped
through the import's own links (row → record made). The files go in as the export writes
them (UTF-8 CSV, and XLSX) and as an Italian office re-saves them: Windows-1252, `;`
between cells, dates as 31/03/2024, decimals with a comma, the template's Italian headers.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scope, scopes_disabled

from lgnet.accounts.models import Membership
from lgnet.accounts.roles import Role
from lgnet.imports import exports, services
from lgnet.imports.kinds import get_kind
from lgnet.imports.models import ImportedRecord, ImportStatus

# Persons first, so that the others find them by external id; the attendance before the
# enrolments, since completing an enrolment follows the attendance (kinds.activities).
ORDER = [
    "persons",
    "cases",
    "services",
    "placements",
    "rent_supports",
    "rent_payments",
    "activities",
    "attendance",
    "enrolments",
]


# --- Taranto's records, through the services ----------------------------------------------


def build_taranto(world) -> None:
    """Besides the world's records: persons with accents, a closed case before an open
    one, an ended placement, rent supports with and without payments (a company landlord),
    a civic project and a workshop, a register of three sessions, enrolments completed,
    dropped out, refused, attending and waiting."""
    from lgnet.activities import services as act
    from lgnet.cases import services as cases
    from lgnet.cases.models import ServiceType
    from lgnet.housing import services as housing
    from lgnet.people.services import register_person

    a, worker, boss = world.a, world.user("caseworker"), world.user("coordinator")
    with scopes_disabled():
        aicha = register_person(
            actor=worker,
            city=a.city,
            data={
                "external_id": "TA-P3",
                "given_names": "Aïcha",
                "family_names": "Traoré",
                "aliases": ["Aisha Traore"],
                "sex": "F",
                "birth_date": date(1995, 3, 31),
                "nationalities": ["ML"],
                "languages": ["fr", "bm"],
                "legal_status": "asylum_request",
                "permit_expiry": date(2025, 6, 30),
                "phone": "333 1234567",
                "privacy_notice_on": date(2024, 1, 15),
                "privacy_notice_language": "fr",
            },
        )
        jerome = register_person(
            actor=worker,
            city=a.city,
            data={
                "external_id": "TA-P4",
                "given_names": "Jérôme",
                "family_names": "Kaboré",
                "sex": "M",
                "birth_date": date(1988, 5, 1),
                "birth_date_precision": "month",
                "nationalities": ["BF"],
            },
        )
        other = a.other_person
        orientation = ServiceType.objects.get(code="orientation", city=None)
        legal = ServiceType.objects.get(code="legal_advice", city=None)
        old = cases.open_case(
            actor=worker, person=other, opened_on=date(2023, 5, 2), areas=["housing"]
        )
        cases.record_service(
            actor=worker,
            case=old,
            service_type=legal,
            delivered_on=date(2023, 6, 15),
            quantity=Decimal("2.5"),
            notes="Colloquio – primo",
        )
        cases.close_case(
            actor=worker, case=old, outcome="goals_reached", closed_on=date(2023, 9, 30)
        )
        current = cases.open_case(
            actor=worker,
            person=other,
            opened_on=date(2024, 2, 1),
            areas=["taking_in_charge", "civic_engagement"],
        )
        cases.record_service(
            actor=worker, case=a.case, service_type=orientation, delivered_on=date(2024, 3, 5)
        )
        housing.place_person(
            actor=boss,
            person=other,
            bed=a.spare_bed,
            start_date=date(2024, 1, 10),
            end_date=date(2024, 2, 20),
        )
        ended = other.placements.get()
        housing.end_placement(
            actor=boss,
            placement=ended,
            end_date=date(2024, 2, 20),
            exit_reason="autonomous_housing",
            exit_notes="Casa in affitto",
        )
        for paid_on in (date(2023, 6, 30), date(2023, 7, 31)):
            housing.record_payment(
                actor=boss, support=a.rent_support, paid_on=paid_on, amount=Decimal(200)
            )
        company = housing.save_landlord(
            actor=boss,
            city=a.city,
            changes={
                "kind": "company",
                "name": "Immobiliare Jonica S.r.l.",
                "tax_code": "01234567890",
            },
        )
        support = housing.create_rent_support(
            actor=boss,
            person=aicha,
            data={
                "landlord": company,
                "start_date": date(2023, 9, 1),
                "months": 12,
                "monthly_rent": Decimal("550.50"),
                "contribution": Decimal(300),
                "household_size": 3,
                "notes": "Nucleo con due figli",
            },
        )
        housing.record_payment(
            actor=boss,
            support=support,
            paid_on=date(2023, 9, 30),
            amount=Decimal("300"),
            notes="Mandato n. 12 – settembre",
        )
        housing.create_rent_support(  # no payment yet; linked to the open case
            actor=boss,
            person=other,
            data={
                "landlord": a.landlord,
                "start_date": date(2023, 11, 1),
                "months": 3,
                "monthly_rent": Decimal(300),
                "contribution": Decimal(150),
            },
            edition_code="LGNET2",
        )
        assert current.status == "open"

        course = a.activity  # Italiano A2, with the world's session of 4 March
        s2 = act.add_session(actor=worker, activity=course, date=date(2024, 3, 11), hours=2)
        s3 = act.add_session(actor=worker, activity=course, date=date(2024, 3, 18), hours=2)
        dropping = act.enrol(
            actor=worker, activity=course, person=other, enrolled_on=date(2024, 3, 1)
        )
        joining = act.enrol(
            actor=worker,
            activity=course,
            person=aicha,
            enrolled_on=date(2024, 3, 10),
            entry_level="A1",
        )
        refused = act.enrol(
            actor=worker, activity=course, person=jerome, enrolled_on=date(2024, 3, 1)
        )
        act.change_status(
            actor=worker,
            enrolment=refused,
            status="not_admitted",
            reason="Livello già B1",
            on=date(2024, 3, 2),
        )
        mark = act.Mark
        act.record_attendance(actor=worker, session=a.session, marks=[mark(dropping, "absent")])
        act.record_attendance(
            actor=worker,
            session=s2,
            marks=[
                mark(a.enrolment, "present", Decimal("1.5")),
                mark(dropping, "excused"),
                mark(joining, "present"),
            ],
        )
        act.change_status(
            actor=worker,
            enrolment=dropping,
            status="dropped_out",
            reason="Trasferito a Bari",
            on=date(2024, 3, 15),
        )
        act.record_attendance(
            actor=worker,
            session=s3,
            marks=[mark(a.enrolment, "present"), mark(joining, "absent")],
        )
        act.change_status(
            actor=worker, enrolment=a.enrolment, status="completed", on=date(2024, 3, 20)
        )
        act.record_levels(actor=worker, enrolment=a.enrolment, exit_level="B1")

        civic = act.create_activity(
            actor=boss,
            city=a.city,
            data={
                "kind": "civic_project",
                "title": "Giardini Jannelli",
                "organisation": a.organisation,
                "place": "Giardini Jannelli",
                "edition": world.edition,
                "start_date": date(2024, 2, 1),
                "end_date": date(2024, 5, 31),
                "planned_hours": Decimal(120),
                "min_attendance": Decimal("0.8"),
                "tutor": "Giuseppe Rossi",
                "insurance": "INAIL 2024/77",
                "insurance_from": date(2024, 2, 1),
                "scheme": "voluntary",
                "allowance_amount": Decimal("5.50"),
                "allowance_basis": "hour",
                "hours_per_week": Decimal(6),
            },
        )
        garden = act.add_session(
            actor=worker, activity=civic, date=date(2024, 2, 5), hours=4, start_time=None
        )
        digging = act.enrol(
            actor=worker, activity=civic, person=other, enrolled_on=date(2024, 2, 1)
        )
        act.record_attendance(
            actor=worker, session=garden, marks=[mark(digging, "present", Decimal("3.5"))]
        )
        theatre = act.create_activity(
            actor=boss,
            city=a.city,
            data={
                "kind": "workshop",
                "title": "Laboratorio teatrale",
                "action_area": "civic_engagement",
                "organisation": a.partner,
                "site": a.site,
                "start_date": date(2024, 2, 1),
                "end_date": date(2024, 4, 30),
                "capacity": 1,
            },
        )
        act.enrol(actor=worker, activity=theatre, person=aicha, enrolled_on=date(2024, 2, 1))
        waiting = act.enrol(
            actor=worker, activity=theatre, person=jerome, enrolled_on=date(2024, 2, 2)
        )
        assert waiting.status == "waiting"


def empty_city(world, slug: str = "bari"):
    """A city that has joined the network and set itself up (organisations, sites, a
    facility with its beds, the edition), with no person and no record of its work."""
    from lgnet.housing import services as housing
    from lgnet.network.models import City, Organisation, Participation, Site

    with scopes_disabled():
        city = City.objects.create(slug=slug, name=slug.title(), istat_code="072006", region="P")
        Participation.objects.create(edition=world.edition, city=city, target_beneficiaries=10)
        comune = Organisation.objects.create(
            city=city, name=world.a.organisation.name, kind=Organisation.Kind.COMUNE
        )
        partner = Organisation.objects.create(
            city=city, name=world.a.partner.name, kind=Organisation.Kind.SOCIAL_COOPERATIVE
        )
        Site.objects.create(
            city=city, name=world.a.site.name, kind=Site.Kind.ONE_STOP_SHOP, organisation=partner
        )
        membership = Membership.objects.create(
            user=world.user("coordinator"), city=city, role=Role.CITY_COORDINATOR
        )
        facility = housing.save_facility(
            actor=world.user("coordinator"),
            city=city,
            changes={
                "name": world.a.facility.name,
                "kind": "emergency_house",
                "organisation": comune,
            },
        )
        for label in ("1A", "1B"):
            housing.save_bed(
                actor=world.user("coordinator"), facility=facility, changes={"label": label}
            )
    return city, membership


# --- files as they travel ----------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def _italian_cell(value: str) -> str:
    found = _ISO.match(value)
    if found:
        return f"{found.group(3)}/{found.group(2)}/{found.group(1)}"
    if _DECIMAL.match(value):
        return value.replace(".", ",")
    return value


def italian_office_csv(kind: str, data: bytes) -> bytes:
    """The export as an Italian office re-saves it: the template's Italian headers,
    Windows-1252, `;`, 31/03/2024 and 2,50."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    italian = {c.name: (c.aliases[0] if c.aliases else c.name) for c in get_kind(kind).columns}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([italian.get(h, h) for h in rows[0]])
    for row in rows[1:]:
        writer.writerow([_italian_cell(c) for c in row])
    return out.getvalue().encode("cp1252")  # strict: every name must fit the code page


def export_file(world, kind: str, variant: str) -> tuple[bytes, str]:
    fmt = "xlsx" if variant == "xlsx" else "csv"
    with scope(city=world.a.city):
        data, _count = exports.export(
            kind,
            membership=world.memberships["coordinator"],
            city=world.a.city,
            actor=world.user("coordinator"),
            fmt=fmt,
        )
    if variant == "cp1252":
        data = italian_office_csv(kind, data)
    return data, f"{kind}.{fmt}"


def import_file(world, city, kind: str, data: bytes, filename: str):
    actor = world.user("coordinator")
    with scope(city=city):
        data_import = services.create_import(
            actor=actor,
            city=city,
            kind=kind,
            upload=SimpleUploadedFile(filename, data),
            # Mohamed Dialo and Muhammad Diallo look alike: both are kept, as in Taranto.
            create_duplicates=kind == "persons",
        )
        services.run(data_import, actor=actor, apply=True)
    return data_import


# --- comparing ---------------------------------------------------------------------------


def table(kind: str, city, membership) -> tuple[list[str], list[list]]:
    with scope(city=city):
        columns, rows = exports.export_table(kind, membership, city)
        return columns, [list(r) for r in rows]


def links(city, kind: str) -> dict[str, int]:
    with scopes_disabled():
        return dict(
            ImportedRecord.objects.filter(city=city, kind=kind).values_list("key", "target_id")
        )


def case_numbers(city) -> dict[str, str]:
    """Taranto's case number → the number of the case the import made."""
    from lgnet.cases.models import Case

    with scopes_disabled():
        numbers = dict(Case.objects.filter(city=city).values_list("pk", "number"))
    return {key: numbers[pk] for key, pk in links(city, "cases").items()}


def expected_rows(kind: str, columns: list[str], rows: list[list], city) -> list[list]:
    """Taranto's rows with its ids replaced by those of the records the import made."""
    own = links(city, kind)
    numbers = case_numbers(city)
    activities = links(city, "activities")
    supports = links(city, "rent_supports")
    out = []
    for row in rows:
        row = list(row)
        for i, name in enumerate(columns):
            value = row[i]
            if name == "external_id" and kind == "cases":
                row[i] = numbers[value]
            elif name == "external_id" and kind != "persons":
                row[i] = f"LG{own[value]}"
            elif name == "case" and value:
                row[i] = numbers[value]
            elif name == "activity":
                row[i] = activities[f"LG{value}"]
            elif name == "rent_support":
                row[i] = f"LG{supports[value]}"
        out.append(row)
    return out


def same(rows: list[list]) -> list[tuple]:
    return sorted(tuple(str(v) for v in row) for row in rows)


# --- the tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["utf8", "cp1252", "xlsx"])
def test_every_kind_round_trips_into_an_empty_city(world, variant):
    build_taranto(world)
    city, membership = empty_city(world)
    seen_rows = {}
    for kind in ORDER:
        data, filename = export_file(world, kind, variant)
        done = import_file(world, city, kind, data, filename)
        assert done.status == ImportStatus.APPLIED, (kind, done.report)
        assert done.report["warnings"] == []  # every column of the export is understood
        # Every row points at its record; the register's rows enrolled people, whom the
        # enrolments file then finds and links.
        linked = {"enrolments": 4}.get(kind, 0)
        assert done.counts["created"] + done.counts["linked"] == done.rows, kind
        assert done.counts["linked"] == linked, (kind, done.counts)
        seen_rows[kind] = done.rows
    # Compared once everything is in: some columns are totals of later kinds (paid).
    for kind in ORDER:
        columns, rows = table(kind, world.a.city, world.memberships["coordinator"])
        assert len(rows) == seen_rows[kind], f"Taranto has no {kind}: that would prove nothing"
        b_columns, b_rows = table(kind, city, membership)
        assert b_columns == columns
        assert same(b_rows) == same(expected_rows(kind, columns, rows, city)), kind
    assert seen_rows["attendance"] == 8 and seen_rows["rent_payments"] == 3


def test_importing_the_same_exports_again_changes_nothing(world):
    from lgnet.core.models import AuditEvent

    build_taranto(world)
    city, _membership = empty_city(world)
    files = {kind: export_file(world, kind, "cp1252") for kind in ORDER}
    for kind in ORDER:
        assert import_file(world, city, kind, *files[kind]).status == ImportStatus.APPLIED
    events = AuditEvent.objects.exclude(action__startswith="import.").count()
    with scopes_disabled():
        records = ImportedRecord.objects.filter(city=city).count()
    for kind in ORDER:
        again = import_file(world, city, kind, *files[kind])
        assert again.status == ImportStatus.APPLIED
        assert again.counts["unchanged"] == again.rows, (kind, again.counts)
    assert AuditEvent.objects.exclude(action__startswith="import.").count() == events
    with scopes_disabled():
        assert ImportedRecord.objects.filter(city=city).count() == records


def test_the_ledger_alone_makes_the_supports_it_names(world):
    """One sheet, one row per payment: the supports come from the repeated columns."""
    from lgnet.housing.models import RentSupport

    build_taranto(world)
    city, membership = empty_city(world, "cagliari")
    for kind in ("persons", "rent_payments"):
        done = import_file(world, city, kind, *export_file(world, kind, "cp1252"))
        assert done.status == ImportStatus.APPLIED, done.report
    columns, rows = table("rent_payments", world.a.city, world.memberships["coordinator"])
    _columns, b_rows = table("rent_payments", city, membership)
    assert same(b_rows) == same(expected_rows("rent_payments", columns, rows, city))
    with scopes_disabled():
        made = RentSupport.objects.filter(city=city)
        assert made.count() == 2  # the third support has no payment: it is not in a ledger
        assert {s.landlord.name for s in made} == {"Anna Lippolis", "Immobiliare Jonica S.r.l."}
        assert made.get(person__external_id="TA-P3").notes == ""
