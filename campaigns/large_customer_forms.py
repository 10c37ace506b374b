"""Forms of large customers (大电力客户): the register, an inspection visit, a hazard notice, and the step forms
of hazard notices and filings (their API request bodies are derived from these, `portal.api.workflow`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.large_customer_choices import Season
from campaigns.models import LargeCustomer

DATE = {"type": "date", "class": "form-control form-control-sm"}
DT = {"type": "datetime-local", "class": "form-control form-control-sm"}
TEXT = {"class": "form-control form-control-sm"}


def _date(label, required=True, help_text=""):
    return forms.DateField(label=label, required=required, help_text=help_text, widget=forms.DateInput(attrs=DATE))


def _text(label, required=True, max_length=200):
    return forms.CharField(label=label, required=required, max_length=max_length, widget=forms.TextInput(attrs=TEXT))


NOTE = _("Note on the step")


def _note(label=NOTE, required=False):
    return forms.CharField(
        label=label, required=required, max_length=2000, widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )


class LargeCustomerForm(forms.ModelForm):
    """The register entry a utility keeps (the emergency plan's file is attached on the customer's page)."""

    class Meta:
        model = LargeCustomer
        fields = [
            "name",
            "account_number",
            "importance",
            "voltage_kv",
            "source_count",
            "sources",
            "high_risk",
            "security_load_kw",
            "emergency_capacity_kw",
            "government_designation",
            "emergency_plan_on_file",
            "registered_on",
            "last_inspected_on",
            "status",
        ]
        widgets = {
            "registered_on": forms.DateInput(attrs=DATE),
            "last_inspected_on": forms.DateInput(attrs=DATE),
            "sources": forms.Textarea(attrs={**TEXT, "rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["status"]  # a new entry is active; it is closed by editing it
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-control form-control-sm")


class InspectionForm(forms.Form):
    inspected_on = _date(_("Inspected on"))
    inspector = _text(_("Inspector"), max_length=80)
    season = forms.ChoiceField(label=_("Kind of inspection"), choices=Season.choices, widget=forms.Select(attrs=TEXT))
    findings = _note(_("Findings"))


class HazardNoticeForm(forms.Form):
    hazard = _note(_("Hazard"), required=True)
    measures = _note(_("Recommended measures"), required=True)
    deadline = _date(_("Rectification deadline"))
    inspector = _text(_("Signed by the inspector"), max_length=80)


class SignForm(forms.Form):
    at = forms.DateTimeField(label=_("Signed at"), widget=forms.DateTimeInput(attrs=DT, format="%Y-%m-%dT%H:%M"))
    signatory = _text(_("Signed for the customer by"), max_length=80)
    note = _note()


def _at():
    return forms.DateTimeField(
        label=_("When it happened"),
        required=False,
        help_text=_("Default: now."),
        widget=forms.DateTimeInput(attrs=DT, format="%Y-%m-%dT%H:%M"),
    )


class ReceiptForm(forms.Form):
    at = _at()
    receipt_on = _date(_("Completion receipt dated"))
    file = forms.FileField(label=_("Completion receipt (file)"))
    note = _note()


class RenoticeForm(forms.Form):
    at = _at()
    deadline = _date(_("New rectification deadline"))
    refiled_on = _date(_("Re-filed on"), help_text=_("再备案: the date the overdue hazard was filed again."))
    note = _note(_("What the review found (再梳理)"), required=True)


class CloseForm(forms.Form):
    at = _at()
    note = _note()


class FilingForm(forms.Form):
    filed_on = _date(_("Filed on"))
    authority = _text(_("Filed with"), max_length=120)
    reference = _text(_("Document number"), required=False, max_length=80)
    note = _note()


class PlanForm(forms.Form):
    file = forms.FileField(label=_("Outage emergency plan (file)"))
