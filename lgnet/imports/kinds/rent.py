"""Rent supports and their payments, through the housing app's services.

A comune's rent-support ledger is usually one sheet with a row per payment, the support's
columns (beneficiary, landlord, rent, contribution, months) repeated on each row and an id
of the support ("pratica"). ``rent_payments`` reads exactly that: the first row naming a
support LgNet does not know creates it (``create_rent_support``), the following rows must
agree with it, and every row records its payment (``record_payment``: never beyond the
planned total, never in the future). ``rent_supports`` reads one row per support, for
supports without payments yet or a ledger kept in two sheets.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from lgnet.core.exceptions import RuleBroken
from lgnet.housing import services as housing_services
from lgnet.housing.models import Landlord, LandlordKind, RentSupport
from lgnet.imports.kinds.base import (
    Column,
    Context,
    RowRefused,
    choice,
    computed,
    find_record,
    imported_ids,
    is_id,
    number,
    parse_date,
    text,
    whole,
)
from lgnet.imports.kinds.cases import CaseFinder, _PersonFinder, _RowByRow

_LANDLORD_WORDS = {
    "privato": "person",
    "persona": "person",
    "persona_fisica": "person",
    "societa": "company",
    "impresa": "company",
    "agenzia": "company",
}


def _support_columns(required: bool) -> list[Column]:
    """The support's own columns; in the ledger they may be left out once LgNet knows it."""
    return [
        Column(
            "person",
            _l("The person (head of household): their external id"),
            text(80),
            ("persona", "beneficiario", "intestatario"),
            required=required,
            example="TA-0001",
        ),
        Column(
            "landlord",
            _l("The landlord: exact name (a new name registers the landlord) or LgNet id"),
            text(200),
            ("proprietario", "locatore"),
            required=required,
            example="Anna Lippolis",
        ),
        Column(
            "landlord_kind",
            _l("Kind of landlord, for a new one (empty: private person)"),
            choice(LandlordKind.choices, _LANDLORD_WORDS),
            ("tipo_proprietario", "tipo_locatore"),
            allowed=lambda city: list(LandlordKind.choices),
        ),
        Column(
            "landlord_tax_code",
            _l("Landlord's codice fiscale or VAT number (tells apart two of one name)"),
            text(16),
            ("codice_fiscale_proprietario", "cf_proprietario", "partita_iva", "cf_locatore"),
        ),
        Column(
            "household_size",
            _l("Household size (empty: 1)"),
            whole(1, 50),
            ("componenti", "nucleo", "componenti_nucleo"),
            example="3",
        ),
        Column(
            "start_date",
            _l("First month supported"),
            parse_date,
            ("primo_mese", "decorrenza", "dal", "data_inizio"),
            required=required,
            example="01/03/2024",
        ),
        Column(
            "months",
            _l("Months supported (1 to 36)"),
            whole(1, 36),
            ("mesi", "durata_mesi", "durata"),
            required=required,
            example="6",
        ),
        Column(
            "monthly_rent",
            _l("Monthly rent (EUR)"),
            number(8, 2),
            ("canone", "canone_mensile", "affitto"),
            required=required,
            example="450,00",
        ),
        Column(
            "contribution",
            _l("Monthly contribution of the comune (EUR), at most the rent"),
            number(8, 2),
            ("contributo", "contributo_mensile"),
            required=required,
            example="200,00",
        ),
        Column(
            "edition",
            _l("Edition it counts for (code; empty: the city's edition on the first month)"),
            text(20),
            ("edizione",),
            allowed=lambda city: _editions(city),
        ),
    ]


def _editions(city) -> list[tuple[str, str]]:
    from lgnet.network.models import Participation

    return [
        (p.edition.code, p.edition.name)
        for p in Participation.objects.filter(city=city).select_related("edition")
    ]


def _landlord(ctx: Context, values: dict) -> Landlord:
    """The city's landlord by LgNet id, tax code or exact name; a new name is registered
    through ``save_landlord``."""
    reference = values["landlord"]
    tax_code = (values.get("landlord_tax_code") or "").upper()
    landlords = Landlord.objects.filter(city=ctx.city)
    if is_id(reference) or (reference[:2].upper() == "LG" and is_id(reference[2:])):
        found = find_record(landlords, {}, reference)
        if found is None:
            raise RuleBroken(_("No landlord with this id."), field="landlord")
        return found
    if tax_code:
        found = landlords.filter(tax_code__iexact=tax_code).first()
        if found is not None:
            return found
    named = landlords.filter(name__iexact=reference)
    if tax_code:
        named = named.filter(tax_code="")
    matches = list(named[:2])
    if len(matches) > 1:
        raise RuleBroken(
            _("Several landlords have this name: give the tax code."), field="landlord_tax_code"
        )
    if matches:
        return matches[0]
    return housing_services.save_landlord(
        actor=ctx.actor,
        city=ctx.city,
        changes={
            "kind": values.get("landlord_kind") or LandlordKind.PERSON,
            "name": reference,
            "tax_code": tax_code,
        },
    )


def _create_support(ctx: Context, values: dict, notes: str = "") -> RentSupport:
    person = ctx.state["persons"].find(values["person"])
    data = {
        "landlord": _landlord(ctx, values),
        "start_date": values["start_date"],
        "months": values["months"],
        "monthly_rent": values["monthly_rent"],
        "contribution": values["contribution"],
        "notes": notes,
    }
    if values.get("household_size") is not None:
        data["household_size"] = values["household_size"]
    if values.get("case"):
        data["case"] = ctx.state["cases"].find(values["case"])
    return housing_services.create_rent_support(
        actor=ctx.actor, person=person, data=data, edition_code=values.get("edition") or ""
    )


class RentSupportsKind(_RowByRow):
    name = "rent_supports"
    label = _l("Rent supports")
    model_label = "housing.rentsupport"
    guide_notes = (
        _l(
            "One row per rent support. A ledger with one row per payment goes in the "
            "rent_payments template instead, which creates the supports it names."
        ),
    )
    columns = [
        Column(
            "external_id",
            _l("Your own id of the support (the payments name it)"),
            text(80),
            ("id_esterno", "pratica", "numero_pratica", "codice"),
            example="TA-AFF-001",
        ),
        *_support_columns(required=True),
        Column(
            "case",
            _l("The person's case (number or external id; empty: the open case)"),
            text(80),
            ("caso", "cartella", "numero_cartella"),
        ),
        Column("notes", _l("Notes"), text(500), ("note",)),
        computed("planned_total", _l("Planned total (from exports; ignored)")),
        computed("paid", _l("Paid so far (from exports; ignored)")),
    ]

    def start(self, ctx: Context) -> None:
        super().start(ctx)
        ctx.state["persons"] = _PersonFinder(ctx.city)
        ctx.state["cases"] = CaseFinder(ctx.city)

    def make(self, ctx: Context, values: dict) -> RentSupport:
        return _create_support(ctx, values, values.get("notes") or "")


# What a ledger row needs to create the support it names.
_TO_CREATE = ("person", "landlord", "start_date", "months", "monthly_rent", "contribution")
# The support's columns a ledger row is checked against, and how the support shows each.
_AGREES = {
    "start_date": lambda s: s.start_date,
    "months": lambda s: s.months,
    "monthly_rent": lambda s: s.monthly_rent,
    "contribution": lambda s: s.contribution,
    "household_size": lambda s: s.household_size,
    "edition": lambda s: s.edition.code.upper(),
    "landlord_tax_code": lambda s: s.landlord.tax_code.upper(),
}


class RentPaymentsKind(_RowByRow):
    name = "rent_payments"
    label = _l("Rent-support ledger (one row per payment)")
    model_label = "housing.rentpayment"
    guide_notes = (
        _l(
            "The ledger: one row per payment. rent_support is the id of the support (the "
            "'pratica'). The first row of a support LgNet does not know creates it from the "
            "support's columns (person, landlord, start_date, months, monthly_rent, "
            "contribution); later rows may repeat them, and must then agree."
        ),
        _l(
            "Payments never exceed contribution × months and never lie in the future. "
            "A support without payments yet goes in the rent_supports template."
        ),
    )
    columns = [
        Column(
            "external_id",
            _l("Your own id of the payment (makes a re-import change nothing)"),
            text(80),
            ("id_esterno", "id_pagamento", "mandato", "numero_mandato"),
        ),
        Column(
            "rent_support",
            _l("The support: its id in the ledger, or the LgNet id"),
            text(80),
            ("pratica", "numero_pratica", "contributo_affitto", "id_contributo"),
            required=True,
            example="TA-AFF-001",
        ),
        *_support_columns(required=False),
        Column(
            "paid_on",
            _l("Paid on"),
            parse_date,
            ("data_pagamento", "pagato_il", "data_mandato"),
            required=True,
            example="31/03/2024",
        ),
        Column(
            "amount",
            _l("Amount paid (EUR)"),
            number(8, 2),
            ("importo", "importo_pagato", "importo_erogato"),
            required=True,
            example="200,00",
        ),
        Column("notes", _l("Notes on the payment"), text(250), ("note", "causale")),
    ]

    def start(self, ctx: Context) -> None:
        super().start(ctx)
        ctx.state["persons"] = _PersonFinder(ctx.city)
        ctx.state["cases"] = CaseFinder(ctx.city)
        ctx.state["supports"] = imported_ids(ctx.city, "rent_supports")

    def _check_agrees(self, ctx: Context, support: RentSupport, values: dict) -> None:
        wrong = []
        person, landlord = values.get("person"), values.get("landlord") or ""
        if person and ctx.state["persons"].find(person).pk != support.person_id:
            wrong.append(("person", ""))
        same_landlord = landlord.casefold() == support.landlord.name.casefold() or (
            is_id(landlord) and int(landlord) == support.landlord_id
        )
        if landlord and not same_landlord:
            wrong.append(("landlord", support.landlord.name))
        for name, shown in _AGREES.items():
            given = values.get(name)
            if given in (None, ""):
                continue
            if isinstance(given, str):
                given = given.upper()
            if given != shown(support):
                wrong.append((name, shown(support)))
        if wrong:
            message = _("Differs from the rent support as LgNet has it")
            refused = [
                (column, f"{message}: {value}" if value != "" else message)
                for column, value in wrong
            ]
            raise RowRefused(refused[0][0], refused[0][1], refused[1:])

    def make(self, ctx: Context, values: dict):
        from lgnet.imports.models import ImportedRecord

        reference = values["rent_support"]
        supports = RentSupport.objects.filter(city=ctx.city).select_related("landlord", "edition")
        support = find_record(supports, ctx.state["supports"], reference)
        made = False
        if support is not None:
            self._check_agrees(ctx, support, values)
        else:
            missing = [name for name in _TO_CREATE if values.get(name) in (None, "")]
            if missing:
                raise RuleBroken(
                    _(
                        "LgNet has no rent support with this id: import it first, or give "
                        "its columns on this row (missing: %(c)s)."
                    )
                    % {"c": ", ".join(missing)},
                    field="rent_support",
                )
            support = _create_support(ctx, values)
            # The support is a record of the ledger's id too: later rows and files find it.
            ImportedRecord.objects.create(
                city=ctx.city,
                data_import=ctx.data_import,
                kind="rent_supports",
                row=ctx.state["row"],
                key=reference,
                target_type=RentSupportsKind.model_label,
                target_id=support.pk,
                action="created",
            )
            made = True
        payment = housing_services.record_payment(
            actor=ctx.actor,
            support=support,
            paid_on=values["paid_on"],
            amount=values["amount"] or Decimal(0),
            notes=values.get("notes") or "",
        )
        if made:  # last: a refused row rolls the support back with it
            ctx.state["supports"][reference] = support.pk
        return payment
