"""Cases and services: written through open_case/close_case/record_service, row by row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from lgnet.cases import services as case_services
from lgnet.cases.models import ActionArea, Case
from lgnet.cases.models import Outcome as CaseOutcome
from lgnet.cases.models import Status as CaseStatus
from lgnet.core.exceptions import RuleBroken
from lgnet.imports.kinds.base import (
    Column,
    Context,
    Kind,
    Outcome,
    RowRefused,
    choice,
    imported_ids,
    is_id,
    number,
    parse_date,
    parse_list,
    text,
)
from lgnet.people.models import Person


def person_key(person: Person) -> str:
    """How an export names a person, so another file (or city) can refer to them."""
    return person.external_id or f"LG{person.pk}"


def _areas(value) -> list[str]:
    parse = choice(ActionArea.choices)
    return [parse(v) for v in parse_list(value)]


class _RowByRow(Kind):
    """Each row through the normal services, inside its own savepoint."""

    def start(self, ctx: Context) -> None:
        from lgnet.imports.models import ImportedRecord

        ctx.state["imported"] = dict(
            ImportedRecord.objects.filter(city=ctx.city, kind=self.name).values_list(
                "key", "target_id"
            )
        )
        ctx.state["seen"] = set()

    def write(self, ctx: Context, number: int, values: dict, key: str) -> Outcome:
        if key in ctx.state["imported"]:
            return Outcome("unchanged")
        if key in ctx.state["seen"]:
            raise RowRefused("external_id", _("This external id is used by an earlier row."))
        ctx.state["seen"].add(key)
        ctx.state["row"] = number
        try:
            with transaction.atomic():
                made = self.make(ctx, values)
        except RuleBroken as error:
            raise RowRefused(self.field_to_column(error.field), str(error.message)) from error
        except ValidationError as error:
            raise RowRefused.from_validation(error) from error
        except IntegrityError as error:  # a database rule the service did not check first
            raise RowRefused("", _("This conflicts with a record that exists already.")) from error
        if isinstance(made, Outcome):  # the row found its record and was linked to it
            return made
        return Outcome("created", ("id", made.pk))

    def field_to_column(self, field: str) -> str:
        return field or ""

    def make(self, ctx: Context, values: dict):
        """Write the row through the services: the record made, or an Outcome."""
        raise NotImplementedError

    def target_id(self, ctx: Context, target) -> int | None:
        return target[1] if target else None


class CasesKind(_RowByRow):
    name = "cases"
    label = _l("Cases")
    model_label = "cases.case"
    columns = [
        Column(
            "external_id",
            _l("Your own id of the case (makes a re-import change nothing)"),
            text(80),
            ("id_esterno", "numero", "numero_cartella", "codice"),
            example="TA-2024-0001",
        ),
        Column(
            "person",
            _l("The person: their external id (or LG and the LgNet id)"),
            text(80),
            ("persona", "beneficiario", "codice_persona", "id_persona"),
            required=True,
            example="TA-0001",
        ),
        Column(
            "opened_on",
            _l("Opened on (empty: today)"),
            parse_date,
            ("data_apertura", "aperto_il", "presa_in_carico"),
            example="01/03/2024",
        ),
        Column(
            "areas",
            _l("Action areas separated by ;"),
            _areas,
            ("aree", "aree_di_intervento"),
            example="taking_in_charge; housing",
            allowed=lambda city: list(ActionArea.choices),
        ),
        Column(
            "status",
            _l("Status: open, active (the plan has started) or closed (with an outcome)"),
            choice(CaseStatus.choices, {"aperto": "open", "attivo": "active", "chiuso": "closed"}),
            ("stato",),
            allowed=lambda city: list(CaseStatus.choices),
        ),
        Column(
            "closed_on",
            _l("Closed on (with an outcome)"),
            parse_date,
            ("data_chiusura", "chiuso_il"),
        ),
        Column(
            "outcome",
            _l("Outcome of a closed case"),
            choice(CaseOutcome.choices),
            ("esito",),
            allowed=lambda city: list(CaseOutcome.choices),
        ),
    ]

    def start(self, ctx: Context) -> None:
        super().start(ctx)
        ctx.state["persons"] = _PersonFinder(ctx.city)

    def make(self, ctx: Context, values: dict) -> Case:
        person = ctx.state["persons"].find(values["person"])
        case = case_services.open_case(
            actor=ctx.actor,
            person=person,
            opened_on=values.get("opened_on"),
            areas=values.get("areas") or [],
        )
        status = values.get("status") or ""
        if status == CaseStatus.CLOSED or values.get("outcome") or values.get("closed_on"):
            if status in (CaseStatus.OPEN, CaseStatus.ACTIVE):
                raise RuleBroken(_("A case with a closing date is closed."), field="status")
            case = case_services.close_case(
                actor=ctx.actor,
                case=case,
                outcome=values.get("outcome") or "",
                closed_on=values.get("closed_on"),
            )
        elif status == CaseStatus.ACTIVE:
            case = case_services.activate_case(actor=ctx.actor, case=case)
        return case

    def field_to_column(self, field: str) -> str:
        return {"opened_from": ""}.get(field, field or "")


class ServicesKind(_RowByRow):
    name = "services"
    label = _l("Services")
    model_label = "cases.service"
    columns = [
        Column(
            "external_id",
            _l("Your own id of the service (makes a re-import change nothing)"),
            text(80),
            ("id_esterno", "codice"),
        ),
        Column(
            "case",
            _l("The case: its number in LgNet or the external id of an imported case"),
            text(80),
            ("caso", "cartella", "numero_caso", "numero_cartella"),
            required=True,
            example="TA-2024-0001",
        ),
        Column(
            "person",
            _l("The case's person (a check: must be the case's)"),
            text(80),
            ("persona", "beneficiario"),
        ),
        Column(
            "service_type",
            _l("Service type: a code of the catalogue"),
            text(60),
            ("tipo_servizio", "servizio", "tipo"),
            required=True,
            example="orientation",
            allowed=lambda city: [
                (t.code, str(t)) for t in case_services.service_types_for(city).order_by("code")
            ],
        ),
        Column(
            "delivered_on",
            _l("Delivered on"),
            parse_date,
            ("data", "data_erogazione", "erogato_il"),
            required=True,
            example="02/03/2024",
        ),
        Column("quantity", _l("Quantity (default 1)"), number(10, 2), ("quantita",), example="1"),
        Column("notes", _l("Notes"), text(500), ("note",)),
    ]

    def start(self, ctx: Context) -> None:
        super().start(ctx)
        ctx.state["types"] = {t.code: t for t in case_services.service_types_for(ctx.city)}
        ctx.state["cases"] = CaseFinder(ctx.city)
        ctx.state["persons"] = _PersonFinder(ctx.city)

    def make(self, ctx: Context, values: dict):
        case = ctx.state["cases"].find(values["case"])
        person = values.get("person")
        if person and ctx.state["persons"].find(person).pk != case.person_id:
            raise RuleBroken(_("This is not the person of the case."), field="person")
        service_type = ctx.state["types"].get(values["service_type"])
        if service_type is None:
            raise RuleBroken(_("Not a code of the catalogue."), field="service_type")
        return case_services.record_service(
            actor=ctx.actor,
            case=case,
            service_type=service_type,
            delivered_on=values["delivered_on"],
            quantity=values.get("quantity") or 1,
            notes=values.get("notes") or "",
        )


class CaseFinder:
    """A case by the external id it was imported with, or by its number in LgNet."""

    def __init__(self, city) -> None:
        self.city = city
        self.imported = imported_ids(city, "cases")

    def find(self, reference: str) -> Case:
        found = Case.objects.filter(city=self.city).select_related("person")
        case_id = self.imported.get(reference)
        case = (
            found.filter(pk=case_id).first()
            if case_id
            else found.filter(number__iexact=reference).first()
        )
        if case is None:
            raise RuleBroken(_("No case with this number or external id."), field="case")
        return case


class _PersonFinder:
    def __init__(self, city) -> None:
        from lgnet.imports.models import ImportedRecord

        self.city = city
        self.imported = dict(
            ImportedRecord.objects.filter(city=city, kind="persons").values_list("key", "target_id")
        )

    def find(self, reference: str) -> Person:
        persons = Person.objects.filter(city=self.city)
        person = persons.filter(external_id=reference).first()
        if person is None and reference in self.imported:
            person = persons.filter(pk=self.imported[reference]).first()
        if person is None and reference[:2].upper() == "LG" and is_id(reference[2:]):
            person = persons.filter(pk=int(reference[2:])).first()
        if person is None:
            raise RuleBroken(_("No person with this external id."), field="person")
        if person.merged_into_id:
            person = persons.get(pk=person.merged_into_id)
        return person
