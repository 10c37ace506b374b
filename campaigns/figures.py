"""The structured figures a deliverable may ask for beside its text, by figure set.

Seed 003 (用户“获得电力”优质服务工作实施方案, 三(三)) has the utility report its connection data twice a year
(by 1-15 and 7-15): for each customer class — 高压新装及增容, 小微企业, 低压居民 — the applications connected,
the average working days, the steps (环节), the application materials and the connection cost. A submission
keeps them as `{class: {measure: number}}`; `clean_figures` checks them against the set.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.choices import FigureSet

# (key, label, integer?) of each measure; (key, label) of each customer class.
CONNECTION_MEASURES = (
    ("applications", gettext_lazy("applications connected"), True),
    ("avg_working_days", gettext_lazy("average working days"), False),
    ("steps", gettext_lazy("steps"), True),
    ("materials", gettext_lazy("application materials"), True),
    ("cost_yuan", gettext_lazy("connection cost (yuan)"), False),
)
CONNECTION_CLASSES = (
    ("high_voltage", gettext_lazy("High-voltage new and added capacity")),
    ("small_micro", gettext_lazy("Small and micro enterprises")),
    ("low_voltage_residential", gettext_lazy("Low-voltage residential")),
)
SETS = {FigureSet.CONNECTION: (CONNECTION_CLASSES, CONNECTION_MEASURES)}


def layout(figure_set: str):
    """(classes, measures) of a set, or ((), ()) for a deliverable without figures."""
    return SETS.get(figure_set, ((), ()))


def field_name(cls: str, measure: str) -> str:
    return f"fig__{cls}__{measure}"


def clean_figures(figure_set: str, figures) -> dict:
    """The figures of a submission, checked against the set: every class and measure given, a number ≥ 0,
    counts whole. Returns them with numbers as strings of decimals (JSON keeps them exactly)."""
    classes, measures = layout(figure_set)
    if not classes:
        if figures:
            raise ValidationError({"figures": _("This deliverable asks for no figures.")})
        return {}
    if not isinstance(figures, dict):
        raise ValidationError({"figures": _("Give the figures by customer class.")})
    errors, out = [], {}
    for cls, cls_label in classes:
        row = figures.get(cls)
        if not isinstance(row, dict):
            errors.append(_("%(cls)s: missing.") % {"cls": cls_label})
            continue
        out[cls] = {}
        for key, label, whole in measures:
            raw = row.get(key)
            try:
                value = Decimal(str(raw).strip())
            except (InvalidOperation, TypeError, ValueError):
                errors.append(_("%(cls)s, %(m)s: give a number.") % {"cls": cls_label, "m": label})
                continue
            if raw is None or value < 0 or (whole and value != value.to_integral_value()):
                errors.append(
                    _("%(cls)s, %(m)s: give a whole number of 0 or more.") % {"cls": cls_label, "m": label}
                    if whole
                    else _("%(cls)s, %(m)s: give a number of 0 or more.") % {"cls": cls_label, "m": label}
                )
                continue
            out[cls][key] = int(value) if whole else str(value.quantize(Decimal("0.01")))
    unknown = set(figures) - {c for c, _l in classes}
    if unknown:
        errors.append(_("Unknown customer class: %(names)s.") % {"names": ", ".join(sorted(map(str, unknown)))})
    if errors:
        raise ValidationError({"figures": errors})
    return out


def table(figure_set: str, figures: dict) -> dict:
    """The figures as a table for a page: header labels and one row per class."""
    classes, measures = layout(figure_set)
    return {
        "header": [label for _k, label, _w in measures],
        "rows": [
            {"label": label, "values": [(figures or {}).get(cls, {}).get(k, "") for k, _l, _w in measures]}
            for cls, label in classes
        ],
    }
