"""Forms of the campaign pages. They only parse input; campaigns.services validates and writes."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.choices import REVIEW_SOURCES, DeliverableKind, FigureSet, FindingSource, PhaseOverride
from campaigns.figures import field_name as figure_field
from campaigns.figures import layout as figures_layout
from campaigns.models import (
    REPORT_FIELDS,
    Campaign,
    ChecklistTemplate,
    DemonstrationZone,
    GroupMember,
    LeadingGroup,
    OfficeDuty,
    Phase,
    RectificationProgramme,
    SelfCheckReport,
)
from portal.models import Organisation

# ISO format: a type="date" input shows nothing for "2025/01/01" (the zh-hans format), and saving the form
# would then clear the date (issue 20: long forms never lose work).
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control form-control-sm"})


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")


class CampaignCreateForm(BootstrapMixin, forms.ModelForm):
    with_template_phases = forms.BooleanField(
        label=_("Create the four phases of the template (组织部署, 企业自查, 检查督查, 总结提高)"),
        required=False,
        initial=True,
    )

    class Meta:
        model = Campaign
        fields = ["code", "title", "short_title", "start_date", "end_date", "principles", "goals"]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "principles": forms.Textarea(attrs={"rows": 3}),
            "goals": forms.Textarea(attrs={"rows": 3}),
        }


class CampaignEditForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "short_title", "principles", "goals", "experience", "proposals", "is_public"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in ("principles", "goals", "experience", "proposals")}


class ScopeForm(BootstrapMixin, forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Utilities"), queryset=Organisation.objects.none(), required=False
    )
    subtrees = forms.ModelMultipleChoiceField(
        label=_("Whole subtrees of"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organisation.objects.visible_to(user).utilities().order_by("path")
        self.fields["organisations"].queryset = qs
        self.fields["subtrees"].queryset = qs
        self.fields["organisations"].widget.attrs["size"] = 8
        self.fields["subtrees"].widget.attrs["size"] = 8


class PhaseForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "kind", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def _post_clean(self):
        # Leave the model checks (dates within the campaign, overlaps) to the service, which reports them.
        pass


class PhaseOverrideForm(BootstrapMixin, forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=PhaseOverride.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class FocusItemForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AttachChecklistForm(BootstrapMixin, forms.Form):
    checklist = forms.ModelChoiceField(
        label=_("Checklist"), queryset=ChecklistTemplate.objects.none(), required=False, empty_label=_("(none)")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = ChecklistTemplate.objects.visible_to(user)


class DeliverableForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=DeliverableKind.choices)
    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.none(), required=False)
    per_utility = forms.BooleanField(label=_("Due from every utility in scope"), required=False, initial=True)
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DATE)
    due_month = forms.IntegerField(label=_("or every year: month"), required=False, min_value=1, max_value=12)
    due_day = forms.IntegerField(label=_("day"), required=False, min_value=1, max_value=31)
    internal_date = forms.DateField(label=_("Utility's internal date"), required=False, widget=DATE)
    internal_month = forms.IntegerField(
        label=_("or every year: internal month"), required=False, min_value=1, max_value=12
    )
    internal_day = forms.IntegerField(label=_("internal day"), required=False, min_value=1, max_value=31)
    figure_set = forms.ChoiceField(
        label=_("Structured figures"), choices=[("", "—"), *FigureSet.choices], required=False
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = campaign.phases.all()


class SubmissionForm(BootstrapMixin, forms.Form):
    """Filing one occurrence of a deliverable: which occurrence, the text, a document, and the figures of the
    deliverable's figure set (one field per customer class and measure)."""

    occurrence = forms.TypedChoiceField(label=_("Occurrence (due date)"), coerce=date.fromisoformat)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    file = forms.FileField(label=_("Document"), required=False)

    def __init__(self, *args, deliverable, occurrences=None, revising=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.deliverable = deliverable
        if revising:
            del self.fields["occurrence"]
            del self.fields["file"]
        else:
            self.fields["occurrence"].choices = [(d.isoformat(), f"{d:%Y-%m-%d}") for d in occurrences or []]
        classes, measures = figures_layout(deliverable.figure_set)
        for cls, cls_label in classes:
            for key, label, whole in measures:
                self.fields[figure_field(cls, key)] = (forms.IntegerField if whole else forms.DecimalField)(
                    label=f"{cls_label}：{label}",
                    min_value=0,
                    required=True,
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "any"}),
                )
        self.figure_rows = [
            (cls_label, [figure_field(cls, key) for key, _l, _w in measures]) for cls, cls_label in classes
        ]
        self.figure_header = [label for _k, label, _w in measures]

    def figures(self) -> dict:
        classes, measures = figures_layout(self.deliverable.figure_set)
        return {cls: {k: str(self.cleaned_data[figure_field(cls, k)]) for k, _l, _w in measures} for cls, _c in classes}

    def service_data(self) -> dict:
        data = {"text": self.cleaned_data.get("text", ""), "figures": self.figures()}
        if "occurrence" in self.cleaned_data:
            data["occurrence"] = self.cleaned_data["occurrence"]
        if self.cleaned_data.get("file"):
            data["file"] = self.cleaned_data["file"]
        return data


class HighlightForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))


class FileForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class ReportForm(BootstrapMixin, forms.ModelForm):
    """Figures and indicators of a self-check report; the model's checks (0–100, A–D range) apply."""

    class Meta:
        model = SelfCheckReport
        fields = sorted(REPORT_FIELDS)
        widgets = {"period_start": DATE, "period_end": DATE, "summary": forms.Textarea(attrs={"rows": 4})}


REPORT_SECTIONS = [
    (_("The report"), ["title", "declared_organisation", "period_start", "period_end", "indicator_year", "summary"]),
    (_("Prepared by"), ["prepared_department", "prepared_person"]),
    (_("Basic figures"), ["customers", "residential_customers", "staff", "service_area_km2", "annual_consumption"]),
    (
        _("Indicators"),
        [
            "reliability_urban",
            "reliability_rural",
            "voltage_overall",
            "voltage_a",
            "voltage_b",
            "voltage_c",
            "voltage_d",
            "complaints",
            "complaints_12398",
            "complaints_replied_in_time",
            "satisfaction",
        ],
    ),
]


# The input of the workflow steps (campaigns.services.reports / .rectification); the API's request bodies
# are derived from them. A note or comment a step needs is asked by the step itself, after it has checked
# who asks: a party that may not take the step learns that, not that its input is incomplete.


class ReturnForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comments"),
        help_text=_("What must be revised."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class AcceptForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class FindingForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 2}))
    focus_item = forms.ModelChoiceField(label=_("Focus item"), queryset=None, required=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_item"].queryset = campaign.focus_items.all()


class RectificationForm(BootstrapMixin, forms.Form):
    measure = forms.CharField(label=_("Measure"), widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.CharField(label=_("Responsible department"), max_length=60)
    person = forms.CharField(label=_("Responsible person"), max_length=40, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DATE, required=False)


class RectificationFillForm(BootstrapMixin, forms.Form):
    """What a returned report's rectification item most often lacks (issue 20)."""

    person = forms.CharField(label=_("Responsible person"), max_length=40, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DATE, required=False)


class InspectionForm(BootstrapMixin, forms.Form):
    utility = forms.ModelChoiceField(label=_("Utility"), queryset=Organisation.objects.none())
    inspected_on = forms.DateField(label=_("Inspected on"), widget=DATE)
    inspectors = forms.CharField(label=_("Inspectors"), max_length=200, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["utility"].queryset = campaign.utilities.order_by("path")


class CompleteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        help_text=_("What was done (completion evidence)."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DATE)


class VerdictField(forms.NullBooleanField):
    """The verdict the former single verification form posted (accept=1: verified, 0: not accepted), which
    clients may still send: 1/true or nothing verifies, 0/false is refused by the step (not accepting is
    the step `reject`, with its reason), anything else is refused here — never read as a verdict."""

    def to_python(self, value):
        if value is None or value == "":
            return None
        text = str(value).strip().lower()
        if text in ("1", "true", "on"):
            return True
        if text in ("0", "false"):
            return False
        raise ValidationError(_("Enter a valid value."), code="invalid")


class VerifyForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    accept = VerdictField(label=_("Verification"), required=False, widget=forms.HiddenInput)


class RejectForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ChecklistCreateForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200)
    lines = forms.CharField(
        label=_("Items, one per line: group|number|text|key points"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


# --------------------------------------------------------------------------- people and places (issue 11)


def _scope_field(form, campaign):
    form.fields["utility"].queryset = Organisation.objects.filter(pk__in=campaign.scope.values("utility_id")).order_by(
        "path"
    )


class GroupForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = LeadingGroup
        fields = [
            "kind",
            "name",
            "organisations",
            "utility",
            "office_name",
            "office_director",
            "office_director_title",
            "office_director_organisation",
        ]

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_field(self, campaign)


class MemberForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = GroupMember
        fields = ["role", "name", "title", "organisation_name"]


class DutyForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = OfficeDuty
        fields = ["department", "organisation_name", "duties"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 2})}


class ZoneForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = DemonstrationZone
        fields = [
            "kind",
            "name",
            "level",
            "utility",
            "designated_on",
            "lead",
            "one_year_target",
            "status",
            "description",
        ]
        widgets = {
            "designated_on": DATE,
            "one_year_target": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_field(self, campaign)


class ReviewFindingForm(BootstrapMixin, forms.Form):
    """A finding of the regulator's consumer review, unannounced check or complaints analysis (issue 11)."""

    source = forms.ChoiceField(label=_("Found by"), choices=[(s.value, s.label) for s in REVIEW_SOURCES])
    utility = forms.ModelChoiceField(label=_("Utility"), queryset=Organisation.objects.none())
    text = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["utility"].queryset = Organisation.objects.filter(
            pk__in=campaign.scope.values("utility_id")
        ).order_by("path")


# --------------------------------------------------------------------------- issue 11: rectification anywhere


class ProposalForm(RectificationForm):
    """The utility's revised proposal of a returned measure (the step `resubmit`): every field it sends
    replaces the one proposed."""

    measure = forms.CharField(label=_("Measure"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    department = forms.CharField(label=_("Responsible department"), max_length=60, required=False)
    note = forms.CharField(label=_("What was revised"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ApproveForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class HeldForm(BootstrapMixin, forms.Form):
    """A talk (约谈) or an audit (稽查) held on an escalated rectification item: when, and what happened."""

    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    note = forms.CharField(
        label=_("Who attended, what was found and agreed"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ProgrammeForm(BootstrapMixin, forms.ModelForm):
    """A standalone rectification programme (整改方案 / 专项整改) of the office."""

    class Meta:
        model = RectificationProgramme
        fields = ["code", "title", "source", "basis", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE, "basis": forms.Textarea(attrs={"rows": 4})}


class ProgrammeEditForm(ProgrammeForm):
    class Meta(ProgrammeForm.Meta):
        fields = ["title", "source", "basis", "start_date", "end_date"]


class ProgrammeFindingForm(BootstrapMixin, forms.Form):
    """A finding of a programme: its source, the utility it is addressed to (one the office supervises)."""

    source = forms.ChoiceField(label=_("Found by"), choices=FindingSource.choices)
    utility = forms.ModelChoiceField(label=_("Utility"), queryset=Organisation.objects.none())
    text = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].initial = programme.source
        self.fields["utility"].queryset = (
            Organisation.objects.visible_to_organisation(programme.owner).utilities().order_by("path")
        )
