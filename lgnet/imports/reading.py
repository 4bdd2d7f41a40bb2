"""Spreadsheets in: XLSX, ODS and CSV (any delimiter; UTF-8 with or without BOM, or
Windows-1252), read row by row so memory stays flat as files grow."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from contextlib import suppress
from datetime import date, datetime
from typing import IO

from django.utils.translation import gettext as _

from lgnet.core.exceptions import RuleBroken

FORMATS = ("xlsx", "ods", "csv")
_CHUNK = 1 << 16


def normalise_header(text: object) -> str:
    """'Data di nascita ' and 'data_di_nascita' are one header; accents and case ignored."""
    folded = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")


def format_of(filename: str, head: bytes) -> str:
    if head.startswith(b"PK"):
        # Both are zip files: an ODS names its mimetype in the first entry.
        return "ods" if b"application/vnd.oasis.opendocument" in head[:200] else "xlsx"
    name = filename.lower()
    for ext in FORMATS:
        if name.endswith("." + ext):
            return ext
    return "csv"


def _encoding(stream: IO[bytes]) -> str:
    """UTF-8 when every byte decodes as UTF-8 (a BOM is dropped), else Windows-1252."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        stream.seek(0)
    return "utf-8-sig"


def _csv_rows(stream: IO[bytes]) -> Iterator[list]:
    encoding = _encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    sample = text.read(_CHUNK)
    text.seek(0)
    try:
        dialect = csv.Sniffer().sniff(sample.split("\n", 20)[0] if sample else ",", ";,\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        # NUL bytes (a binary file named .csv) would stop the csv module: drop them.
        yield from csv.reader((line.replace("\x00", "") for line in text), delimiter=delimiter)
    except csv.Error as error:
        raise RuleBroken(_("The file cannot be read as CSV: %(e)s") % {"e": error}) from error
    finally:
        # The file may be closed already: a run whose rows were read by another process
        # (lgnet.imports.ahead) leaves this reader unfinished until it is collected.
        with suppress(ValueError):
            text.detach()


def _xlsx_rows(stream: IO[bytes]) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise RuleBroken(_("The spreadsheet cannot be read: %(e)s") % {"e": error}) from error
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def _ods_rows(stream: IO[bytes]) -> Iterator[list]:
    import tablib

    try:
        data = tablib.Dataset().load(stream.read(), format="ods", headers=False)
    except Exception as error:  # odfpy raises many kinds on a damaged file
        raise RuleBroken(_("The spreadsheet cannot be read: %(e)s") % {"e": error}) from error
    yield from (list(row) for row in data)


def cell_text(value: object) -> str | date:
    """A cell as text, dates kept as dates; integral floats without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\x00", "").strip()


def read_rows(stream: IO[bytes], filename: str) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """The header cells and an iterator of (spreadsheet row number, cells) after it.

    Empty rows are skipped; row numbers are those the user sees in the spreadsheet.
    """
    stream.seek(0)
    head = stream.read(256)
    stream.seek(0)
    kind = format_of(filename, head)
    rows = {"xlsx": _xlsx_rows, "ods": _ods_rows, "csv": _csv_rows}[kind](stream)
    header: list[str] = []
    number = 0
    for cells in rows:
        number += 1
        if any(cell_text(c) != "" for c in cells):
            header = [str(cell_text(c)) for c in cells]
            break
    if not header:
        raise RuleBroken(_("The file has no header row."), field="file")

    def body(start: int = number) -> Iterator[tuple[int, list]]:
        n = start
        for cells in rows:
            n += 1
            values = [cell_text(c) for c in cells]
            if any(v != "" for v in values):
                yield n, values

    return header, body()
