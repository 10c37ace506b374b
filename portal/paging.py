"""Keyset pagination for the lists that grow to millions of rows (tickets, work orders, notices): a page is
`?before=<id of the last row seen>` in one order, so it costs the same on page 1 and page 20,000 (no OFFSET),
and the total is exact up to a threshold and the planner's estimate above it (no COUNT of millions).

`keyset_page(request, qs, field, desc)` gives the page's rows and the context `portal/_keyset_pager.html`
reads (position "51–100 / about 1,200,000 · page 2" and the next link)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q

PAGE = 50
TOTAL_EXACT_UP_TO = 10_000  # above this a list's total is estimated (a COUNT of millions is not free)


def row_id(text: str | None) -> int | None:
    """A row id given as text (a query parameter, a form field's suffix), or None: ASCII digits only —
    "²".isdigit() is true and int() of it fails — and short enough for a bigint."""
    if text and text.isascii() and text.isdigit() and len(text) < 19:
        return int(text)
    return None


def _after(qs, field: str, desc: bool, before: str):
    """The rows after the anchor `before` (an id) in the order (field, id): the anchor's own value places the
    cursor, empty values come last either way, ties are broken by id in the same direction."""
    pk = row_id(before)
    if pk is None:
        return qs
    found = qs.filter(pk=pk).values_list(field, flat=True)
    if not found:
        return qs
    anchor = found[0]
    later = "lt" if desc else "gt"
    if anchor is None:
        return qs.filter(**{f"{field}__isnull": True, f"pk__{later}": pk})
    return qs.filter(
        Q(**{f"{field}__{later}": anchor}) | Q(**{field: anchor, f"pk__{later}": pk}) | Q(**{f"{field}__isnull": True})
    )


def list_total(qs) -> tuple[int, bool]:
    """How many rows the list holds, and whether that is an estimate: exact up to TOTAL_EXACT_UP_TO, above it
    the planner's estimate on PostgreSQL (a lower bound elsewhere)."""
    n = qs.order_by()[: TOTAL_EXACT_UP_TO + 1].count()
    if n <= TOTAL_EXACT_UP_TO:
        return n, False
    if connection.vendor == "postgresql":
        sql, params = qs.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return max(int(plan[0]["Plan"]["Plan Rows"]), n), True
    return n, True


@dataclass
class KeysetPage:
    rows: list
    next_before: int | None
    page_no: int
    total: int
    estimated: bool
    query: str  # the request's parameters without the cursor, for the next link

    @property
    def first_row(self) -> int:
        return (self.page_no - 1) * PAGE + 1

    @property
    def last_row(self) -> int:
        return (self.page_no - 1) * PAGE + len(self.rows)

    def context(self) -> dict:
        """The names the list templates and `_keyset_pager.html` read."""
        return {
            "next_before": self.next_before,
            "query": self.query,
            "page_no": self.page_no,
            "first_row": self.first_row,
            "last_row": self.last_row,
            "list_total": self.total,
            "total_estimated": self.estimated,
        }


def keyset_page(request, qs, field: str, desc: bool = True) -> KeysetPage:
    """One page of `qs` in the order (field, id), descending or not; `?n=` carries the page number shown."""
    column = F(field).desc(nulls_last=True) if desc else F(field).asc(nulls_last=True)
    page_qs = _after(qs, field, desc, request.GET.get("before", ""))
    rows = list(page_qs.order_by(column, "-id" if desc else "id")[: PAGE + 1])
    params = request.GET.copy()
    params.pop("before", None)
    params.pop("n", None)
    page_no = request.GET.get("n", "")
    page_no = row_id(page_no) if len(page_no) < 7 else None
    total, estimated = list_total(qs)
    return KeysetPage(
        rows=rows[:PAGE],
        next_before=rows[PAGE - 1].pk if len(rows) > PAGE else None,
        page_no=max(page_no or 1, 1),
        total=total,
        estimated=estimated,
        query=params.urlencode(),
    )
