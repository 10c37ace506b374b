"""Forms of the reporting pages: request a report, filter the dashboard."""

import calendar
import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from reporting.choices import ReportKind


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)
    utility = forms.RegexField(
        label=_("Utility (code)"),
        regex=r"^[A-Za-z0-9_.-]{1,40}$",
        required=False,
        help_text=_("Self-check report; narrows an outage report."),
    )
    period = forms.RegexField(
        label=_("Period"),
        regex=r"^[0-9Qq.-]{4,22}$",
        required=False,
        help_text=_("2026, 2026-03, 2026Q1 or 2026-01-01..2026-03-31"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user).order_by("-start_date")
        for f in self.fields.values():
            f.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm" if isinstance(f, forms.ChoiceField) else "form-control form-control-sm",
            )

    def raw(self) -> dict:
        d = self.cleaned_data
        return {
            "campaign": d["campaign"].pk if d.get("campaign") else None,
            "utility": d.get("utility") or "",
            "period": d.get("period") or "",
        }


class MonthField(forms.DateField):
    """A month (YYYY-MM, 2000–2100) as its first day, or its last day with `last_day`."""

    widget = forms.DateInput(attrs={"type": "month"})

    def __init__(self, *args, last_day: bool = False, **kwargs):
        self.last_day = last_day
        super().__init__(*args, **kwargs)

    def to_python(self, value):

        if value in self.empty_values:
            return None
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", str(value).strip())
        if not m or not (2000 <= int(m[1]) <= 2100 and 1 <= int(m[2]) <= 12):
            raise forms.ValidationError(_("Give a month as 2026-03."))
        y, mo = int(m[1]), int(m[2])
        return date(y, mo, calendar.monthrange(y, mo)[1] if self.last_day else 1)


class DashboardForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)
    start = MonthField(label=_("From month"), required=False)
    end = MonthField(label=_("To month"), required=False, last_day=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user).order_by("-start_date")
        for f in self.fields.values():
            f.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm" if isinstance(f, forms.ChoiceField) else "form-control form-control-sm",
            )
