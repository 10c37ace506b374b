"""The step forms of connection applications (and meter requests): the instant the step happened."""

from django import forms
from django.utils.translation import gettext_lazy as _

DT = {"type": "datetime-local", "class": "form-control form-control-sm"}
TEXT = {"class": "form-control form-control-sm", "rows": 2}


class InstantStepForm(forms.Form):
    at = forms.DateTimeField(label=_("When it happened"), widget=forms.DateTimeInput(attrs=DT, format="%Y-%m-%dT%H:%M"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXT))
