from django import forms
from django.utils.translation import gettext_lazy as _

from portal.choices import Disposition
from portal.filtersets import BoundedDateTimeField
from portal.models import Rule


class DeadlineExplainForm(forms.Form):
    rule = forms.ChoiceField(label=_("Rule"), widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    start = BoundedDateTimeField(
        label=_("Start (Asia/Shanghai)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = Rule.objects.filter(is_active=True).values_list("code", "title").distinct().order_by("code")
        seen: dict[str, str] = {}
        for code, title in codes:
            seen.setdefault(code, f"{code} — {title}")
        self.fields["rule"].choices = list(seen.items())


class ViolationDisposeForm(forms.Form):
    disposition = forms.ChoiceField(
        choices=[(Disposition.CONFIRMED, Disposition.CONFIRMED.label), (Disposition.EXCUSED, Disposition.EXCUSED.label)]
    )
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
