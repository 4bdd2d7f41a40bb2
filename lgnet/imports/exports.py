"""Exports of the lists, with the filters applied and only the fields the role may see."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from lgnet.cases import selectors as case_selectors
from lgnet.core import audit
from lgnet.imports.kinds.cases import person_key
from lgnet.people import selectors as people_selectors

EXPORT_KINDS = (
    "persons",
    "cases",
    "services",
    "placements",
    "rent_supports",
    "rent_payments",
    "activities",
    "enrolments",
    "attendance",
)
# The capabilities each kind needs besides data.export (any one of them). A partner worker
# exports what its pages show: the persons its organisation reaches, its own activities.
EXPORT_NEEDS: dict[str, tuple[str, ...]] = {
    "persons": ("people.view", "people.view_referred"),
    "cases": ("cases.view",),
    "services": ("cases.view",),
    "placements": ("housing.view",),
    "rent_supports": ("housing.view",),
    "rent_payments": ("housing.view",),
    "activities": ("activities.view", "activities.record"),
    "enrolments": ("activities.view", "activities.record"),
    "attendance": ("activities.view", "activities.record"),
}


def may_export(membership, kind: str) -> bool:
    """The membership holds data.export and one of the kind's capabilities."""
    return membership.can("data.export") and any(
        membership.can(capability) for capability in EXPORT_NEEDS[kind]
    )


FULL_PERSON = [
    "external_id",
    "given_names",
    "family_names",
    "aliases",
    "original_script_name",
    "sex",
    "birth_date",
    "birth_date_precision",
    "nationalities",
    "languages",
    "codice_fiscale",
    "legal_status",
    "permit_number",
    "permit_expiry",
    "phone",
    "dwelling",
    "privacy_notice_on",
    "privacy_notice_language",
]
# What a partner's pages show (people.api.partner_out): no codes, no permit, no nationality;
# sex, birth date, languages and phone only as far as the person's consent shares them.
PARTNER_PERSON = [
    "external_id",
    "given_names",
    "family_names",
    "sex",
    "birth_date",
    "birth_date_precision",
    "languages",
    "phone",
]
CASE_COLUMNS = ["external_id", "person", "opened_on", "areas", "status", "closed_on", "outcome"]
PLACEMENT_COLUMNS = [
    "external_id",
    "person",
    "bed",
    "start_date",
    "end_date",
    "exit_reason",
    "exit_notes",
]
ENROLMENT_COLUMNS = [
    "external_id",
    "activity",
    "activity_title",
    "person",
    "status",
    "enrolled_on",
    "ended_on",
    "dropout_reason",
    "entry_level",
    "exit_level",
    "hours_attended",
    "attendance_rate",
]
ACTIVITY_COLUMNS = [
    "external_id",
    "kind",
    "title",
    "action_area",
    "organisation",
    "site",
    "place",
    "edition",
    "start_date",
    "end_date",
    "capacity",
    "cefr_level",
    "planned_hours",
    "min_attendance",
    "tutor",
    "insurance",
    "insurance_from",
    "scheme",
    "allowance_amount",
    "allowance_basis",
    "hours_per_week",
    "enrolled",
    "waiting",
]
# One row per person and session, as a paper register; hours are those attended (present).
ATTENDANCE_COLUMNS = [
    "external_id",
    "activity",
    "activity_title",
    "date",
    "start_time",
    "person",
    "status",
    "hours",
    "session_hours",
]
SUPPORT_COLUMNS = [
    "person",
    "landlord",
    "landlord_kind",
    "landlord_tax_code",
    "household_size",
    "start_date",
    "months",
    "monthly_rent",
    "contribution",
    "edition",
]
RENT_SUPPORT_COLUMNS = [
    "external_id",
    *SUPPORT_COLUMNS,
    "case",
    "notes",
    "planned_total",
    "paid",
]
# The ledger: one row per payment, the support's columns repeated (kinds.rent).
RENT_PAYMENT_COLUMNS = [
    "external_id",
    "rent_support",
    *SUPPORT_COLUMNS,
    "paid_on",
    "amount",
    "notes",
]
SERVICE_COLUMNS = [
    "external_id",
    "case",
    "person",
    "service_type",
    "delivered_on",
    "quantity",
    "notes",
]


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if value is None:
        return ""
    return value


def _time(value) -> str:
    return value.strftime("%H:%M") if value else ""


def _support_cells(support) -> list:
    landlord = support.landlord
    return [
        person_key(support.person),
        landlord.name,
        landlord.kind,
        landlord.tax_code,
        support.household_size,
        support.start_date,
        support.months,
        support.monthly_rent,
        support.contribution,
        support.edition.code,
    ]


def _is_partner(membership) -> bool:
    return membership is not None and not (
        membership.can("people.view") or membership.can("people.view_minimal")
    )


def _partner_row(seen) -> list:
    """PARTNER_PERSON's cells; a field the consent does not share is left empty."""
    year = seen.birth_year
    cells = {
        "external_id": person_key(seen.person),
        "given_names": seen.given_names,
        "family_names": seen.family_names,
        "sex": seen.sex or "",
        "birth_date": date(year, 1, 1) if year else "",
        "birth_date_precision": "year" if year else "",
        "languages": _cell(seen.languages),
        "phone": seen.phone or "",
    }
    return [cells[name] for name in PARTNER_PERSON]


def person_columns(membership) -> list[str]:
    if _is_partner(membership):
        return PARTNER_PERSON
    if membership is None or membership.can("people.sensitive"):
        return [*FULL_PERSON, "vulnerabilities"]
    return FULL_PERSON


def export_table(
    kind: str, membership, city, filters: dict | None = None
) -> tuple[list[str], Iterable[list]]:
    """Header and rows. ``membership`` None is the command line (every field)."""
    filters = filters or {}
    if kind == "persons":
        partner = _is_partner(membership)
        persons = people_selectors.list_persons(
            city,
            q=filters.get("q", ""),
            permit_expiring=bool(filters.get("permit_expiring")) and not partner,
            nationality=filters.get("nationality", "") if not partner else "",
            by_codice_fiscale=not partner,
            among=people_selectors.persons_for_partner(membership) if partner else None,
        )
        columns = person_columns(membership)
        # A partner's fields per person, for every person it reaches: one query per reach.
        shared = people_selectors.partner_fields(membership) if partner else {}

        def person_rows():
            for p in persons.iterator(chunk_size=2000):
                if partner:
                    yield _partner_row(
                        people_selectors.PartnerView(p, shared.get(p.pk, frozenset()))
                    )
                    continue
                row = []
                for name in columns:
                    if name == "external_id":
                        row.append(person_key(p))
                    else:
                        row.append(_cell(getattr(p, name)))
                yield row

        return columns, person_rows()
    if kind == "cases":
        cases = case_selectors.list_cases(
            city,
            status=filters.get("status", ""),
            area=filters.get("area", ""),
            manager_id=filters.get("manager_id"),
            q=filters.get("q", ""),
            overdue=bool(filters.get("overdue")),
        ).order_by("opened_on", "id")  # oldest first: a person's closed case before the open one
        return CASE_COLUMNS, (
            [
                c.number,
                person_key(c.person),
                c.opened_on,
                _cell(c.areas),
                c.status,
                _cell(c.closed_on),
                c.outcome,
            ]
            for c in cases.iterator(chunk_size=2000)
        )
    if kind == "services":
        services = case_selectors.list_services(city).select_related("person", "service_type")
        return SERVICE_COLUMNS, (
            [
                f"LG{s.pk}",
                s.case.number,
                person_key(s.person),
                s.service_type.code,
                s.delivered_on,
                s.quantity,
                s.notes,
            ]
            for s in services.iterator(chunk_size=2000)
        )
    if kind == "placements":
        from lgnet.housing import selectors as housing_selectors

        placements = housing_selectors.list_placements(city)
        return PLACEMENT_COLUMNS, (
            [
                f"LG{p.pk}",
                person_key(p.person),
                f"{p.bed.facility.name} · {p.bed.label}",
                p.start_date,
                _cell(p.end_date),
                p.exit_reason,
                p.exit_notes,
            ]
            for p in placements.iterator(chunk_size=2000)
        )
    if kind in ("rent_supports", "rent_payments"):
        return _rent_table(kind, membership, city)
    if kind in ("activities", "attendance"):
        return _activity_table(kind, membership, city)
    if kind == "enrolments":
        from lgnet.activities import selectors as activity_selectors
        from lgnet.activities.models import Enrolment

        if membership is not None:
            enrolments = activity_selectors.list_enrolments(membership)
        else:  # the command line: every enrolment of the city
            enrolments = activity_selectors.with_figures(
                Enrolment.objects.filter(city=city).select_related("activity", "person")
            )
        # In the order they were made: re-imported so, the waiting list comes out the same.
        enrolments = enrolments.order_by("activity_id", "id")
        return ENROLMENT_COLUMNS, (
            [
                f"LG{e.pk}",
                e.activity_id,
                e.activity.title,
                person_key(e.person),
                e.status,
                e.enrolled_on,
                _cell(e.ended_on),
                e.dropout_reason,
                e.entry_level,
                e.exit_level,
                e.hours_attended,
                _cell(getattr(e, "attendance_rate", None)),
            ]
            for e in enrolments.iterator(chunk_size=2000)
        )
    raise ValueError(kind)


def _rent_table(kind: str, membership, city) -> tuple[list[str], Iterable[list]]:
    from lgnet.housing import selectors as housing_selectors
    from lgnet.housing.models import RentPayment

    # Art. 18: a restricted person's records stay out of lists but the coordinator's.
    restricted_out = not people_selectors.sees_restricted(membership)
    if kind == "rent_supports":
        supports = (
            housing_selectors.list_rent_supports(city)
            .select_related("case")
            .order_by("start_date", "id")
        )
        if restricted_out:
            supports = supports.exclude(person__is_restricted=True)
        return RENT_SUPPORT_COLUMNS, (
            [
                f"LG{s.pk}",
                *_support_cells(s),
                s.case.number if s.case_id else "",
                s.notes,
                s.planned_total,
                s.paid,
            ]
            for s in supports.iterator(chunk_size=2000)
        )
    payments = (
        RentPayment.objects.filter(city=city)
        .select_related("rent_support__person", "rent_support__landlord", "rent_support__edition")
        .order_by("rent_support__start_date", "rent_support_id", "paid_on", "id")
    )
    if restricted_out:
        payments = payments.exclude(rent_support__person__is_restricted=True)
    return RENT_PAYMENT_COLUMNS, (
        [
            f"LG{p.pk}",
            f"LG{p.rent_support_id}",
            *_support_cells(p.rent_support),
            p.paid_on,
            p.amount,
            p.notes,
        ]
        for p in payments.iterator(chunk_size=2000)
    )


def _activity_table(kind: str, membership, city) -> tuple[list[str], Iterable[list]]:
    """A partner (membership without activities.view) gets its organisation's only."""
    from django.db.models import Count, Q

    from lgnet.activities import selectors as activity_selectors
    from lgnet.activities.models import PLACE_HOLDING, Activity, Attendance, EnrolmentStatus

    if kind == "activities":
        if membership is not None:
            activities = activity_selectors.list_activities(membership)
        else:  # the command line: every activity of the city
            activities = (
                Activity.objects.filter(city=city)
                .select_related("organisation", "site", "edition")
                .annotate(
                    enrolled_count=Count(
                        "enrolments", filter=Q(enrolments__status__in=PLACE_HOLDING)
                    ),
                    waiting_count=Count(
                        "enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)
                    ),
                )
            )
        return ACTIVITY_COLUMNS, (
            [
                f"LG{a.pk}",
                a.kind,
                a.title,
                a.action_area,
                a.organisation.name if a.organisation_id else "",
                a.site.name if a.site_id else "",
                a.place,
                a.edition.code if a.edition_id else "",
                a.start_date,
                a.end_date,
                _cell(a.capacity),
                a.cefr_level,
                _cell(a.planned_hours),
                a.min_attendance,
                a.tutor,
                a.insurance,
                _cell(a.insurance_from),
                a.scheme,
                _cell(a.allowance_amount),
                a.allowance_basis,
                _cell(a.hours_per_week),
                a.enrolled_count,
                a.waiting_count,
            ]
            for a in activities.order_by("start_date", "id").iterator(chunk_size=2000)
        )
    marks = Attendance.objects.filter(city=city)
    if membership is not None:
        marks = marks.filter(session__in=activity_selectors.list_sessions(membership))
    if not people_selectors.sees_restricted(membership):
        marks = marks.exclude(enrolment__person__is_restricted=True)
    marks = marks.select_related("session__activity", "enrolment__person").order_by(
        "session__activity_id", "session__date", "session__start_time", "session_id", "id"
    )
    return ATTENDANCE_COLUMNS, (
        [
            f"LG{m.pk}",
            m.session.activity_id,
            m.session.activity.title,
            m.session.date,
            _time(m.session.start_time),
            person_key(m.enrolment.person),
            m.status,
            (m.hours if m.hours is not None else m.session.hours) if m.status == "present" else "",
            m.session.hours,
        ]
        for m in marks.iterator(chunk_size=2000)
    )


def write_csv(columns: list[str], rows: Iterable[list]) -> tuple[bytes, int]:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([v.isoformat() if isinstance(v, date) else v for v in row])
        count += 1
    return ("\ufeff" + out.getvalue()).encode("utf-8"), count  # BOM: Excel reads UTF-8


def write_xlsx(columns: list[str], rows: Iterable[list], title: str) -> tuple[bytes, int]:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(columns)
    count = 0
    for row in rows:
        sheet.append([str(v) if not isinstance(v, date | int | float) else v for v in row])
        count += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), count


def export(
    kind: str,
    *,
    membership,
    city,
    actor,
    fmt: str = "xlsx",
    filters: dict | None = None,
    channel: str = "web",
) -> tuple[bytes, int]:
    """The file and its row count; every export of personal data is logged."""
    if kind not in EXPORT_KINDS:
        raise ValueError(kind)
    columns, rows = export_table(kind, membership, city, filters)
    if fmt == "csv":
        data, count = write_csv(columns, rows)
    else:
        data, count = write_xlsx(columns, rows, str(_(kind)))
    audit.record(
        actor=actor,
        city=city,
        action="data.exported",
        data={
            "kind": kind,
            "rows": count,
            "format": fmt,
            "channel": channel,
            "columns": columns,
            "filters": sorted(k for k, v in (filters or {}).items() if v),
        },
    )
    return data, count
