"""Writes to the registry: persons, contacts, household links, merges."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lgnet.core import audit
from lgnet.core.exceptions import RuleBroken
from lgnet.people import linkage, matching
from lgnet.people.choices import Precision, Vulnerability
from lgnet.people.models import Contact, HouseholdLink, Merge, PairDecision, Person
from lgnet.people.validation import clean_codice_fiscale, clean_countries, clean_languages

PERSON_FIELDS = (
    "given_names",
    "family_names",
    "original_script_name",
    "aliases",
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
    "vulnerabilities",
    "privacy_notice_on",
    "privacy_notice_language",
    "external_id",
)
# What an outreach worker may write: enough to find the person again at the desk.
MINIMAL_FIELDS = (
    "given_names",
    "family_names",
    "sex",
    "birth_date",
    "birth_date_precision",
    "nationalities",
    "languages",
    "phone",
    "dwelling",
)
CONTACT_FIELDS = (
    "channel",
    "site",
    "place",
    "occurred_at",
    "person",
    "anonymous_sex",
    "anonymous_age_band",
    "anonymous_nationality",
    "needs",
    "help_given",
    "outcome",
    "notes",
)


# Contacts are recorded as they happen; anything older is a typing or clock mistake.
EARLIEST_CONTACT_YEAR = 2000


def _normalise_birth_date(person: Person) -> None:
    """A year-only date is stored as 1 January, a month-only one as the 1st."""
    if person.birth_date is None:
        return
    if person.birth_date_precision in (Precision.YEAR, Precision.ESTIMATED):
        if person.birth_date_precision == Precision.YEAR:
            person.birth_date = date(person.birth_date.year, 1, 1)
    elif person.birth_date_precision == Precision.MONTH:
        person.birth_date = person.birth_date.replace(day=1)


def derive_keys(person: Person) -> None:
    """Keep the matching and linkage columns in step with the person's fields."""
    person.name_search = matching.normalised_name(
        " ".join([person.given_names, *person.aliases]), person.family_names
    )
    person.birth_year = person.birth_date.year if person.birth_date else None
    person.match_keys = matching.keys_for(
        person.given_names, person.family_names, *person.aliases, birth_year=person.birth_year
    )
    person.linkage_cf = linkage.cf_key(person.codice_fiscale)
    person.linkage_bloom = linkage.bloom(person.given_names, person.family_names, person.birth_year)


_derive = derive_keys  # the name benchmarks/dedup imports
_VULNERABILITIES = frozenset(Vulnerability.values)


def validate_person(
    person: Person, *, check_constraints: bool = True, today: date | None = None
) -> None:
    """The registry's rules for a person's fields, as forms, the API and imports apply them.

    ``check_constraints=False`` leaves out the model's uniqueness and database constraints
    (an external id unique in the city, a record not merged into itself), which cost one
    query per person: for a caller that checks the external id itself and writes many new
    persons at once, letting the database enforce them at insert. ``today`` is the date a
    birth date may not pass (by default the local date now; a batch asks once).
    """
    errors: dict[str, list] = {}
    for name, clean in (
        ("codice_fiscale", clean_codice_fiscale),
        ("nationalities", clean_countries),
        ("languages", clean_languages),
    ):
        try:
            setattr(person, name, clean(getattr(person, name)))
        except ValidationError as error:
            errors[name] = error.messages
    person.vulnerabilities = list(person.vulnerabilities or [])
    wrong = set(person.vulnerabilities) - _VULNERABILITIES
    if wrong:
        errors["vulnerabilities"] = [
            _("Unknown vulnerability codes: %(codes)s") % {"codes": ", ".join(sorted(wrong))}
        ]
    person.aliases = [a.strip() for a in person.aliases or [] if a and a.strip()]
    if person.birth_date and person.birth_date > (today or timezone.localdate()):
        errors["birth_date"] = [_("The birth date is in the future.")]
    if person.birth_date and person.birth_date.year < 1900:
        errors["birth_date"] = [_("The birth date is too far in the past.")]
    if errors:
        raise ValidationError(errors)
    _normalise_birth_date(person)
    person.full_clean(
        exclude=["city", "registered_by", "privacy_notice_by", "merged_into"],
        validate_unique=check_constraints,
        validate_constraints=check_constraints,
    )


def _save(person: Person) -> None:
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as error:  # the only unique rule a person has: its external id
        raise RuleBroken(
            _("Another person already has this external id."), field="external_id", status=409
        ) from error


@transaction.atomic
def register_person(*, actor: Any, city, data: dict, minimal: bool = False) -> Person:
    """A new person needs only names, sex and a birth date with its precision."""
    allowed = MINIMAL_FIELDS if minimal else PERSON_FIELDS
    extra = set(data) - set(allowed)
    if extra:
        raise RuleBroken(
            _("Your role may not record: %(f)s") % {"f": ", ".join(sorted(extra))},
            field=sorted(extra)[0],
            status=403,
        )
    person = Person(city=city, registered_by=actor if actor and actor.pk else None)
    for name in allowed:
        if name in data:
            setattr(person, name, data[name])
    if person.privacy_notice_on and actor is not None:
        person.privacy_notice_by = actor
    validate_person(person)
    derive_keys(person)
    duplicate_id = RuleBroken(
        _("A person with this external id exists already."), field="external_id", status=409
    )
    # full_clean() leaves out the city, so the per-city uniqueness is checked here.
    if (
        person.external_id
        and Person.objects.filter(city=city, external_id=person.external_id).exists()
    ):
        raise duplicate_id
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as error:  # a concurrent registration with the same id
        raise duplicate_id from error
    audit.record(actor=actor, target=person, action="person.registered")
    return person


@transaction.atomic
def update_person(*, actor: Any, person: Person, changes: dict, minimal: bool = False) -> Person:
    """Rectification through the normal pages; the change history keeps the old values."""
    if person.merged_into_id:
        raise RuleBroken(_("This record was merged into another one."), status=409)
    allowed = MINIMAL_FIELDS if minimal else PERSON_FIELDS
    extra = set(changes) - set(allowed)
    if extra:
        raise RuleBroken(
            _("Your role may not change: %(f)s") % {"f": ", ".join(sorted(extra))},
            field=sorted(extra)[0],
            status=403,
        )
    for name, value in changes.items():
        setattr(person, name, value)
    if "privacy_notice_on" in changes and changes["privacy_notice_on"]:
        person.privacy_notice_by = actor
    validate_person(person)
    derive_keys(person)
    _save(person)
    audit.record(
        actor=actor, target=person, action="person.updated", data={"fields": sorted(changes)}
    )
    return person


def _check_contact(contact: Contact) -> None:
    errors = {}
    if contact.person_id and contact.person.city_id != contact.city_id:
        errors["person"] = [_("Choose a person of your city.")]
    if contact.site_id and contact.site.city_id != contact.city_id:
        errors["site"] = [_("Choose a site of your city.")]
    if contact.anonymous_nationality:
        try:
            contact.anonymous_nationality = clean_countries([contact.anonymous_nationality])[0]
        except ValidationError as error:
            errors["anonymous_nationality"] = error.messages
    if contact.occurred_at:
        if timezone.is_naive(contact.occurred_at):  # read as local time, as forms do
            contact.occurred_at = timezone.make_aware(contact.occurred_at)
        # Before converting to UTC: year 1 with a positive offset would become year 0.
        if contact.occurred_at.year < EARLIEST_CONTACT_YEAR:
            errors["occurred_at"] = [_("The date of the contact is too far in the past.")]
        elif contact.occurred_at > timezone.now() + timezone.timedelta(minutes=5):
            errors["occurred_at"] = [_("The contact cannot be in the future.")]
    from lgnet.people.choices import Help, Need

    contact.needs = list(contact.needs or [])
    contact.help_given = list(contact.help_given or [])
    if set(contact.needs) - set(Need.values):
        errors["needs"] = [_("Unknown need.")]
    if set(contact.help_given) - set(Help.values):
        errors["help_given"] = [_("Unknown kind of help.")]
    if errors:
        raise ValidationError(errors)
    if contact.person_id:  # a known person: the anonymous description is not kept
        contact.anonymous_sex = contact.anonymous_age_band = contact.anonymous_nationality = ""
    contact.full_clean(exclude=["city", "recorded_by", "person", "site"])


@transaction.atomic
def record_contact(*, actor: Any, city, data: dict) -> Contact:
    """A first contact, anonymous or with a person; recorded in under a minute."""
    contact = Contact(city=city, recorded_by=actor)
    for name in CONTACT_FIELDS:
        if name in data:
            setattr(contact, name, data[name])
    _check_contact(contact)
    contact.save()
    audit.record(actor=actor, target=contact, action="contact.recorded")
    return contact


@transaction.atomic
def update_contact(*, actor: Any, contact: Contact, changes: dict) -> Contact:
    """Correct a contact, or link an anonymous one to the person it turned out to be."""
    extra = set(changes) - set(CONTACT_FIELDS)
    if extra:
        raise RuleBroken(
            _("Not editable: %(f)s") % {"f": ", ".join(sorted(extra))}, field=sorted(extra)[0]
        )
    for name, value in changes.items():
        setattr(contact, name, value)
    _check_contact(contact)
    contact.save()
    audit.record(
        actor=actor, target=contact, action="contact.updated", data={"fields": sorted(changes)}
    )
    return contact


@transaction.atomic
def add_household_link(
    *,
    actor: Any,
    person: Person,
    relation: str,
    relative: Person | None,
    name: str = "",
    birth_year: int | None = None,
    lives_with: bool = False,
) -> HouseholdLink:
    """A family member, registered in the same city or described by name."""
    if relative is not None and relative.city_id != person.city_id:
        raise RuleBroken(_("Choose a person of your city."), field="relative", status=404)
    link = HouseholdLink(
        city=person.city,
        person=person,
        relation=relation,
        relative=relative,
        name=name.strip(),
        birth_year=birth_year,
        lives_with=lives_with,
    )
    link.full_clean(exclude=["city", "person", "relative"])
    if relative is None and not link.name:
        raise RuleBroken(_("Give the name of the family member."), field="name")
    link.save()
    audit.record(actor=actor, target=person, action="person.household_added")
    return link


# Later apps move their rows when two persons merge: register(mover) from AppConfig.ready().
_merge_movers: list[Callable[[Person, Person], int]] = []


def register_merge_mover(mover: Callable[[Person, Person], int]) -> None:
    if mover not in _merge_movers:
        _merge_movers.append(mover)


def _ordered(a: Person, b: Person) -> tuple[Person, Person]:
    return (a, b) if a.pk < b.pk else (b, a)


@transaction.atomic
def merge_persons(
    *, actor: Any, survivor: Person, duplicate: Person, take: list[str] | None = None
) -> Person:
    """Merge ``duplicate`` into ``survivor``: chosen values copied, every linked row moved.

    The duplicate stays as a tombstone pointing at the survivor, so links and history
    keep working; it no longer appears in lists or matches.
    """
    if survivor.pk == duplicate.pk:
        raise RuleBroken(_("Choose two different records."))
    if survivor.city_id != duplicate.city_id:
        raise RuleBroken(_("Only records of the same city can be merged."), status=404)
    # Lock both rows, in id order, and read them again: two operators merging the same pair
    # in opposite directions at once must not leave two records pointing at each other.
    locked = {
        p.pk: p
        for p in Person.objects.filter(city=survivor.city, pk__in=[survivor.pk, duplicate.pk])
        .order_by("pk")
        .select_for_update()
    }
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    if survivor.merged_into_id or duplicate.merged_into_id:
        raise RuleBroken(_("One of the records was already merged."), status=409)
    take = [name for name in (take or []) if name in PERSON_FIELDS]
    if "birth_date" in take and "birth_date_precision" not in take:
        take.append("birth_date_precision")  # a date means nothing without its precision
    for name in take:
        setattr(survivor, name, getattr(duplicate, name))
    survivor.aliases = list(
        dict.fromkeys(
            [
                *survivor.aliases,
                *(
                    [f"{duplicate.given_names} {duplicate.family_names}"]
                    if {"given_names", "family_names"} - set(take)
                    else []
                ),
                *duplicate.aliases,
            ]
        )
    )
    survivor.vulnerabilities = sorted(
        set(survivor.vulnerabilities) | set(duplicate.vulnerabilities)
    )
    survivor.nationalities = list(dict.fromkeys(survivor.nationalities + duplicate.nationalities))
    survivor.languages = list(dict.fromkeys(survivor.languages + duplicate.languages))
    validate_person(survivor)
    derive_keys(survivor)
    survivor.save()
    moved = {
        "contacts": Contact.objects.filter(person=duplicate).update(person=survivor),
        "household": HouseholdLink.objects.filter(person=duplicate).update(person=survivor),
        "relatives": HouseholdLink.objects.filter(relative=duplicate).update(relative=survivor),
    }
    for mover in _merge_movers:
        moved[getattr(mover, "__name__", "other")] = mover(duplicate, survivor)
    HouseholdLink.objects.filter(person=survivor, relative=survivor).delete()
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into", "updated_at"])
    merge = Merge.objects.create(
        city=survivor.city,
        survivor=survivor,
        merged=duplicate,
        merged_by=actor,
        fields_taken=take,
        moved=moved,
    )
    audit.record(
        actor=actor,
        target=survivor,
        action="person.merged",
        data={"merged": duplicate.pk, "fields": take, "moved": moved, "merge": merge.pk},
    )
    return survivor


@transaction.atomic
def mark_not_same(*, actor: Any, a: Person, b: Person) -> PairDecision:
    """Remember that two records are different people, so they are not proposed again."""
    if a.pk == b.pk or a.city_id != b.city_id:
        raise RuleBroken(_("Choose two different records of your city."))
    first, second = _ordered(a, b)
    decision, _created = PairDecision.objects.get_or_create(
        city=first.city, first=first, second=second, defaults={"decided_by": actor}
    )
    audit.record(
        actor=actor, target=first, action="person.not_duplicate", data={"other": second.pk}
    )
    return decision
