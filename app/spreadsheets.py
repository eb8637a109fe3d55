"""Tables for a spreadsheet: CSV as Polish Excel opens it, and ``.xlsx`` (openpyxl)."""

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

# A cell that starts like this is a formula to a spreadsheet: people type names, so defuse it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_MAX = 31  # Excel's limit
COLUMN_WIDTH_MAX = 60


def cell(value: str | None) -> str:
    text = value or ""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """UTF-8 with a byte order mark (so that Excel reads Polish letters) and semicolons (the
    list separator of Polish Excel); every cell defused."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([cell(str(text)) for text in header])
    for row in rows:
        writer.writerow([cell(str(text)) for text in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(
    title: str, header: Sequence[str], rows: Iterable[Sequence], formats: Sequence[str | None]
) -> bytes:
    """One sheet: a bold header, then the rows as values (numbers stay numbers, shown with
    ``formats``, one Excel number format or None per column); text cells defused."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:SHEET_TITLE_MAX].translate(str.maketrans("[]:*?/\\", "()     "))
    sheet.append(list(header))
    for heading in sheet[1]:
        heading.font = Font(bold=True)
    widths = [len(text) for text in header]
    for row in rows:
        sheet.append([cell(value) if isinstance(value, str) else value for value in row])
        widths = [
            max(width, len(str(value or ""))) for width, value in zip(widths, row, strict=True)
        ]
    for column, (width, number_format) in enumerate(zip(widths, formats, strict=True), start=1):
        letter = sheet.cell(row=1, column=column).column_letter
        sheet.column_dimensions[letter].width = min(width + 2, COLUMN_WIDTH_MAX)
        if number_format:
            for (value_cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                value_cell.number_format = number_format
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
