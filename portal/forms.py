from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.calendar_files import check_range
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


class ViolationBulkForm(forms.Form):
    """One decision for many violations (issue 20): the chosen ids, confirm or excuse, one reason."""

    MAX = 500

    ids = forms.Field(label=_("Violations"), required=False, widget=forms.MultipleHiddenInput)
    disposition = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Disposition.CONFIRMED, Disposition.CONFIRMED.label),
            (Disposition.EXCUSED, Disposition.EXCUSED.label),
        ],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "maxlength": 1000}),
    )

    def clean_ids(self):
        raw = self.cleaned_data.get("ids") or []
        try:
            ids = sorted({int(x) for x in raw if 0 < int(x) < 2**63})
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Choose the violations to decide.")) from None
        if not ids:
            raise forms.ValidationError(_("Choose the violations to decide."))
        if len(ids) > self.MAX:
            raise forms.ValidationError(_("At most %(n)d violations at once.") % {"n": self.MAX})
        return ids


class CalendarSourceForm(forms.Form):
    """Where a year's arrangement comes from: the State Council's notice."""

    title = forms.CharField(
        label=_("Announcement title"),
        max_length=200,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": "国务院办公厅关于2027年部分节假日安排的通知"}
        ),
    )
    number = forms.CharField(
        label=_("Document number"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "国办发明电〔2026〕×号"}),
    )
    announced_on = forms.DateField(
        label=_("Announced on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}),
    )


_ROW = {"class": "form-control form-control-sm"}
_DATE = forms.DateInput(format="%Y-%m-%d", attrs={**_ROW, "type": "date"})  # ISO: what <input type=date> reads


class HolidayRowForm(forms.Form):
    """One holiday as the notice lists it: a name and a date range (a blank row is ignored)."""

    name = forms.CharField(label=_("Holiday"), max_length=40, required=False, widget=forms.TextInput(attrs=_ROW))
    start = forms.DateField(label=pgettext_lazy("date range", "From"), required=False, widget=_DATE)
    end = forms.DateField(label=pgettext_lazy("date range", "To"), required=False, widget=_DATE)

    def clean(self):
        data = super().clean()
        name, start, end = data.get("name"), data.get("start"), data.get("end")
        if not (name or start or end) or self.errors:
            return data
        if not name:
            self.add_error("name", _("Name the holiday."))
        if not start:
            self.add_error("start", _("Enter the first day."))
        if start and name:
            try:
                check_range(name, start, end or start)
            except forms.ValidationError as exc:
                self.add_error("end", exc)
        return data


class WorkdayRowForm(forms.Form):
    """One adjusted working day (调休上班) and the holiday it belongs to (a blank row is ignored)."""

    name = forms.CharField(label=_("Holiday"), max_length=40, required=False, widget=forms.TextInput(attrs=_ROW))
    date = forms.DateField(label=_("Date"), required=False, widget=_DATE)

    def clean(self):
        data = super().clean()
        if (data.get("name") or data.get("date")) and not self.errors:
            if not data.get("name"):
                self.add_error("name", _("Name the holiday it belongs to."))
            if not data.get("date"):
                self.add_error("date", _("Enter the date."))
        return data


HolidayFormSet = forms.formset_factory(HolidayRowForm, extra=0, max_num=40, validate_max=True)
WorkdayFormSet = forms.formset_factory(WorkdayRowForm, extra=0, max_num=40, validate_max=True)


class CalendarFileForm(forms.Form):
    file = forms.FileField(
        label=_("Fill from a file (.csv, .xlsx or .json)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,.xlsx,.json"}),
    )
