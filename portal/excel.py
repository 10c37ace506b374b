"""Excel in and out: streaming .xlsx exports with Chinese headers and real number/date formats, and a
row reader for .xlsx and .csv uploads that keeps memory flat however long the file."""

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from tempfile import SpooledTemporaryFile
from typing import Any
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMATS = {
    "int": "#,##0",
    "decimal": "#,##0.00",
    "percent": '0.00"%"',  # values are percentages already (99.95), not fractions
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}


@dataclass(frozen=True)
class Column:
    """One column of an export: a header (translated), how to get the value, and its kind."""

    header: Any
    value: str | Callable[[Any], Any]
    kind: str = "text"
    width: int = 16

    def get(self, obj: Any) -> Any:
        if callable(self.value):
            return self.value(obj)
        current = obj
        for part in self.value.replace("__", ".").split("."):
            if current is None:
                return None
            current = current.get(part) if isinstance(current, dict) else getattr(current, part)
            if callable(current) and not isinstance(current, type):
                current = current()
        return current


# Leads that make a spreadsheet read text as a formula (OWASP "CSV injection"): = + - @, tab and CR.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_LEADS)


def _cell(ws, value: Any, kind: str = "text") -> WriteOnlyCell:
    """The one cell writer of every .xlsx: text is always a string cell, never a formula.

    openpyxl turns any str starting with "=" into a formula, and Excel evaluates "+1", "-1" and "@SUM(1)"
    typed into a cell; so a formula-like text is written as a string cell with Excel's quote prefix (what
    Excel itself does for '=1+1): it reads exactly as sent and stays text when someone edits the cell.
    Numbers, dates and booleans keep their types.
    """
    cell = WriteOnlyCell(ws, value=_cell_value(value, kind))
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if is_formula_like(cell.value):
            cell.quotePrefix = True
    if kind in FORMATS:
        cell.number_format = FORMATS[kind]
    return cell


def _cell_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime):
        # Excel has no time zones: write the Asia/Shanghai wall-clock time.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def write_xlsx(fh, *, sheet: str, columns: list[Column], rows: Iterable[Any], title: str | None = None) -> int:
    """Write rows to `fh` in openpyxl's write-only mode (rows stream to disk). Returns the row count."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(sheet)[:31])
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    if title:
        cell = _cell(ws, str(title))
        cell.font = Font(bold=True, size=13)
        ws.append([cell])
    header = []
    for col in columns:
        cell = _cell(ws, str(col.header))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for obj in rows:
        ws.append([_cell(ws, col.get(obj), col.kind) for col in columns])
        count += 1
    wb.save(fh)
    return count


def xlsx_response(*, filename: str, sheet: str, columns: list[Column], rows: Iterable[Any], title: str | None = None):
    """An .xlsx download. Pass `rows` as `qs.iterator(chunk_size=2000)` for large lists."""
    buffer = SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    write_xlsx(buffer, sheet=sheet, columns=columns, rows=rows, title=title)
    buffer.seek(0)
    name = filename if filename.endswith(".xlsx") else f"{filename}.xlsx"
    response = FileResponse(
        buffer, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", as_attachment=True
    )
    response["Content-Disposition"] = f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response


class TableError(ValueError):
    pass


def _is_xlsx(head: bytes, fh) -> bool:
    if not head.startswith(b"PK"):
        return False
    try:
        fh.seek(0)
        with zipfile.ZipFile(fh) as z:
            return "xl/workbook.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        fh.seek(0)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def read_table(fh) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (row_number, {header: value}) from an .xlsx (first sheet) or .csv (UTF-8 or GB18030) file.

    Row numbers are the spreadsheet's own (header = 1), so an error report points at the right line.
    Blank rows are skipped. Memory stays flat: both readers stream.
    """
    fh.seek(0)
    head = fh.read(8)
    fh.seek(0)
    if _is_xlsx(head, fh):
        wb = load_workbook(fh, read_only=True, data_only=True)
        try:
            rows = wb.worksheets[0].iter_rows(values_only=True)
            header = next(rows, None)
            if not header:
                return
            keys = [str(h).strip() if h is not None else "" for h in header]
            for number, values in enumerate(rows, start=2):
                if values is None or all(v is None or str(v).strip() == "" for v in values):
                    continue
                yield number, {k: _clean(v) for k, v in zip(keys, values, strict=False) if k}
        finally:
            wb.close()
        return
    raw = fh.read(65536)
    fh.seek(0)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            # Incremental: the sample may end inside a character (a 3-byte 汉字 split at byte 65,536).
            codecs.getincrementaldecoder(encoding)().decode(raw, final=False)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError("The file is neither .xlsx nor a UTF-8/GB18030 CSV.")
    text = io.TextIOWrapper(fh, encoding=encoding, newline="")
    try:
        reader = csv.reader(text)
        header = next(reader, None)
        if not header:
            return
        keys = [h.strip() for h in header]
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            yield number, {k: _clean(v) for k, v in zip(keys, values, strict=False) if k}
    finally:
        text.detach()


def count_rows(fh) -> int:
    """Data rows in the file (for the progress bar), without loading it."""
    return sum(1 for _ in read_table(fh))
