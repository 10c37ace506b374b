"""A report table: the same rows print in the PDF and export to .xlsx (stored with the version)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

DITTO = "〃"

# Column kinds: text, int, percent (already ×100), decimal, date, datetime.


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (header, kind)
    rows: list[list] = field(default_factory=list)
    note: str = ""
    widths: list[int] | None = None  # column widths in % of the page (PDF only), for wide text tables
    group_first: bool = False  # PDF: print the first cell only when it changes (a utility's rows together)
    shorten: dict[int, int] = field(default_factory=dict)  # PDF: column index → at most n characters

    def col_widths(self) -> list[float]:
        """Column widths in % for the PDF. Fixed table layout is much faster to lay out than
        auto layout (WeasyPrint need not measure every cell of a 1,000-row table), so every table
        gets widths: the explicit ones, or a wide first column and the rest shared evenly."""
        if self.widths:
            return self.widths
        n = len(self.columns)
        if n == 1:
            return [100.0]
        first = 40.0 if n <= 3 else 24.0 if n <= 8 else 20.0
        return [first] + [round((100.0 - first) / (n - 1), 2)] * (n - 1)

    @property
    def dense(self) -> bool:
        """Long tables print smaller (appendices of hundreds of rows)."""
        return len(self.rows) > 60

    def display_rows(self):
        """The rows as printed: long texts shortened (the Excel export keeps them whole), a repeated
        first cell as the ditto mark 〃 (as on paper forms)."""
        previous = object()
        for row in self.rows:
            out = list(row)
            for i, n in self.shorten.items():
                out[i] = shorten(out[i], n)
            if self.group_first and row and row[0] == previous:
                out[0] = DITTO
            yield out
            previous = row[0] if row else None

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": str(self.title),
            "columns": [[str(h), k] for h, k in self.columns],
            "rows": [[_json(v) for v in row] for row in self.rows],
            "note": str(self.note),
        }


def _json(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, int | float | bool):
        return value
    return str(value)


def cell_text(value, kind: str) -> str:
    """How a value prints in the PDF."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if kind == "percent":
        return f"{float(value):.1f}%"
    if kind == "decimal":
        return f"{float(value):,.2f}"
    if kind == "int":
        return f"{int(value):,}"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def shorten(text, n: int):
    if not isinstance(text, str):
        return text
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def rate(n: int, d: int) -> float | None:
    return round(100.0 * n / d, 1) if d else None
