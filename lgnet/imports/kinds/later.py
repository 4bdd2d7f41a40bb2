"""Placements (housing), through the housing app's own services.

Enrolments moved to ``kinds.activities`` beside activities and attendance; the name stays
importable from here.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from lgnet.core.exceptions import RuleBroken
from lgnet.housing.models import ExitReason
from lgnet.imports.kinds.activities import EnrolmentsKind
from lgnet.imports.kinds.base import Column, Context, choice, is_id, parse_date, text
from lgnet.imports.kinds.cases import _PersonFinder, _RowByRow

__all__ = ["EnrolmentsKind", "PlacementsKind"]


def _bed(city, reference: str):
    """A bed by its LgNet id, or as "Facility · label" (how the pages and exports name it)."""
    from lgnet.housing.models import Bed

    beds = Bed.objects.filter(city=city).select_related("facility")
    bed = beds.filter(pk=int(reference)).first() if is_id(reference) else None
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
            "person",
            _l("The person: their external id"),
            text(80),
            ("persona",),
            required=True,
            example="TA-0001",
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
            "start_date",
            _l("From"),
            parse_date,
            ("dal", "data_inizio", "ingresso"),
            required=True,
            example="01/03/2024",
        ),
        Column("end_date", _l("Until (left out: open)"), parse_date, ("al", "data_fine", "uscita")),
        Column(
            "exit_reason",
            _l("Why the person left (with the day of leaving)"),
            choice(ExitReason.choices),
            ("motivo_uscita",),
            allowed=lambda city: list(ExitReason.choices),
        ),
        Column("exit_notes", _l("Notes on leaving"), text(500), ("note_uscita",)),
    ]

    def start(self, ctx: Context) -> None:
        super().start(ctx)
        ctx.state["persons"] = _PersonFinder(ctx.city)

    def make(self, ctx: Context, values: dict):
        from lgnet.housing import services as housing_services

        placement = housing_services.place_person(
            actor=ctx.actor,
            person=ctx.state["persons"].find(values["person"]),
            bed=_bed(ctx.city, values["bed"]),
            start_date=values["start_date"],
            end_date=values.get("end_date"),
        )
        if values.get("exit_reason"):
            if placement.end_date is None:
                raise RuleBroken(_("An exit reason needs the day of leaving."), field="end_date")
            placement = housing_services.end_placement(
                actor=ctx.actor,
                placement=placement,
                end_date=placement.end_date,
                exit_reason=values["exit_reason"],
                exit_notes=values.get("exit_notes") or "",
            )
        return placement
