"""Lists of values of the registry: permits, dwellings, vulnerabilities, contacts."""

import gettext
from functools import lru_cache

import pycountry
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other")
    UNKNOWN = "U", _("Unknown")


class Precision(models.TextChoices):
    DAY = "day", _("exact date")
    MONTH = "month", _("month and year")
    YEAR = "year", _("year only")
    ESTIMATED = "estimated", _("estimated")


class LegalStatus(models.TextChoices):
    """The residence permit held, by its Italian type."""

    ASYLUM = "asylum", _("Asylum (refugee status)")
    SUBSIDIARY = "subsidiary_protection", _("Subsidiary protection")
    SPECIAL = "special_protection", _("Special protection")
    SPECIAL_CASES = "special_cases", _("Special cases")
    ASYLUM_REQUEST = "asylum_request", _("Asylum request pending")
    WORK = "work", _("Work")
    FAMILY = "family", _("Family reasons")
    STUDY = "study", _("Study")
    MINOR = "minor_age", _("Minor age")
    OTHER = "other", _("Other")
    NONE = "none", _("No permit")
    UNKNOWN = "unknown", _("Unknown")


class Dwelling(models.TextChoices):
    STREET = "street", _("Street")
    INFORMAL = "informal_settlement", _("Informal settlement")
    SHELTER = "shelter", _("Shelter")
    HOSTED = "hosted", _("Hosted by someone")
    RENTED = "rented", _("Rented home")
    OTHER = "other", _("Other")


class Vulnerability(models.TextChoices):
    """D.Lgs. 142/2015 art. 17, plus the programme's own categories. Sensitive."""

    MINOR = "minor", _("Minor")
    UNACCOMPANIED_MINOR = "unaccompanied_minor", _("Unaccompanied minor")
    DISABILITY = "disability", _("Disability")
    ELDERLY = "elderly", _("Elderly person")
    PREGNANT = "pregnant", _("Pregnant woman")
    SINGLE_PARENT = "single_parent", _("Single parent with minor children")
    TRAFFICKING = "trafficking", _("Victim of trafficking")
    SERIOUS_ILLNESS = "serious_illness", _("Serious illness")
    MENTAL_DISORDER = "mental_disorder", _("Mental disorder")
    TORTURE = "torture_violence", _("Torture, rape or serious violence")
    FGM = "fgm", _("Female genital mutilation")
    HOMELESS = "homelessness", _("Homelessness")
    FORMER_DETAINEE = "former_detainee", _("Former detainee")
    ADDICTION = "addiction", _("Addiction")
    OTHER = "other", _("Other")


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    OTHER = "other", _("Other relative")


class Channel(models.TextChoices):
    DESK = "desk", _("At the desk")
    STREET = "street", _("In the street (mobile unit)")


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("under 18")
    YOUNG = "18-24", "18–24"
    ADULT = "25-34", "25–34"
    MIDDLE = "35-49", "35–49"
    MATURE = "50-64", "50–64"
    OLD = "65+", _("65 and over")


class Need(models.TextChoices):
    SHELTER = "shelter", _("Shelter for the night")
    FOOD = "food", _("Food")
    CLOTHING = "clothing", _("Clothing")
    HEALTH = "health", _("Health")
    DOCUMENTS = "documents", _("Documents and permit")
    LEGAL = "legal", _("Legal advice")
    WORK = "work", _("Work")
    LANGUAGE = "language", _("Italian language")
    OTHER = "other", _("Other")


class Help(models.TextChoices):
    INFORMATION = "information", _("Information and orientation")
    FOOD = "food", _("Food or drink")
    BLANKET = "clothing", _("Blanket or clothing")
    FIRST_AID = "first_aid", _("First aid")
    ACCOMPANIED = "accompanied", _("Accompanied to a service")
    NIGHT_PLACE = "night_place", _("Place for the night")
    NONE = "none", _("None")


class Outcome(models.TextChoices):
    SENT_TO_DESK = "sent_to_desk", _("Sent to the desk")
    TAKEN_IN_CHARGE = "taken_in_charge", _("Taken in charge")
    NOTHING_NEEDED = "nothing_needed", _("Nothing needed")
    REFUSED = "refused", _("Declined help")


@lru_cache(maxsize=8)
def _translator(domain: str, language: str):
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 countries, named in the user's language (Italian by default)."""
    t = _translator("iso3166-1", (get_language() or "it")[:2])
    return sorted(
        ((c.alpha_2, t.gettext(c.name)) for c in pycountry.countries), key=lambda pair: pair[1]
    )


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return _translator("iso3166-1", (get_language() or "it")[:2]).gettext(country.name)


COUNTRY_CODES = frozenset(c.alpha_2 for c in pycountry.countries)
LANGUAGE_CODES = frozenset(
    code
    for lang in pycountry.languages
    for code in (getattr(lang, "alpha_2", None), lang.alpha_3)
    if code
)


def language_choices() -> list[tuple[str, str]]:
    t = _translator("iso639-3", (get_language() or "it")[:2])
    return sorted(
        (
            (lang.alpha_2, t.gettext(lang.name))
            for lang in pycountry.languages
            if hasattr(lang, "alpha_2")
        ),
        key=lambda pair: pair[1],
    )


def language_name(code: str) -> str:
    language = pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code)
    if language is None:
        return code
    return _translator("iso639-3", (get_language() or "it")[:2]).gettext(language.name)


# The languages most spoken by the people the programme serves, offered as ticks.
COMMON_LANGUAGES = (
    "it",
    "en",
    "fr",
    "ar",
    "es",
    "ti",
    "am",
    "so",
    "om",
    "wo",
    "ff",
    "bm",
    "ha",
    "yo",
    "ig",
    "ur",
    "bn",
    "pa",
    "ps",
    "fa",
    "uk",
    "ru",
    "ka",
    "sq",
    "tr",
)


def common_language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in COMMON_LANGUAGES]


class NoticeChannel(models.TextChoices):
    """How the privacy notice (art. 13 GDPR) reached the person."""

    PRINTED = "printed", _("printed copy handed over")
    READ_ALOUD = "read_aloud", _("read aloud, with a cultural mediator if needed")
    ELECTRONIC = "electronic", _("sent electronically")
