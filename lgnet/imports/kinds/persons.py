"""Persons: the registry's own checks, duplicates looked up in the registry and in the file."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from lgnet.core.models import AuditEvent
from lgnet.imports.kinds.base import (
    CellError,
    Column,
    Context,
    Kind,
    Outcome,
    RowRefused,
    choice,
    parse_birth,
    parse_date,
    parse_list,
    text,
)
from lgnet.people import matching
from lgnet.people import selectors as people_selectors

# The registry's own validation, the one register_person runs (no second copy of the rules).
from lgnet.people import services as people_services
from lgnet.people.choices import (
    COUNTRY_CODES,
    LANGUAGE_CODES,
    Dwelling,
    LegalStatus,
    Precision,
    Sex,
    Vulnerability,
    country_name,
    language_name,
)
from lgnet.people.models import Person

BATCH = 500
IN_FILE_WINDOW = 50  # earlier rows remembered per name key, at most
IN_FILE_SCORED = 20  # earlier rows scored in full per row, at most

SEX_WORDS = {"femmina": "F", "donna": "F", "maschio": "M", "uomo": "M", "altro": "X"}


def _birth(value: Any):
    if value in ("", None):
        raise CellError(_("This column is required."))
    return parse_birth(value)


def _codes(known, normalise) -> Any:
    def parse(value: Any) -> list[str]:
        return [normalise(v) for v in parse_list(value)]

    return parse


class PersonsKind(Kind):
    name = "persons"
    label = _l("Persons")
    model_label = "people.person"
    columns = [
        Column(
            "external_id",
            _l("Your own id of the person (makes a re-import change nothing)"),
            text(80),
            ("id_esterno", "codice", "id", "codice_utente", "n"),
            example="TA-0001",
        ),
        Column(
            "given_names",
            _l("Given names"),
            text(150),
            ("nome", "nomi"),
            required=True,
            example="Mohamed",
        ),
        Column(
            "family_names",
            _l("Family names"),
            text(150),
            ("cognome", "cognomi"),
            required=True,
            example="Diallo",
        ),
        Column("aliases", _l("Other names, separated by ;"), parse_list, ("alias", "altri_nomi")),
        Column(
            "original_script_name",
            _l("Name in the original script"),
            text(200),
            ("nome_originale", "nome_in_grafia_originale"),
        ),
        Column(
            "sex",
            _l("Sex"),
            choice(Sex.choices, SEX_WORDS),
            ("sesso", "genere"),
            required=True,
            example="M",
            allowed=lambda city: list(Sex.choices),
        ),
        Column(
            "birth_date",
            _l("Birth date: 2024-03-31, 31/03/2024, 03/1990 (month) or 1990 (year only)"),
            _birth,
            ("data_di_nascita", "nascita", "data_nascita", "anno_di_nascita"),
            required=True,
            example="12/03/1990",
        ),
        Column(
            "birth_date_precision",
            _l("Precision of the birth date (left empty: from how the date is written)"),
            choice(Precision.choices, {"esatta": "day", "mese": "month", "anno": "year"}),
            ("precisione_data_di_nascita", "precisione"),
            allowed=lambda city: list(Precision.choices),
        ),
        Column(
            "nationalities",
            _l("Nationalities: ISO 3166 codes separated by ;"),
            parse_list,
            ("nazionalita", "cittadinanza", "cittadinanze"),
            example="GN",
            allowed=lambda city: [(c, country_name(c)) for c in sorted(COUNTRY_CODES)],
        ),
        Column(
            "languages",
            _l("Languages: ISO 639 codes separated by ;"),
            parse_list,
            ("lingue", "lingua"),
            example="fr; en",
            allowed=lambda city: [(c, language_name(c)) for c in sorted(LANGUAGE_CODES)],
        ),
        Column(
            "codice_fiscale",
            _l("Codice fiscale or the 11-digit provisional code"),
            text(20),
            ("codice_fiscale", "cf"),
        ),
        Column(
            "legal_status",
            _l("Residence permit type"),
            choice(LegalStatus.choices),
            ("permesso", "permesso_di_soggiorno", "titolo_di_soggiorno", "status_giuridico"),
            example="asylum_request",
            allowed=lambda city: list(LegalStatus.choices),
        ),
        Column(
            "permit_number",
            _l("Permit number"),
            text(40),
            ("numero_permesso", "n_permesso"),
        ),
        Column(
            "permit_expiry",
            _l("Permit expiry"),
            parse_date,
            ("scadenza_permesso", "scadenza"),
        ),
        Column("phone", _l("Phone"), text(40), ("telefono", "cellulare"), example="333 1234567"),
        Column(
            "dwelling",
            _l("Dwelling"),
            choice(Dwelling.choices),
            ("alloggio", "situazione_abitativa", "domicilio"),
            allowed=lambda city: list(Dwelling.choices),
        ),
        Column(
            "vulnerabilities",
            _l("Vulnerability codes separated by ; (sensitive)"),
            parse_list,
            ("vulnerabilita",),
            allowed=lambda city: list(Vulnerability.choices),
        ),
        Column(
            "privacy_notice_on",
            _l("Privacy notice given on"),
            parse_date,
            ("informativa_privacy", "data_informativa"),
        ),
        Column(
            "privacy_notice_language",
            _l("Language of the privacy notice (ISO 639)"),
            text(3),
            ("lingua_informativa",),
        ),
    ]

    # --- the run -------------------------------------------------------------------------

    def start(self, ctx: Context) -> None:
        from lgnet.imports.models import ImportedRecord

        city = ctx.city
        ctx.state.update(
            registry=Person.objects.filter(city=city).exists(),
            by_external=dict(
                Person.objects.filter(city=city)
                .exclude(external_id="")
                .values_list("external_id", "id")
            ),
            imported=dict(
                ImportedRecord.objects.filter(city=city, kind=self.name).values_list(
                    "key", "target_id"
                )
            ),
            seen_external=set(),
            pending=[],
            made_ids=set(),
            row_person={},
            keys={},
            candidates={},
        )

    def write(self, ctx: Context, number: int, values: dict, key: str) -> Outcome:
        state = ctx.state
        external = values.get("external_id", "")
        if key in state["imported"] or (external and external in state["by_external"]):
            return Outcome("unchanged")
        if external:
            if external in state["seen_external"]:
                raise RowRefused(
                    "external_id", _("This external id is used by an earlier row of the file.")
                )
            state["seen_external"].add(external)
        data = dict(values)
        birth, implied = data.pop("birth_date")
        precision = data.get("birth_date_precision") or implied or Precision.DAY
        data.update(birth_date=birth, birth_date_precision=precision)
        for name in ("nationalities", "languages", "aliases", "vulnerabilities"):
            data.setdefault(name, [])
        person = Person(city=ctx.city, registered_by=ctx.actor if ctx.actor else None)
        for name in people_services.PERSON_FIELDS:
            if name in data and data[name] is not None:
                setattr(person, name, data[name])
        if person.privacy_notice_on and ctx.actor:
            person.privacy_notice_by = ctx.actor
        try:
            people_services._validate(person)
        except ValidationError as error:
            raise RowRefused.from_validation(error) from error
        people_services._derive(person)
        found = self._duplicates(ctx, number, person)
        if found:
            decision = str(ctx.decisions.get(str(number), ""))
            found["decision"] = decision
            ctx.duplicates.append(found)
            if decision.startswith("person:"):
                chosen = decision.split(":", 1)[1]
                ids = {c["id"] for c in found["candidates"]}
                if not chosen.isdigit() or int(chosen) not in ids:
                    raise RowRefused("", _("Choose one of the persons proposed."))
                return Outcome("linked", ("person", int(chosen)))
            if decision.startswith("row:"):
                other = decision.split(":", 1)[1]
                if not other.isdigit() or int(other) not in state["row_person"]:
                    raise RowRefused("", _("Choose one of the rows proposed."))
                return Outcome("linked", ("row", int(other)))
            if decision != "create" and not ctx.create_duplicates:
                return Outcome("duplicate")
        self._remember(ctx, number, person)
        state["pending"].append((number, key, person))
        if len(state["pending"]) >= BATCH:
            self.finish(ctx)
        return Outcome("created", ("row", number))

    def _remember(self, ctx: Context, number: int, person: Person) -> None:
        state = ctx.state
        state["row_person"][number] = person
        state["candidates"][number] = people_selectors.candidate_of(person)
        for k in person.match_keys:
            rows = state["keys"].setdefault(k, [])
            rows.append(number)
            if len(rows) > IN_FILE_WINDOW:
                del rows[0]

    def _duplicates(self, ctx: Context, number: int, person: Person) -> dict | None:
        state = ctx.state
        query = people_selectors.candidate_of(person)
        in_registry = []
        if state["registry"]:
            for scored in people_selectors.find_matches(
                ctx.city, query, limit=3, minimum=matching.LIKELY, exclude=state["made_ids"]
            ):
                in_registry.append(
                    {
                        "id": scored.person.pk,
                        "score": round(scored.score, 2),
                        "reasons": [str(r) for r in scored.reasons],
                    }
                )
        pairs, singles = matching.query_keys(
            " ".join([person.given_names, *person.aliases]),
            person.family_names,
            birth_year=person.birth_year,
        )
        # The earlier rows sharing the most name keys, as the registry's blocking does.
        shared = Counter(n for k in (*pairs, *singles) for n in state["keys"].get(k, ()))
        in_file = []
        for other, _count in shared.most_common(IN_FILE_SCORED):
            match = matching.score(query, state["candidates"][other])
            if match.score >= matching.LIKELY:
                in_file.append(
                    {
                        "row": other,
                        "score": round(match.score, 2),
                        "reasons": [str(r) for r in match.reasons],
                    }
                )
        in_file = sorted(in_file, key=lambda m: -m["score"])[:3]
        if not in_registry and not in_file:
            return None
        return {
            "row": number,
            "person": {
                "given_names": person.given_names,
                "family_names": person.family_names,
                "sex": person.sex,
                "birth": person.birth_display,
                "nationalities": person.nationalities,
                "codice_fiscale": person.codice_fiscale,
            },
            "candidates": in_registry,
            "rows": in_file,
        }

    def finish(self, ctx: Context) -> None:
        """Write the batch: one INSERT for the persons, one for their audit events."""
        pending = ctx.state["pending"]
        if not pending:
            return
        persons = Person.objects.bulk_create([person for _n, _k, person in pending])
        ctx.state["made_ids"].update(p.pk for p in persons)
        actor = ctx.actor if getattr(ctx.actor, "is_authenticated", False) else None
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor=actor,
                city=ctx.city,
                action="person.registered",
                target_type="people.person",
                target_id=str(p.pk),
                data={"import": ctx.data_import.pk},
            )
            for p in persons
        )
        # Keep ids only: memory stays small as the file grows.
        for number, _key, person in pending:
            ctx.state["row_person"][number] = person.pk
        ctx.state["pending"] = []

    def target_id(self, ctx: Context, target) -> int | None:
        """The record a row made or was linked to, once written."""
        if target is None:
            return None
        what, value = target
        if what == "person":
            return value
        person = ctx.state["row_person"].get(value)
        return getattr(person, "pk", person)
