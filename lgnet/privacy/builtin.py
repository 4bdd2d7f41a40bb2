"""The sections and anonymisers of the registry (people) and of cases, registered by privacy.

people and cases come before privacy in the import chain, so privacy reads their models
here; later apps (housing, activities) register their own from their ``ready()``.
"""

from __future__ import annotations

from django.db.models import Q

from lgnet.privacy import erasure, sections


def person_section(person) -> sections.Section:
    from lgnet.people.models import Person

    rows = sections.model_rows([person])
    merged = Person.objects.filter(city_id=person.city_id, merged_into=person).order_by("pk")
    rows += [{"record": "merged record", **row} for row in sections.model_rows(merged)]
    return ("Person", rows)


def contacts_section(person) -> sections.Section:
    from lgnet.people.models import Contact

    found = Contact.objects.filter(city_id=person.city_id, person=person).order_by("occurred_at")
    return ("First contacts", sections.model_rows(found))


def household_section(person) -> sections.Section:
    from lgnet.people.models import HouseholdLink

    found = HouseholdLink.objects.filter(
        Q(person=person) | Q(relative=person), city_id=person.city_id
    ).order_by("pk")
    return ("Household", sections.model_rows(found))


def history_section(person) -> sections.Section:
    """Every recorded version of the person's record (row history by triggers)."""
    from lgnet.people.models import Person

    rows = []
    for event_model in erasure.event_models(Person):
        events = event_model.objects.filter(pgh_obj_id=person.pk).order_by("pgh_id")
        for row in sections.model_rows(events, exclude={"pgh_obj", "pgh_id"}):
            rows.append(row)
    return ("History of changes", rows)


def access_log_section(person) -> sections.Section:
    """Who read the person's sensitive sections or exported their data."""
    from lgnet.core.models import AccessLog

    found = (
        AccessLog.objects.filter(city_id=person.city_id, person_id=person.pk)
        .select_related("user")
        .order_by("at", "id")
    )
    rows = [
        {
            "at": sections.plain(entry.at),
            "user": entry.user.username,
            "what": entry.what,
            "channel": entry.channel,
            "outside_team": entry.outside_team,
        }
        for entry in found
    ]
    return ("Access log", rows)


def requests_section(person) -> sections.Section:
    from lgnet.privacy.models import RightsRequest

    found = RightsRequest.objects.filter(city_id=person.city_id, person=person).order_by("pk")
    return ("Data-subject requests", sections.model_rows(found))


def anonymise_registry(person) -> int:
    """Names, documents, contact details, vulnerabilities and free text go; sex, birth year,
    nationalities, legal status, dates and ids stay (they are what the figures count)."""
    from datetime import date

    from lgnet.people.models import Contact, HouseholdLink, Person

    records = [person, *Person.objects.filter(city_id=person.city_id, merged_into=person)]
    ids = [record.pk for record in records]
    erasure.forget_history(Person, ids)
    for record in records:
        Person.objects.filter(pk=record.pk).update(
            given_names="Anonimo",
            family_names=f"#{record.pk}",
            original_script_name="",
            aliases=[],
            birth_date=date(record.birth_date.year, 1, 1),
            birth_date_precision="year",
            codice_fiscale="",
            permit_number="",
            permit_expiry=None,
            phone="",
            vulnerabilities=[],
            external_id="",
            name_search="",
            match_keys=[],
        )
    links = HouseholdLink.objects.filter(city_id=person.city_id, person_id__in=ids)
    link_ids = list(links.values_list("pk", flat=True))
    erasure.forget_history(HouseholdLink, link_ids)
    # An unregistered relative is known only by name: the link keeps its relation, not the name.
    links.exclude(name="").update(name="—")
    contacts = Contact.objects.filter(city_id=person.city_id, person_id__in=ids)
    contact_ids = list(contacts.values_list("pk", flat=True))
    erasure.forget_history(Contact, contact_ids)
    contacts.update(notes="", place="")
    return len(ids) + len(link_ids) + len(contact_ids)


def connect() -> None:
    for section in (
        person_section,
        contacts_section,
        household_section,
        history_section,
        sections.app_sections("cases", title="Cases"),
        requests_section,
        access_log_section,
    ):
        sections.register(section)
    erasure.register(anonymise_registry)
    erasure.register(erasure.free_text_of("cases"))
