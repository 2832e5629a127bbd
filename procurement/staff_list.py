"""The institution's staff list (CSV of name, unit and size): the counts per size come from it.

Offices keep such lists in a spreadsheet; whatever goes wrong in one is named by its row, in the
uploader's language, so they can fix that row and upload again.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Size

MAX_BYTES = 1024 * 1024  # 1 MB: thousands of rows, far more than any office's staff
MAX_ROWS = 5000
# What people write in a size column, as the sizes we know.
_SIZE_SPELLINGS = {"2XL": Size.XXL, "XXL": Size.XXL, "3XL": Size.XXXL, "XXXL": Size.XXXL}
_HEADERS = {
    "name": {"name", "nama"},
    "unit": {"unit", "bagian", "bidang", "unit kerja"},
    "size": {"size", "ukuran"},
}


@dataclass(frozen=True)
class StaffRow:
    row: int  # the row number as a spreadsheet shows it (the header is row 1)
    name: str
    unit: str
    size: str


@dataclass(frozen=True)
class StaffList:
    rows: list[StaffRow]

    @property
    def counts(self) -> dict[str, int]:
        """Pieces per size, in the order sizes run (S before M)."""
        counted = Counter(row.size for row in self.rows)
        return {size: counted[size] for size in Size.values if counted[size]}


def normalise_size(value: str) -> str | None:
    text = value.strip().upper().replace(" ", "")
    if text in Size.values:
        return text
    return _SIZE_SPELLINGS.get(text)


def parse_staff_list(upload) -> StaffList:
    """Read a staff CSV (comma or semicolon separated, UTF-8 with or without BOM).

    Raises ValidationError with one message per problem, each naming its row.
    """
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The staff list is larger than 1 MB; split it or remove columns."))
    data = upload.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise ValidationError(
            _("Row %(row)s is not readable text: save the list as CSV UTF-8 and upload it again.")
            % {"row": row}
        ) from error
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        raise ValidationError(_("The staff list is empty."))
    columns = _columns(header)
    rows: list[StaffRow] = []
    problems: list[str] = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # empty rows are common at a spreadsheet's end
        if number > MAX_ROWS + 1:
            raise ValidationError(
                _("The staff list has more than %(max)s rows.") % {"max": MAX_ROWS}
            )

        def cell(key: str, cells=cells) -> str:
            index = columns.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        name, size_text = cell("name"), cell("size")
        size = normalise_size(size_text)
        if not name:
            problems.append(_("Row %(row)s: the name is missing.") % {"row": number})
        if size is None:
            problems.append(
                _("Row %(row)s: “%(size)s” is not a size we know (%(sizes)s).")
                % {"row": number, "size": size_text, "sizes": ", ".join(Size.values)}
            )
        if name and size:
            rows.append(StaffRow(row=number, name=name[:120], unit=cell("unit")[:120], size=size))
    if problems:
        raise ValidationError(problems)
    if not rows:
        raise ValidationError(_("The staff list has no one on it."))
    return StaffList(rows=rows)


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for index, title in enumerate(header):
        for key, names in _HEADERS.items():
            if title.strip().lower() in names and key not in found:
                found[key] = index
    missing = [key for key in ("name", "size") if key not in found]
    if missing:
        raise ValidationError(_("Row 1 must name the columns: nama (name), unit, ukuran (size)."))
    return found
