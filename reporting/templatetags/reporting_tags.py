"""Filters of the report templates: how a table cell prints, a column's kind."""

from django import template

from reporting.tables import cell_text

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
