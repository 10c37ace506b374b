"""Forms of the outages app. They collect and type the input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from outages.choices import Channel
from outages.models import OutageNotice

DT = {"type": "datetime-local", "class": "form-control"}


def _dt(label, required=False):
    return forms.DateTimeField(
        label=label, required=required, widget=forms.DateTimeInput(attrs=DT, format="%Y-%m-%dT%H:%M")
    )


class OutageNoticeForm(forms.ModelForm):
    """Register or change a notice (the utility picks one of the organisations it may write for)."""

    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    start_at = _dt(_("Scheduled start"), required=True)
    end_at = _dt(_("Scheduled end"))
    published_at = _dt(_("Published at"))
    important_customers_notified_at = _dt(_("Important customers notified at"))
    actual_start_at = _dt(_("Actual start"))
    actual_end_at = _dt(_("Actual end (restored)"))
    cause_removed_at = _dt(_("Cause removed at"))
    repair_reported_at = _dt(_("Fault reported at"))
    repair_arrived_at = _dt(_("Repair crew arrived at"))
    arrears_overdue_since = _dt(_("Overdue since"))
    paid_at = _dt(_("Paid at"))
    reconnected_at = _dt(_("Reconnected at"))

    class Meta:
        model = OutageNotice
        fields = [
            "utility",
            "kind",
            "external_id",
            "reason",
            "area",
            "lines",
            "affected_customers",
            "important_customers",
            "start_at",
            "end_at",
            "published_at",
            "channels",
            "important_customers_notified_at",
            "actual_start_at",
            "actual_end_at",
            "delay_explanation",
            "cause_removed_at",
            "area_class",
            "repair_reported_at",
            "repair_arrived_at",
            "arrears_amount",
            "arrears_overdue_since",
            "paid_at",
            "reconnected_at",
        ]
        widgets = {
            "important_customers": forms.Textarea(attrs={"rows": 2}),
            "delay_explanation": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, utilities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["utility"].queryset = utilities
        self.fields["external_id"].required = False
        self.fields["external_id"].help_text = _("Leave empty to let the portal number it.")
        if self.instance.pk:
            self.fields["utility"].disabled = True
        for name, field in self.fields.items():
            if name == "channels":
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def validate_unique(self):
        # The service reports a duplicate external id; the form only types the input.
        pass

    def _post_clean(self):
        # Typing only: the model is built and validated by the service, not by the form.
        pass


class PublishForm(forms.Form):
    published_at = _dt(_("Published at"), required=True)
    channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )


class RescheduleForm(forms.Form):
    start_at = _dt(_("New start"), required=True)
    end_at = _dt(_("New end"))
    published_at = _dt(_("Announced again at"))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.TextInput(attrs={"class": "form-control"}))


class InstantForm(forms.Form):
    at = _dt(_("When"), required=True)


class RestoreForm(forms.Form):
    at = _dt(_("Restored at"), required=True)
    cause_removed_at = _dt(_("Cause removed at"))
    explanation = forms.CharField(
        label=_("Explanation of delay"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.TextInput(attrs={"class": "form-control"}))
