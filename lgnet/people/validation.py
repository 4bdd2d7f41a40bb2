"""Checks of identity fields that forms, the API and imports share."""

from codicefiscale import codicefiscale
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lgnet.people.choices import COUNTRY_CODES, LANGUAGE_CODES


def _provisional_code_is_valid(code: str) -> bool:
    """The 11-digit provisional code given to asylum seekers (checksum as in VAT numbers)."""
    if len(code) != 11 or not (code.isascii() and code.isdigit()):
        return False
    total = 0
    for i, char in enumerate(code[:10]):
        digit = int(char)
        if i % 2:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return (10 - total % 10) % 10 == int(code[10])


def clean_codice_fiscale(value: str) -> str:
    code = "".join((value or "").split()).upper()
    if not code:
        return ""
    if code.isascii() and code.isdigit():
        if _provisional_code_is_valid(code):
            return code
        raise ValidationError(
            _("The 11-digit provisional code is not valid."), code="codice_fiscale"
        )
    try:
        if codicefiscale.is_valid(code) or codicefiscale.is_omocode(code):
            return code
    except ValueError:
        pass  # the library raises on a wrong check character: the code is not valid
    raise ValidationError(_("This codice fiscale is not valid."), code="codice_fiscale")


def clean_countries(values: list[str]) -> list[str]:
    codes = [v.strip().upper() for v in values or [] if v and v.strip()]
    wrong = [c for c in codes if c not in COUNTRY_CODES]
    if wrong:
        raise ValidationError(
            _("Unknown country codes: %(codes)s (use ISO 3166, e.g. NG, MA)")
            % {"codes": ", ".join(wrong)},
            code="nationalities",
        )
    return list(dict.fromkeys(codes))


def clean_languages(values: list[str]) -> list[str]:
    codes = [v.strip().lower() for v in values or [] if v and v.strip()]
    wrong = [c for c in codes if c not in LANGUAGE_CODES]
    if wrong:
        raise ValidationError(
            _("Unknown language codes: %(codes)s (use ISO 639, e.g. ar, fr)")
            % {"codes": ", ".join(wrong)},
            code="languages",
        )
    return list(dict.fromkeys(codes))
