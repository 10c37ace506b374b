"""Step forms of arrears cases."""

from django import forms
from django.utils.translation import gettext_lazy as _

DT = {"type": "datetime-local", "class": "form-control form-control-sm"}


def _dt(label):
    return forms.DateTimeField(label=label, widget=forms.DateTimeInput(attrs=DT, format="%Y-%m-%dT%H:%M"))


class ArrearsStepForm(forms.Form):
    at = _dt(_("When it happened"))
    note = forms.CharField(
        label=_("Note on the step"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class ArrearsNoticeForm(ArrearsStepForm):
    announced_cut_at = _dt(_("Disconnection announced for"))
    field_order = ["at", "announced_cut_at", "note"]
