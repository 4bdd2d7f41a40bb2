"""The sections and anonymisers of the registry (people) and of cases, registered by privacy.

people and cases come before privacy in the import chain, so privacy reads their models
here; later apps (housing, activities) register their own from their ``ready()``.
"""

from __future__ import annotations

import calendar
from datetime import date

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
    """Every recorded version of the person's record and of every record of theirs in any
    app (row history by triggers): what was changed, rectified or removed, and when."""
    from django.apps import apps

    from lgnet.people.models import Person

    rows = []
    for event_model in apps.get_models():
        tracked_model = getattr(event_model, "pgh_tracked_model", None)
        if tracked_model is None:
            continue
        if tracked_model is Person:
            ids = [person.pk]
        else:
            path = sections.related_to_person(tracked_model, Person)
            if path is None:
                continue
            ids = tracked_model._default_manager.filter(
                **{path: person, "city_id": person.city_id}
            ).values("pk")
        events = event_model.objects.filter(pgh_obj_id__in=ids).order_by("pgh_id")
        for row in sections.model_rows(events, exclude={"pgh_obj", "pgh_id"}):
            rows.append({"record": tracked_model._meta.model_name, **row})
    return ("History of changes", rows)


def merges_section(person) -> sections.Section:
    """Duplicate records merged into this one, and the operators' decisions on pairs."""
    from lgnet.people.models import Merge, PairDecision

    rows = [
        {"record": "merge", **row}
        for row in sections.model_rows(
            Merge.objects.filter(
                Q(survivor=person) | Q(merged=person), city_id=person.city_id
            ).order_by("pk")
        )
    ]
    decisions = PairDecision.objects.filter(
        Q(first=person) | Q(second=person), city_id=person.city_id
    ).order_by("pk")
    # The other record of a pair is someone else: only the decision about this one is theirs.
    rows += [
        {"record": "pair decision", **row}
        for row in sections.model_rows(decisions, exclude={"first", "second"})
    ]
    return ("Merges and duplicate checks", rows)


def recipients_section(person) -> sections.Section:
    """Who received the person's data: every partner it was referred to, with the consent
    the referral rested on, and every organisation that reaches the person now."""
    from lgnet.cases.models import Referral, Shared
    from lgnet.network.models import Organisation
    from lgnet.people import selectors as people_selectors

    rows = []
    referrals = (
        Referral.objects.filter(city_id=person.city_id, person=person)
        .select_related("organisation")
        .order_by("sent_on", "pk")
    )
    for referral in referrals:
        rows.append(
            {
                "organisation": referral.organisation.name,
                "through": f"referral {referral.pk}",
                "direction": referral.direction,
                "sent_on": sections.plain(referral.sent_on),
                "consent_on": sections.plain(referral.consent_on),
                "shared": list(referral.consent_shares),
                "shared_labels": [str(Shared(code).label) for code in referral.consent_shares],
                "consent_revoked_on": sections.plain(referral.consent_revoked_on),
                "status": referral.status,
            }
        )
    for organisation in Organisation.objects.filter(city_id=person.city_id).order_by("name"):
        for reach in people_selectors._partner_reaches:
            if reach(organisation).filter(person_id=person.pk).exists():
                rows.append({"organisation": organisation.name, "through": "current access"})
                break
    return ("Recipients of the data", rows)


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


def coarse_birth_date(born: date) -> date:
    """The birth date without its day: the same month, on its first day when the person was
    born on the first, else on its last. The completed years on the first day of any month
    stay those of the true date, so the age bands of the figures (counted at each period's
    start, and periods start on the first of a month) do not move; 1 January would make
    someone up to a year older and move them across a band in the periods already counted."""
    if born.day == 1:
        return born
    return born.replace(day=calendar.monthrange(born.year, born.month)[1])


def anonymise_registry(person) -> int:
    """Names, documents, contact details, which vulnerabilities, the birth day and free text
    go; sex, birth month and year, nationalities, legal status, whether a vulnerability was
    recorded, dates and ids stay (they are what the figures count and break down)."""
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
            **_coarse_birth(record),
            codice_fiscale="",
            permit_number="",
            permit_expiry=None,
            phone="",
            # The figures break down by "any vulnerability": that fact stays, not which one.
            vulnerabilities=["other"] if record.vulnerabilities else [],
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


def delete_attachments(attachments) -> int:
    """Delete these case attachments: rows, row history (which keeps their file names) and,
    once the transaction commits, their files. A blanked row would still be listed on the
    case page, linking to a file that no longer exists."""
    from django.db import transaction

    from lgnet.cases.models import Attachment

    ids, files = [], []
    for attachment in attachments.select_related(None).only("pk", "file"):
        ids.append(attachment.pk)
        if attachment.file:
            files.append((attachment.file.storage, attachment.file.name))
    if not ids:
        return 0
    Attachment.objects.filter(pk__in=ids).delete()
    erasure.forget_history(Attachment, ids)  # after the delete: its own event goes too

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return len(ids)


def anonymise_attachments(person) -> int:
    """Erasure: every file attached to the person's cases goes, with its row."""
    from lgnet.cases.models import Attachment

    return delete_attachments(
        Attachment.objects.filter(city_id=person.city_id, case__person=person)
    )


def _coarse_birth(record) -> dict:
    """Day and month precisions lose the day; a year or an estimate is already coarse."""
    if record.birth_date is None or record.birth_date_precision not in ("day", "month"):
        return {}
    return {
        "birth_date": coarse_birth_date(record.birth_date),
        "birth_date_precision": "month",
    }


def connect() -> None:
    for section in (
        person_section,
        contacts_section,
        household_section,
        history_section,
        merges_section,
        sections.app_sections("cases", title="Cases"),
        recipients_section,
        requests_section,
        access_log_section,
    ):
        sections.register(section)
    erasure.register(anonymise_registry)
    erasure.register(anonymise_attachments)
    erasure.register(erasure.free_text_of("cases"))
