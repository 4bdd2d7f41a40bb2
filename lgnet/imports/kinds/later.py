"""Placements (housing) and enrolments (activities), through those apps' own services."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from lgnet.core.exceptions import RuleBroken
from lgnet.imports.kinds.base import Column, Context, choice, parse_date, text
from lgnet.imports.kinds.cases import _PersonFinder, _RowByRow


def _bed(city, reference: str):
    """A bed by its LgNet id, or as "Facility · label" (how the pages and exports name it)."""
    from lgnet.housing.models import Bed

    beds = Bed.objects.filter(city=city).select_related("facility")
    bed = beds.filter(pk=int(reference)).first() if reference.isdigit() else None
    if bed is None and "·" in reference:
        facility, label = (part.strip() for part in reference.rsplit("·", 1))
        bed = beds.filter(facility__name__iexact=facility, label__iexact=label).first()
    if bed is None:
        raise RuleBroken(_("No bed with this id or name."), field="bed")
    return bed


class PlacementsKind(_RowByRow):
    name = "placements"
    label = _l("Housing placements")
    model_label = "housing.placement"
    columns = [
        Column("external_id", _l("Your own id of the placement"), text(80), ("id_esterno",)),
        Column(
            "person", _l("The person: their external id"), text(80), ("persona",), required=True
        ),
        Column(
            "bed",
            _l("The bed: its LgNet id, or 'Facility · label'"),
            text(200),
            ("posto_letto", "letto"),
            required=True,
            example="Casa del rifugiato · A1",
        ),
        Column(
            "start_date", _l("From"), parse_date, ("dal", "data_inizio", "ingresso"), required=True
        ),
        Column("end_date", _l("Until (left out: open)"), parse_date, ("al", "data_fine", "uscita")),
    ]

    def start(self, ctx: Context) -> None:
        super().start(ctx)
        ctx.state["persons"] = _PersonFinder(ctx.city)

    def make(self, ctx: Context, values: dict):
        from lgnet.housing import services as housing_services

        return housing_services.place_person(
            actor=ctx.actor,
            person=ctx.state["persons"].find(values["person"]),
            bed=_bed(ctx.city, values["bed"]),
            start_date=values["start_date"],
            end_date=values.get("end_date"),
        )


def _levels():
    from lgnet.activities.models import CefrLevel

    return choice(CefrLevel.choices)


class EnrolmentsKind(_RowByRow):
    name = "enrolments"
    label = _l("Enrolments in activities")
    model_label = "activities.enrolment"

    @property
    def columns(self):  # built on first use: the activities app's choices
        if not hasattr(self, "_columns"):
            self._columns = [
                Column(
                    "external_id", _l("Your own id of the enrolment"), text(80), ("id_esterno",)
                ),
                Column(
                    "activity",
                    _l("The activity: its LgNet id or its exact title"),
                    text(200),
                    ("attivita", "corso"),
                    required=True,
                ),
                Column(
                    "person",
                    _l("The person: their external id"),
                    text(80),
                    ("persona",),
                    required=True,
                ),
                Column(
                    "enrolled_on", _l("Enrolled on"), parse_date, ("data_iscrizione", "iscritto_il")
                ),
                Column("entry_level", _l("Entry level (CEFR)"), _levels(), ("livello_ingresso",)),
            ]
        return self._columns

    def start(self, ctx: Context) -> None:
        super().start(ctx)
        ctx.state["persons"] = _PersonFinder(ctx.city)

    def make(self, ctx: Context, values: dict):
        from lgnet.activities import services as activity_services
        from lgnet.activities.models import Activity

        reference = values["activity"]
        activities = Activity.objects.filter(city=ctx.city)
        activity = activities.filter(pk=int(reference)).first() if reference.isdigit() else None
        if activity is None:
            found = list(activities.filter(title__iexact=reference)[:2])
            activity = found[0] if len(found) == 1 else None
        if activity is None:
            raise RuleBroken(_("No single activity with this id or title."), field="activity")
        return activity_services.enrol(
            actor=ctx.actor,
            activity=activity,
            person=ctx.state["persons"].find(values["person"]),
            enrolled_on=values.get("enrolled_on"),
            entry_level=values.get("entry_level") or "",
        )
