"""Forms of the complaints app. They collect and type the input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.choices import AppealOutcome, Finding, Satisfaction
from complaints.fields import CONTENT_MAX_LENGTH

DT = {"type": "datetime-local", "class": "form-control form-control-sm"}
TEXT = {"class": "form-control form-control-sm", "rows": 2}


def _at(label=None, required=False):
    return forms.DateTimeField(
        label=label or _("When"),
        required=required,
        widget=forms.DateTimeInput(attrs=DT, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: now."),
    )


class StepForm(forms.Form):
    at = _at()
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXT))


class ReplyForm(StepForm):
    opinion = forms.CharField(
        label=_("Handling opinion"), max_length=CONTENT_MAX_LENGTH, widget=forms.Textarea(attrs=TEXT)
    )
    field_order = ["opinion", "at", "note"]


class VisitForm(StepForm):
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"),
        choices=Satisfaction.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    field_order = ["satisfaction", "at", "note"]


class NoteForm(StepForm):
    note = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs=TEXT))


class SuperviseForm(forms.Form):
    """督办 at the next level (三级督办): the deadline is the catalogue's for the level unless the regulator
    gives an internal one."""

    note = forms.CharField(label=_("Supervision note"), max_length=2000, widget=forms.Textarea(attrs=TEXT))
    due = forms.DateTimeField(
        label=_("Internal deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs=DT, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: the catalogue's deadline for the level."),
    )


class TalkForm(forms.Form):
    """约谈 with the utility's leadership (两级约谈): when, who attended, what was agreed, the follow-up."""

    held_at = forms.DateTimeField(label=_("Held at"), widget=forms.DateTimeInput(attrs=DT, format="%Y-%m-%dT%H:%M"))
    attendees = forms.CharField(label=_("Attendees"), max_length=2000, widget=forms.Textarea(attrs=TEXT))
    agreement = forms.CharField(label=_("What was agreed"), max_length=4000, widget=forms.Textarea(attrs=TEXT))
    follow_up_due = forms.DateTimeField(
        label=_("Follow-up due"), widget=forms.DateTimeInput(attrs=DT, format="%Y-%m-%dT%H:%M")
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXT))


class DeclineForm(StepForm):
    """不予受理: the reason is the note (seed 002: 如根本没有过失，就算用户投诉也不能受理)."""

    note = forms.CharField(label=_("Reason for not accepting"), max_length=2000, widget=forms.Textarea(attrs=TEXT))


class FollowUpForm(StepForm):
    note = forms.CharField(label=_("What was done as agreed"), max_length=2000, widget=forms.Textarea(attrs=TEXT))


class FindingForm(forms.Form):
    """核实结论: whether the complaint was justified, who was responsible, the fault outage it was about."""

    finding = forms.ChoiceField(
        label=_("Verification finding"),
        choices=Finding.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    responsible_department = forms.CharField(
        label=_("Responsible department"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    outage = forms.IntegerField(
        label=_("Fault outage (notice id)"),
        required=False,
        min_value=1,
        max_value=2**62,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
        help_text=_("For a repair or outage complaint: the fault outage notice it was about."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXT))


class AssignForm(StepForm):
    officer = forms.CharField(
        label=_("Officer (user name)"),
        max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        help_text=_("A person of the regulator office handling the report."),
    )
    field_order = ["officer", "at", "note"]


class InvestigationForm(StepForm):
    method = forms.CharField(
        label=_("Measure taken"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        help_text=_("e.g. 调阅抄表记录, 现场核查, 询问当事人"),
    )
    findings = forms.CharField(label=_("What was found"), max_length=4000, widget=forms.Textarea(attrs=TEXT))
    field_order = ["method", "findings", "at", "note"]


class ConclusionForm(StepForm):
    finding = forms.ChoiceField(
        label=_("Verification finding"),
        choices=Finding.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    conclusion = forms.CharField(
        label=_("Conclusion of the investigation"), max_length=CONTENT_MAX_LENGTH, widget=forms.Textarea(attrs=TEXT)
    )
    field_order = ["finding", "conclusion", "at", "note"]


class AppealDecisionForm(StepForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=AppealOutcome.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    decision = forms.CharField(label=_("Decision"), max_length=4000, widget=forms.Textarea(attrs=TEXT))
    field_order = ["outcome", "decision", "at", "note"]


class LinkForm(forms.Form):
    other = forms.IntegerField(
        label=_("Ticket id"),
        min_value=1,
        max_value=2**62,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
