"""Forms of the reporting pages: request a report, filter the dashboard."""

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


class DashboardForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False)
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Tickets received and outages starting from this day."),
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user).order_by("-start_date")
        for f in self.fields.values():
            f.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm" if isinstance(f, forms.ChoiceField) else "form-control form-control-sm",
            )
