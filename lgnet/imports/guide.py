"""The downloadable template of each kind: headers, an example row, and the guide."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from lgnet.imports.kinds import get_kind


def build_template(kind_name: str, city) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    kind = get_kind(kind_name)
    book = Workbook()
    data = book.active
    data.title = kind_name
    # Columns the exports add (totals, titles beside ids) are accepted but not asked for.
    asked = [c for c in kind.columns if not c.is_computed]
    data.append([c.name for c in asked])
    data.append([c.example for c in asked])
    for cell in data[1]:
        cell.font = Font(bold=True)
    guide = book.create_sheet(_("Guide")[:31])
    guide.append(
        [
            _("Column"),
            _("Italian headers accepted"),
            _("Required"),
            _("What to write"),
            _("Allowed values"),
        ]
    )
    values = book.create_sheet(_("Allowed values")[:31])
    values.append([_("Column"), _("Code"), _("Meaning")])
    for column in kind.columns:
        allowed = column.allowed(city) if column.allowed else []
        guide.append(
            [
                column.name,
                ", ".join(column.aliases),
                _("yes") if column.required else "",
                str(column.label),
                (
                    _("see the sheet of allowed values")
                    if len(allowed) > 15
                    else "; ".join(f"{code} = {label}" for code, label in allowed)
                ),
            ]
        )
        for code, label in allowed:
            values.append([column.name, code, str(label)])
    guide.append([])
    guide.append(
        [
            _(
                "Dates: 2024-03-31 or 31/03/2024. Lists: values separated by ;. "
                "Files: XLSX, ODS or CSV (any delimiter, UTF-8 or Windows-1252)."
            )
        ]
    )
    guide.append(
        [
            _(
                "Every row is checked first; then every row is written, or none. "
                "Importing the same file again changes nothing (the external id of each row)."
            )
        ]
    )
    for note in kind.guide_notes:
        guide.append([str(note)])
    for sheet in (guide, values):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 24
        sheet.column_dimensions["B"].width = 30
        sheet.column_dimensions["D"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
