"""The step forms of connection applications (and meter requests): the instant the step happened."""

from django import forms
from django.utils.translation import gettext_lazy as _

DT = {"type": "datetime-local", "class": "form-control form-control-sm"}
TEXT = {"class": "form-control form-control-sm", "rows": 2}


class InstantStepForm(forms.Form):
    at = forms.DateTimeField(label=_("When it happened"), widget=forms.DateTimeInput(attrs=DT, format="%Y-%m-%dT%H:%M"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXT))


class MeterAnswerForm(InstantStepForm):
    """The result of a meter test (or the answer to an abnormal reading)."""

    within_tolerance = forms.ChoiceField(
        label=_("Within tolerance (reading correct)"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    error_percent = forms.DecimalField(
        label=_("Error (%)"), required=False, max_digits=7, decimal_places=3, min_value=-100, max_value=100
    )
    refund_yuan = forms.DecimalField(
        label=_("Refund (yuan)"), required=False, max_digits=12, decimal_places=2, min_value=0
    )
    field_order = ["at", "within_tolerance", "error_percent", "refund_yuan", "note"]
