"""Filters of the report templates: how a table cell prints, a column's kind."""

from django import template

from reporting.tables import cell_text
from reporting.work_orders import KINDS

register = template.Library()


@register.filter
def cell(value, kind: str) -> str:
    return cell_text(value, kind)


@register.filter
def col_kind(columns, index: int) -> str:
    try:
        return columns[index][1]
    except (IndexError, TypeError):
        return "text"


@register.filter
def pct(value) -> str:
    return "—" if value is None else f"{float(value):.1f}%"


@register.simple_tag
def order_kinds() -> list:
    """(key, title) of the record kinds whose on-time rates a bulletin freezes (`reporting.work_orders.KINDS`)."""
    return [(key, title) for key, title, *_rest in KINDS]
