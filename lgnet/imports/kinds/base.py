"""What every kind of import shares: columns, cell parsing, the row loop's hooks."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from lgnet.imports.reading import normalise_header


class CellError(ValueError):
    """A cell that cannot be read; the message is shown with its row and column."""


# --- Cell parsers ----------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_MY = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")


def parse_date(value: Any) -> date | None:
    """2024-03-31 or 31/03/2024 (also 31.03.2024, 31-03-2024); spreadsheet dates as they are."""
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        if re.match(r"^\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text[:10])
        found = _DMY.match(text)
        if found:
            day, month, year = (int(g) for g in found.groups())
            return date(year, month, day)
    except ValueError:
        pass
    raise CellError(_("Not a date: write 2024-03-31 or 31/03/2024."))


def parse_birth(value: Any) -> tuple[date | None, str | None]:
    """A birth date and the precision it implies: 1990 is a year, 03/1990 a month."""
    if isinstance(value, date):
        return value, None
    text = str(value or "").strip()
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1), "year"
    found = _MY.match(text)
    if found:
        month, year = int(found.group(1)), int(found.group(2))
        if 1 <= month <= 12:
            return date(year, month, 1), "month"
    return parse_date(text), None


def parse_list(value: Any) -> list[str]:
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


def parse_decimal(value: Any) -> Decimal | None:
    text = str(value or "").strip().replace(" ", "")
    if not text:
        return None
    if "," in text:  # 1.234,50 as written in Italy
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise CellError(_("Not a number.")) from error


def number(max_digits: int, places: int) -> Callable[[Any], Decimal | None]:
    """A decimal the field can hold (as the API's schema checks): finite, not negative,
    at most ``places`` decimals and ``max_digits`` digits in all."""

    def parse(value: Any) -> Decimal | None:
        found = parse_decimal(value)
        if found is None:
            return None
        if not found.is_finite():
            raise CellError(_("Not a number."))
        if found < 0:
            raise CellError(_("The number cannot be negative."))
        if found != found.quantize(Decimal(1).scaleb(-places)):
            raise CellError(_("At most %(n)d decimals.") % {"n": places})
        if found >= Decimal(10) ** (max_digits - places):
            raise CellError(_("The number is too large."))
        return found

    return parse


def is_id(text: str) -> bool:
    """An LgNet id as a file writes it: plain ASCII digits, within the database's range."""
    return text.isascii() and text.isdigit() and len(text) < 19


def parse_int(value: Any) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    found = parse_decimal(text)
    if found is None or not found.is_finite() or found != found.to_integral_value():
        raise CellError(_("Not a whole number."))
    return int(found)


def whole(low: int, high: int) -> Callable[[Any], int | None]:
    """A whole number within the bounds the API's schema sets."""

    def parse(value: Any) -> int | None:
        found = parse_int(value)
        if found is not None and not low <= found <= high:
            raise CellError(_("Between %(low)s and %(high)s.") % {"low": low, "high": high})
        return found

    return parse


_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.]\d{2})?$")


def parse_time(value: Any) -> time | None:
    """09:30 (also 9.30 and 09:30:00); spreadsheet times as they are."""
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    text = str(value or "").strip()
    if not text:
        return None
    found = _TIME.match(text)
    if found and int(found.group(1)) < 24 and int(found.group(2)) < 60:
        return time(int(found.group(1)), int(found.group(2)))
    raise CellError(_("Not a time: write 09:30."))


def parse_bool(value: Any) -> bool:
    text = normalise_header(value)
    if text in ("", "0", "no", "false", "falso", "n"):
        return False
    if text in ("1", "si", "yes", "true", "vero", "x", "s", "y"):
        return True
    raise CellError(_("Write yes or no."))


def text(max_length: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        out = str(value or "").strip() if not isinstance(value, date) else value.isoformat()
        if len(out) > max_length:
            raise CellError(_("At most %(n)d characters.") % {"n": max_length})
        return out

    return parse


def choice(choices: Iterable[tuple[str, Any]], extra: dict[str, str] | None = None) -> Callable:
    """A code, or its label in Italian or English (any case)."""
    choices = list(choices)
    known: dict[str, str] = {normalise_header(k): v for k, v in (extra or {}).items()}
    for value, label in choices:
        known[normalise_header(value)] = value
        for language in ("it", "en"):
            with translation.override(language):
                known.setdefault(normalise_header(str(label)), value)
    allowed = ", ".join(v for v, _label in choices)

    def parse(value: Any) -> str:
        key = normalise_header(value)
        if not key:
            return ""
        if key in known:
            return known[key]
        raise CellError(_("Not one of the allowed values: %(v)s") % {"v": allowed})

    parse.choices = choices  # type: ignore[attr-defined]
    return parse


class RowRefused(Exception):
    def __init__(self, column: str, message: str, more: list | None = None) -> None:
        super().__init__(message)
        self.column, self.message, self.more = column, message, more or []

    def __reduce__(self):  # whole across processes (see lgnet.imports.ahead)
        return (type(self), (self.column, str(self.message), self.more))

    @classmethod
    def from_validation(cls, error: ValidationError) -> RowRefused:
        items = [
            (field if field != "__all__" else "", str(message))
            for field, messages in getattr(error, "message_dict", {"": error.messages}).items()
            for message in messages
        ]
        first, *rest = items or [("", _("The row is not valid."))]
        return cls(first[0], first[1], rest)

    def row_errors(self, number: int) -> list[RowError]:
        return [RowError(number, self.column, self.message)] + [
            RowError(number, column, message) for column, message in self.more
        ]


# --- Columns and kinds -----------------------------------------------------------------------


@dataclass
class Column:
    name: str  # the API's field name: the template's header
    label: str | Promise  # what it is, in words
    parse: Callable[[Any], Any]
    aliases: tuple[str, ...] = ()  # other headers accepted (the Italian ones)
    required: bool = False
    help: str | Promise = ""
    example: str = ""
    allowed: Callable[[Any], list[tuple[str, str]]] | None = None  # city -> (code, label)
    is_computed: bool = False  # written by the exports (a total), ignored by the import

    def headers(self) -> set[str]:
        return {normalise_header(h) for h in (self.name, *self.aliases)}


def _ignored(value: Any) -> None:
    return None


def computed(name: str, label: str | Promise, aliases: tuple[str, ...] = ()) -> Column:
    """A column the exports add (a total, a title beside an id): accepted, and ignored, so
    that an export can be imported as it is."""
    return Column(name, label, _ignored, aliases, is_computed=True)


def imported_ids(city, kind: str) -> dict[str, int]:
    """The records earlier imports of ``kind`` made, by the row's external id."""
    from lgnet.imports.models import ImportedRecord

    return dict(ImportedRecord.objects.filter(city=city, kind=kind).values_list("key", "target_id"))


def find_record(queryset, imported: dict[str, int], reference: str):
    """A record named by a file: the external id of an imported row, or its LgNet id
    (written 17 or LG17, as the exports write it). None when nothing answers."""
    reference = str(reference or "").strip()
    if not reference:
        return None
    digits = reference[2:] if reference[:2].upper() == "LG" else reference
    pk = imported.get(reference)
    if pk is None and is_id(digits):
        pk = imported.get(f"LG{digits}", int(digits))
    if pk is None:
        return None
    return queryset.filter(pk=pk).first()


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


@dataclass
class Outcome:
    """What a row did (or would do): created, linked to an existing record, or nothing."""

    action: str  # "created" | "linked" | "unchanged"
    target: Any = None


@dataclass
class Context:
    city: Any
    actor: Any
    data_import: Any
    decisions: dict = field(default_factory=dict)
    create_duplicates: bool = False
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    state: dict = field(default_factory=dict)  # each kind's own memory of the run


class Kind:
    name = ""
    label: str | Promise = ""
    model_label = ""
    columns: list[Column] = []
    # What the guide sheet says about the file as a whole (how a city's sheet maps to rows).
    guide_notes: tuple[str | Promise, ...] = ()

    def header_map(self, header: list[str]) -> tuple[dict[int, Column], list[str], list[str]]:
        """Which spreadsheet column feeds which field; unknown headers and missing required."""
        by_header = {h: column for column in self.columns for h in column.headers()}
        mapping: dict[int, Column] = {}
        unknown = []
        for index, cell in enumerate(header):
            key = normalise_header(cell)
            if not key:
                continue
            column = by_header.get(key)
            if column is None:
                unknown.append(str(cell))
            elif column not in mapping.values():
                mapping[index] = column
        present = {c.name for c in mapping.values()}
        missing = [c.name for c in self.columns if c.required and c.name not in present]
        return mapping, unknown, missing

    def parse_row(
        self, number: int, cells: list, mapping: dict[int, Column]
    ) -> tuple[dict, list[RowError]]:
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        for index, column in mapping.items():
            raw = cells[index] if index < len(cells) else ""
            if raw == "":  # an empty cell is a value not given: the record's default applies
                continue
            try:
                values[column.name] = column.parse(raw)
            except CellError as error:
                errors.append(RowError(number, column.name, str(error)))
        for column in mapping.values():
            missing = values.get(column.name) in (None, "", [])
            if column.required and missing and not any(e.column == column.name for e in errors):
                errors.append(RowError(number, column.name, _("This column is required.")))
        return values, errors

    def key(self, values: dict) -> str:
        """The row's external id, or a fingerprint of its values when it has none."""
        given = str(values.get("external_id") or "").strip()
        if given:
            return given
        blob = json.dumps(values, sort_keys=True, default=str)
        return "#" + hashlib.sha256(blob.encode()).hexdigest()[:32]

    def carried(self, values: dict) -> dict:
        """What of a prepared row's values its run still reads (see ``lgnet.imports.ahead``:
        the rest stays with the process that read it). All of them, unless a kind says."""
        return values

    def start(self, ctx: Context) -> None:
        """Before the first row: load what the rows will look up."""

    def write(self, ctx: Context, number: int, values: dict, key: str) -> Outcome:
        """Check one row with the services' own rules and write it (inside the run's
        transaction; a check rolls everything back at the end)."""
        raise NotImplementedError

    def finish(self, ctx: Context) -> None:
        """After the last row: flush what was batched."""

    def export_rows(self, membership, queryset) -> Iterable[list]:
        raise NotImplementedError
