"""Activities, enrolments and attendance registers, through the activities app's services.

A city's registers are sheets of one row per person and session; a date of the register
that LgNet does not know yet becomes a session of the activity, and a person on the
register who is not enrolled yet is enrolled from the activity's start (both through
``add_session`` and ``enrol``, with their rules). Enrolment outcomes (completed, dropped
out) come last, since completion follows the attendance: persons, activities, attendance,
then enrolments.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from lgnet.activities import services as activity_services
from lgnet.activities.models import (
    Activity,
    ActivityKind,
    AllowanceBasis,
    Attendance,
    AttendanceStatus,
    CefrLevel,
    CivicScheme,
    Enrolment,
    EnrolmentStatus,
    Session,
)
from lgnet.cases.models import ActionArea
from lgnet.core.exceptions import RuleBroken
from lgnet.imports.kinds.base import (
    CellError,
    Column,
    Context,
    Outcome,
    choice,
    computed,
    find_record,
    imported_ids,
    is_id,
    number,
    parse_date,
    parse_decimal,
    parse_time,
    text,
    whole,
)
from lgnet.imports.kinds.cases import _PersonFinder, _RowByRow


def parse_fraction(value: Any) -> Decimal | None:
    """0.7, 0,7 or 70 %: a share between 0 and 1."""
    raw = str(value or "").strip()
    percent = raw.endswith("%")
    share = parse_decimal(raw.rstrip("%").strip())
    if share is None:
        return None
    if share.is_finite() and (percent or share > 1):
        share = share / 100
    if not share.is_finite() or not Decimal(0) <= share <= Decimal(1):
        raise CellError(_("Write a share such as 0.7 or 70%."))
    return share.quantize(Decimal("0.01"))


def _named(model, city, reference: str, field: str):
    """An organisation or site of the city by its LgNet id or its exact name."""
    found = model.objects.filter(city=city)
    record = found.filter(pk=int(reference)).first() if is_id(reference) else None
    if record is None:
        matches = list(found.filter(name__iexact=reference)[:2])
        record = matches[0] if len(matches) == 1 else None
    if record is None:
        raise RuleBroken(_("None of your city's records has this name."), field=field)
    return record


def _edition(code: str):
    from lgnet.network.models import Edition

    edition = Edition.objects.filter(code__iexact=code).first()
    if edition is None:
        raise RuleBroken(_("No edition with this code."), field="edition")
    return edition


class ActivityFinder:
    """An activity by the external id it was imported with, its LgNet id, or its exact title;
    the title column, when the file has one, must agree with what was found."""

    def __init__(self, city) -> None:
        self.city = city
        self.imported = imported_ids(city, "activities")

    def find(self, reference: str, title: str = "") -> Activity:
        activities = Activity.objects.filter(city=self.city)
        activity = find_record(activities, self.imported, reference)
        if activity is None:
            found = list(activities.filter(title__iexact=reference)[:2])
            activity = found[0] if len(found) == 1 else None
        if activity is None:
            raise RuleBroken(_("No single activity with this id or title."), field="activity")
        if title and title.strip().casefold() != activity.title.strip().casefold():
            raise RuleBroken(
                _("The activity with this id has another title: %(t)s") % {"t": activity.title},
                field="activity_title",
            )
        return activity


ACTIVITY_COLUMNS = [
    Column(
        "external_id",
        _l("Your own id of the activity (makes a re-import change nothing)"),
        text(80),
        ("id_esterno", "codice"),
        example="TA-CORSO-01",
    ),
    Column(
        "kind",
        _l("Kind of activity"),
        choice(
            ActivityKind.choices,
            {"corso_di_italiano": "italian_course", "laboratorio": "workshop", "evento": "event"},
        ),
        ("tipo", "tipologia"),
        required=True,
        example="italian_course",
        allowed=lambda city: list(ActivityKind.choices),
    ),
    Column(
        "title",
        _l("Title"),
        text(200),
        ("titolo", "nome", "attivita"),
        required=True,
        example="Italiano A2 - mattina",
    ),
    Column(
        "action_area",
        _l("Action area (empty: civic engagement)"),
        choice(ActionArea.choices),
        ("area", "area_di_intervento"),
        allowed=lambda city: list(ActionArea.choices),
    ),
    Column(
        "organisation",
        _l("Run by: the exact name of an organisation of your city"),
        text(200),
        ("ente", "organizzazione", "gestito_da"),
        allowed=lambda city: _organisations(city),
    ),
    Column("site", _l("Site: the exact name of a site of your city"), text(200), ("sede",)),
    Column("place", _l("Place (free text)"), text(200), ("luogo",)),
    Column(
        "edition",
        _l("Edition it counts for (code)"),
        text(20),
        ("edizione",),
        example="LGNET3",
        allowed=lambda city: _editions(city),
    ),
    Column(
        "start_date",
        _l("Start date"),
        parse_date,
        ("data_inizio", "inizio", "dal"),
        required=True,
        example="08/01/2024",
    ),
    Column(
        "end_date",
        _l("End date"),
        parse_date,
        ("data_fine", "fine", "al"),
        required=True,
        example="28/06/2024",
    ),
    Column("capacity", _l("Places (empty: no limit)"), whole(1, 10_000), ("posti",), example="20"),
    Column(
        "cefr_level",
        _l("CEFR level taught"),
        choice(CefrLevel.choices),
        ("livello", "livello_qcer"),
        example="A2",
        allowed=lambda city: list(CefrLevel.choices),
    ),
    Column("planned_hours", _l("Planned hours"), number(6, 1), ("ore_previste", "monte_ore")),
    Column(
        "min_attendance",
        _l("Minimum attendance to complete: 0.7 or 70% (empty: 70%)"),
        parse_fraction,
        ("frequenza_minima",),
    ),
    Column("tutor", _l("Tutor (civic projects)"), text(200), ("tutor",)),
    Column("insurance", _l("Insurance (INAIL, policy)"), text(200), ("assicurazione",)),
    Column(
        "insurance_from", _l("Insurance cover from"), parse_date, ("assicurazione_dal", "copertura")
    ),
    Column(
        "scheme",
        _l("Scheme of a civic project"),
        choice(CivicScheme.choices),
        ("forma", "tipo_di_impegno"),
        allowed=lambda city: list(CivicScheme.choices),
    ),
    Column("allowance_amount", _l("Allowance (EUR)"), number(8, 2), ("indennita",)),
    Column(
        "allowance_basis",
        _l("Allowance basis"),
        choice(AllowanceBasis.choices),
        ("base_indennita",),
        allowed=lambda city: list(AllowanceBasis.choices),
    ),
    Column("hours_per_week", _l("Hours per person per week"), number(4, 1), ("ore_settimanali",)),
    computed("enrolled", _l("People holding a place (from exports; ignored)")),
    computed("waiting", _l("People waiting (from exports; ignored)")),
]


def _organisations(city) -> list[tuple[str, str]]:
    from lgnet.network.models import Organisation

    return [(o.name, o.get_kind_display()) for o in Organisation.objects.filter(city=city)]


def _editions(city) -> list[tuple[str, str]]:
    from lgnet.network.models import Participation

    return [
        (p.edition.code, p.edition.name)
        for p in Participation.objects.filter(city=city).select_related("edition")
    ]


class ActivitiesKind(_RowByRow):
    name = "activities"
    label = _l("Activities (courses, workshops, civic projects)")
    model_label = "activities.activity"
    columns = ACTIVITY_COLUMNS
    guide_notes = (
        _l(
            "One row per activity. Import the activities before their enrolments and "
            "attendance, which name them by this external id (or by their exact title)."
        ),
    )

    FIELDS = (
        "kind",
        "title",
        "action_area",
        "place",
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
    )

    def make(self, ctx: Context, values: dict) -> Activity:
        from lgnet.network.models import Organisation, Site

        data = {k: values[k] for k in self.FIELDS if values.get(k) not in (None, "")}
        if values.get("organisation"):
            data["organisation"] = _named(
                Organisation, ctx.city, values["organisation"], "organisation"
            )
        if values.get("site"):
            data["site"] = _named(Site, ctx.city, values["site"], "site")
        if values.get("edition"):
            data["edition"] = _edition(values["edition"])
        return activity_services.create_activity(actor=ctx.actor, city=ctx.city, data=data)


_ENROLMENT_WORDS = {
    "iscritto": "enrolled",
    "iscritta": "enrolled",
    "frequentante": "attending",
    "completato": "completed",
    "completata": "completed",
    "concluso": "completed",
    "ritirato": "dropped_out",
    "ritirata": "dropped_out",
    "abbandono": "dropped_out",
    "non_ammesso": "not_admitted",
    "non_ammessa": "not_admitted",
    "in_attesa": "waiting",
    "lista_d_attesa": "waiting",
}


class EnrolmentsKind(_RowByRow):
    name = "enrolments"
    label = _l("Enrolments in activities")
    model_label = "activities.enrolment"
    guide_notes = (
        _l(
            "One row per person and activity. A person already enrolled in the activity "
            "(for instance by an attendance import) is not enrolled twice: the row is linked "
            "to that enrolment and its dates, levels and status are applied."
        ),
        _l(
            "Completed needs the attendance the activity asks: import the attendance before "
            "the enrolments that completed or dropped out."
        ),
    )
    columns = [
        Column("external_id", _l("Your own id of the enrolment"), text(80), ("id_esterno",)),
        Column(
            "activity",
            _l("The activity: its external id, LgNet id or exact title"),
            text(200),
            ("attivita", "corso"),
            required=True,
            example="TA-CORSO-01",
        ),
        Column(
            "activity_title",
            _l("The activity's title (a check, when the activity is named by id)"),
            text(200),
            ("titolo_attivita", "titolo_corso"),
        ),
        Column(
            "person",
            _l("The person: their external id"),
            text(80),
            ("persona",),
            required=True,
            example="TA-0001",
        ),
        Column(
            "status",
            _l("Status (empty: enrolled, or waiting when the activity is full)"),
            choice(EnrolmentStatus.choices, _ENROLMENT_WORDS),
            ("stato", "esito"),
            allowed=lambda city: list(EnrolmentStatus.choices),
        ),
        Column(
            "enrolled_on",
            _l("Enrolled on"),
            parse_date,
            ("data_iscrizione", "iscritto_il"),
            example="08/01/2024",
        ),
        Column(
            "ended_on",
            _l("Ended on (completed, dropped out, not admitted)"),
            parse_date,
            ("data_fine", "data_uscita", "concluso_il"),
        ),
        Column(
            "dropout_reason",
            _l("Why the person dropped out (needed for dropped_out)"),
            text(300),
            ("motivo", "motivo_ritiro"),
        ),
        Column(
            "entry_level",
            _l("Entry level (CEFR)"),
            choice(CefrLevel.choices),
            ("livello_ingresso",),
            allowed=lambda city: list(CefrLevel.choices),
        ),
        Column(
            "exit_level",
            _l("Exit level (CEFR, final test)"),
            choice(CefrLevel.choices),
            ("livello_uscita", "livello_finale"),
            allowed=lambda city: list(CefrLevel.choices),
        ),
        computed("hours_attended", _l("Hours attended (from exports; ignored)")),
        computed("attendance_rate", _l("Attendance rate (from exports; ignored)")),
    ]

    def start(self, ctx: Context) -> None:
        super().start(ctx)
        ctx.state["persons"] = _PersonFinder(ctx.city)
        ctx.state["activities"] = ActivityFinder(ctx.city)

    def make(self, ctx: Context, values: dict):
        activity = ctx.state["activities"].find(values["activity"], values.get("activity_title"))
        person = ctx.state["persons"].find(values["person"])
        enrolment = Enrolment.objects.filter(
            city=ctx.city, activity=activity, person=person
        ).first()
        linked = enrolment is not None
        wanted = values.get("status") or ""
        if enrolment is None:
            enrolment = activity_services.enrol(
                actor=ctx.actor,
                activity=activity,
                person=person,
                enrolled_on=values.get("enrolled_on"),
                entry_level=values.get("entry_level") or "",
            )
            if wanted == EnrolmentStatus.WAITING and enrolment.status != wanted:
                raise RuleBroken(
                    _(
                        "The activity has a free place: the person is enrolled, not waiting "
                        "(list the people enrolled before those waiting)."
                    ),
                    field="status",
                )
        else:
            if values.get("enrolled_on") and values["enrolled_on"] != enrolment.enrolled_on:
                enrolment = activity_services.update_enrolment(
                    actor=ctx.actor,
                    enrolment=enrolment,
                    changes={"enrolled_on": values["enrolled_on"]},
                )
            if values.get("entry_level") and values["entry_level"] != enrolment.entry_level:
                enrolment = activity_services.record_levels(
                    actor=ctx.actor, enrolment=enrolment, entry_level=values["entry_level"]
                )
        if values.get("exit_level"):
            enrolment = activity_services.record_levels(
                actor=ctx.actor, enrolment=enrolment, exit_level=values["exit_level"]
            )
        # Marked present already (by the register) is attending: "enrolled" does not undo it.
        attending = (
            wanted == EnrolmentStatus.ENROLLED and enrolment.status == EnrolmentStatus.ATTENDING
        )
        if wanted and not attending and wanted not in (enrolment.status, EnrolmentStatus.WAITING):
            enrolment = activity_services.change_status(
                actor=ctx.actor,
                enrolment=enrolment,
                status=wanted,
                reason=values.get("dropout_reason") or "",
                on=values.get("ended_on"),
            )
        elif wanted == EnrolmentStatus.WAITING and enrolment.status != wanted:
            raise RuleBroken(
                _("A person holding a place cannot go back to waiting."), field="status"
            )
        if linked:
            return Outcome("linked", ("id", enrolment.pk))
        return enrolment


_ATTENDANCE_WORDS = {
    "p": "present",
    "presente": "present",
    "si": "present",
    "x": "present",
    "a": "absent",
    "assente": "absent",
    "no": "absent",
    "g": "excused",
    "giustificato": "excused",
    "giustificata": "excused",
    "assenza_giustificata": "excused",
}


class AttendanceKind(_RowByRow):
    name = "attendance"
    label = _l("Attendance registers")
    model_label = "activities.attendance"
    guide_notes = (
        _l(
            "One row per person and session (date) of an activity, as in a paper register. "
            "A date LgNet does not know yet becomes a session of the activity, lasting "
            "session_hours (or, when that is empty, the row's hours)."
        ),
        _l(
            "A person on the register who is not enrolled yet is enrolled from the "
            "activity's start date. Import the activities first."
        ),
    )
    columns = [
        Column("external_id", _l("Your own id of the mark"), text(80), ("id_esterno",)),
        Column(
            "activity",
            _l("The activity: its external id, LgNet id or exact title"),
            text(200),
            ("attivita", "corso"),
            required=True,
            example="TA-CORSO-01",
        ),
        Column(
            "activity_title",
            _l("The activity's title (a check, when the activity is named by id)"),
            text(200),
            ("titolo_attivita", "titolo_corso"),
        ),
        Column(
            "date",
            _l("Date of the session"),
            parse_date,
            ("data", "data_incontro", "giorno", "session_date"),
            required=True,
            example="04/03/2024",
        ),
        Column(
            "start_time",
            _l("Start time, when the activity meets more than once that day"),
            parse_time,
            ("ora", "ora_inizio"),
        ),
        Column(
            "person",
            _l("The person: their external id"),
            text(80),
            ("persona",),
            required=True,
            example="TA-0001",
        ),
        Column(
            "status",
            _l("present, absent or excused (P, A, G)"),
            choice(AttendanceStatus.choices, _ATTENDANCE_WORDS),
            ("presenza", "stato", "esito"),
            required=True,
            example="present",
            allowed=lambda city: list(AttendanceStatus.choices),
        ),
        Column(
            "hours",
            _l("Hours attended, when present (empty: the whole session)"),
            number(4, 2),
            ("ore", "ore_frequentate"),
            example="2",
        ),
        Column(
            "session_hours",
            _l("Length of the session in hours (to add a session LgNet does not know)"),
            number(4, 2),
            ("ore_incontro", "durata", "durata_incontro"),
            example="2",
        ),
    ]

    def start(self, ctx: Context) -> None:
        super().start(ctx)
        ctx.state["persons"] = _PersonFinder(ctx.city)
        ctx.state["activities"] = ActivityFinder(ctx.city)
        ctx.state["marked"] = {}

    def _session(self, ctx: Context, activity: Activity, values: dict) -> Session:
        sessions = Session.objects.filter(city=ctx.city, activity=activity, date=values["date"])
        if values.get("start_time"):
            sessions = sessions.filter(start_time=values["start_time"])
        found = list(sessions.order_by("start_time", "id")[:2])
        if len(found) > 1:
            raise RuleBroken(
                _("The activity meets more than once that day: give the start time."),
                field="start_time",
            )
        length = values.get("session_hours")
        if found:
            session = found[0]
            if length is not None and length != session.hours:
                raise RuleBroken(
                    _("The session of that day lasts %(h)s hours.") % {"h": session.hours},
                    field="session_hours",
                )
            return session
        length = length if length is not None else values.get("hours")
        if not length:
            raise RuleBroken(
                _("LgNet has no session of this activity that day: give its length in hours."),
                field="session_hours",
            )
        return activity_services.add_session(
            actor=ctx.actor,
            activity=activity,
            date=values["date"],
            hours=length,
            start_time=values.get("start_time"),
        )

    def make(self, ctx: Context, values: dict):
        activity = ctx.state["activities"].find(values["activity"], values.get("activity_title"))
        person = ctx.state["persons"].find(values["person"])
        session = self._session(ctx, activity, values)
        enrolment = Enrolment.objects.filter(
            city=ctx.city, activity=activity, person=person
        ).first()
        if enrolment is None:
            enrolment = activity_services.enrol(
                actor=ctx.actor, activity=activity, person=person, enrolled_on=activity.start_date
            )
        earlier = ctx.state["marked"].get((session.pk, enrolment.pk))
        if earlier is not None:
            raise RuleBroken(
                _("This person is marked already for this session, in row %(n)s.") % {"n": earlier},
                field="person",
            )
        existed = Attendance.objects.filter(session=session, enrolment=enrolment).exists()
        hours = values.get("hours")  # kept for people present only (the service's rule)
        activity_services.record_attendance(
            actor=ctx.actor,
            session=session,
            marks=[activity_services.Mark(enrolment, values["status"], hours)],
        )
        mark = Attendance.objects.get(session=session, enrolment=enrolment)
        # Last, once every write of the row went through (a refused row rolls back).
        ctx.state["marked"][(session.pk, enrolment.pk)] = ctx.state["row"]
        return Outcome("linked" if existed else "created", ("id", mark.pk))

    def field_to_column(self, field: str) -> str:
        return {"items.person": "person", "items.status": "status", "items.hours": "hours"}.get(
            field, field or ""
        )
