"""Supervision campaigns (专项行动): phases, deliverables, leading groups, checklists, self-check reports,
inspections, findings and their rectification to closure.

Writes go through `campaigns.services`; reads through `campaigns.selectors`. Every model keeps its
history (django-simple-history) so each record's page shows who changed what.
"""

from datetime import date

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns import large_customer_choices as lc
from campaigns import querysets as q
from campaigns.choices import (
    Answer,
    ChecklistItemKind,
    Comparison,
    DeliverableKind,
    Escalation,
    FigureSet,
    FindingSource,
    GroupKind,
    Indicator,
    MemberRole,
    PhaseKind,
    ProgrammeStatus,
    RectificationStatus,
    ReportStatus,
    SubmissionStatus,
    ZoneStatus,
)
from portal.choices import SourceClass
from portal.instants import YEAR_MAX, YEAR_MIN
from portal.querysets import ScopedQuerySet  # issue 12: large customers

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def percent_field(label: str) -> models.DecimalField:
    """A percentage with two-place precision, 0–100 (e.g. 99.96 for RS-3 reliability)."""
    return models.DecimalField(label, max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT)


class Campaign(models.Model):
    """A time-boxed supervision action of a regulator office (000: 居民用电服务质量监管专项行动)."""

    owner = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("issuing office"),
        on_delete=models.PROTECT,
        related_name="campaigns",
        limit_choices_to={"kind": "regulator"},
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    short_title = models.CharField(_("short title"), max_length=120, blank=True)
    province = models.ForeignKey(
        "portal.Province", verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT
    )
    background = models.TextField(_("background"), blank=True)
    principles = models.TextField(_("principles"), blank=True, help_text=_("基本原则, one per paragraph."))
    goals = models.TextField(_("goals"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    experience = models.TextField(_("experience to spread"), blank=True)
    proposals = models.TextField(_("proposals for a standing mechanism"), blank=True)
    is_public = models.BooleanField(
        _("shown in the public column"), default=True, help_text=_("Show phases and progress under /public/.")
    )
    # A regulator may hold a phase past its end or advance to the next one early (recorded reason).
    manual_phase = models.ForeignKey(
        "campaigns.Phase",
        verbose_name=_("phase set by hand"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    manual_phase_reason = models.CharField(_("reason for the phase set by hand"), max_length=300, blank=True)
    utilities = models.ManyToManyField(
        "portal.Organisation",
        through="campaigns.CampaignUtility",
        through_fields=("campaign", "utility"),
        related_name="scoped_campaigns",
        verbose_name=_("utilities in scope"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = q.CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="campaign_dates_ordered",
                violation_error_message=_("The campaign cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.owner_id and not self.owner.is_regulator:
            raise ValidationError({"owner": _("A campaign is issued by a regulator office.")})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The campaign cannot end before it starts.")})
        # Its deadlines (phases, deliverable occurrences) are tracked instants, held to the portal's years.
        for name in ("start_date", "end_date"):
            value = getattr(self, name)
            if value and not YEAR_MIN <= value.year <= YEAR_MAX:
                raise ValidationError(
                    {name: _("A campaign runs between %(min)d and %(max)d.") % {"min": YEAR_MIN, "max": YEAR_MAX}}
                )


class CampaignUtility(models.Model):
    """A utility in a campaign's scope; `via` is the subtree root it was added with (if any)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="scope")
    utility = models.ForeignKey("portal.Organisation", on_delete=models.PROTECT, related_name="+")
    via = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("added with the subtree of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utility in scope")
        verbose_name_plural = _("utilities in scope")
        constraints = [models.UniqueConstraint(fields=["campaign", "utility"], name="campaign_utility_once")]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.utility_id}"


class DemonstrationZone(models.Model):
    """优质服务示范区 / 督促推动示范点 chosen by the regulator."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="zones")
    kind = models.CharField(_("kind"), max_length=40)
    name = models.CharField(_("name"), max_length=80)
    level = models.CharField(_("level"), max_length=20, blank=True)
    utility = models.ForeignKey(
        "portal.Organisation", verbose_name=_("utility"), null=True, blank=True, on_delete=models.SET_NULL
    )
    designated_on = models.DateField(_("designated on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    lead = models.CharField(_("lead (person or department)"), max_length=80, blank=True)
    one_year_target = models.TextField(_("one-year target"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ZoneStatus.choices, default=ZoneStatus.DESIGNATED)
    history = HistoricalRecords()

    objects = q.CampaignChildQuerySet.as_manager()

    class Meta:
        ordering = ["designated_on", "pk"]
        verbose_name = _("demonstration zone")
        verbose_name_plural = _("demonstration zones")

    def __str__(self) -> str:
        return self.name


class Highlight(models.Model):
    """A published highlight of the campaign for the public column (专栏)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="highlights")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_on = models.DateField(_("published on"))
    is_published = models.BooleanField(_("published"), default=True)
    history = HistoricalRecords()

    objects = q.CampaignChildQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-pk"]
        verbose_name = _("highlight")
        verbose_name_plural = _("highlights")

    def __str__(self) -> str:
        return self.title


class ChecklistTemplate(models.Model):
    """A checklist (检查表): shared (no owner, e.g. 百问百查 2009) or an office's own."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("owner office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.TextField(_("source"), blank=True)
    notes = models.JSONField(_("gaps and editorial notes"), default=list, blank=True)
    history = HistoricalRecords()

    objects = q.ChecklistTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")

    def __str__(self) -> str:
        return self.title


class ChecklistItem(models.Model):
    """One question or check of a template, with its group, number and 要点 (what to look at)."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(
        _("kind"), max_length=10, choices=ChecklistItemKind.choices, default=ChecklistItemKind.CHECK
    )
    group = models.CharField(_("group"), max_length=40)
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    guidance = models.TextField(_("key points (要点)"), blank=True)
    history = HistoricalRecords()

    objects = q.ChecklistItemQuerySet.as_manager()

    class Meta:
        ordering = ["template", "kind", "number"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "kind", "number"],
                name="checklist_item_number_once",
                violation_error_message=_("This template already has an item with that number."),
            )
        ]

    def __str__(self) -> str:
        prefix = "问" if self.kind == ChecklistItemKind.QUESTION else "查"
        return f"{prefix}{self.number} {self.text[:40]}"


class FocusItem(models.Model):
    """A supervision focus item (监管重点), optionally checked with one checklist template."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="focus_items")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    checklist = models.ForeignKey(
        ChecklistTemplate,
        verbose_name=_("checklist"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="focus_items",
    )
    history = HistoricalRecords()

    objects = q.CampaignChildQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "number"]
        verbose_name = _("focus item")
        verbose_name_plural = _("focus items")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"],
                name="focus_item_number_once",
                violation_error_message=_("This campaign already has a focus item with that number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Phase(models.Model):
    """A phase of a campaign; both boundary dates are inside the phase."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=60)
    full_name = models.CharField(_("full name"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=PhaseKind.choices, default=PhaseKind.OTHER)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    tasks = models.TextField(_("tasks"), blank=True)
    history = HistoricalRecords()

    objects = q.CampaignChildQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "order"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "order"],
                name="phase_order_once",
                violation_error_message=_("This campaign already has a phase in that position."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="phase_dates_ordered",
                violation_error_message=_("A phase cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("A phase cannot end before it starts.")
        campaign = self.campaign if self.campaign_id else None
        if campaign and self.start_date and self.end_date:
            if self.start_date < campaign.start_date or self.end_date > campaign.end_date:
                errors["start_date" if self.start_date < campaign.start_date else "end_date"] = _(
                    "The phase must lie within the campaign's dates (%(start)s to %(end)s)."
                ) % {"start": campaign.start_date, "end": campaign.end_date}
            others = Phase.objects.filter(
                campaign=campaign, start_date__lte=self.end_date, end_date__gte=self.start_date
            ).exclude(pk=self.pk)
            clash = others.first()
            if clash is not None:
                errors.setdefault(
                    "start_date",
                    _("The phase overlaps “%(name)s” (%(start)s to %(end)s).")
                    % {"name": clash.name, "start": clash.start_date, "end": clash.end_date},
                )
        if errors:
            raise ValidationError(errors)


class Deliverable(models.Model):
    """Something to hand in by a date (报送事项): once per utility in scope, or once by the regulator.

    Either a fixed `due_date` (inclusive, never moved off a rest day, flagged when it falls on one)
    or a recurring month/day (003: 6-10, 8-10, 10-10, 11-20; 1-15 and 7-15) tracked for every year
    the campaign runs.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliverables")
    phase = models.ForeignKey(
        Phase, verbose_name=_("phase"), null=True, blank=True, on_delete=models.SET_NULL, related_name="deliverables"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DeliverableKind.choices, default=DeliverableKind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    per_utility = models.BooleanField(_("due from every utility in scope"), default=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    due_month = models.PositiveSmallIntegerField(
        _("recurring: month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    due_day = models.PositiveSmallIntegerField(
        _("recurring: day"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    internal_month = models.PositiveSmallIntegerField(_("utility's internal month"), null=True, blank=True)
    internal_day = models.PositiveSmallIntegerField(_("utility's internal day"), null=True, blank=True)
    # The utility's own earlier date for a fixed deliverable (003: 7-20 to the company for the 7-31 report).
    # A reminder only: never a violation.
    internal_date = models.DateField(_("utility's internal date"), null=True, blank=True)
    figure_set = models.CharField(
        _("structured figures"),
        max_length=20,
        choices=FigureSet.choices,
        blank=True,
        help_text=_("Figures the utility gives beside its text (e.g. seed 003's connection data)."),
    )
    due_on_rest_day = models.BooleanField(_("falls on a rest day"), default=False, editable=False)
    history = HistoricalRecords()

    objects = q.CampaignChildQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "due_date", "due_month", "due_day", "pk"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def __str__(self) -> str:
        return self.title

    @property
    def is_recurring(self) -> bool:
        return self.due_month is not None

    def clean(self) -> None:
        if self.is_recurring == (self.due_date is not None):
            raise ValidationError({"due_date": _("Give either a fixed due date or a recurring month and day.")})
        if self.is_recurring:
            if self.due_day is None:
                raise ValidationError({"due_day": _("A recurring deliverable needs a day of the month.")})
            try:
                date(2024, self.due_month, self.due_day)  # a leap year accepts every real month/day
            except ValueError:
                raise ValidationError({"due_day": _("No such day in that month.")}) from None
        campaign = self.campaign if self.campaign_id else None
        if campaign and self.due_date and not (campaign.start_date <= self.due_date <= campaign.end_date):
            raise ValidationError(
                {
                    "due_date": _("The due date must lie within the campaign's dates (%(start)s to %(end)s).")
                    % {"start": campaign.start_date, "end": campaign.end_date}
                }
            )
        if self.phase_id and campaign and self.phase.campaign_id != campaign.pk:
            raise ValidationError({"phase": _("The phase belongs to another campaign.")})
        if (self.internal_month is None) != (self.internal_day is None):
            raise ValidationError({"internal_day": _("Give both the internal month and day, or neither.")})
        if self.internal_month is not None:
            try:
                date(2024, self.internal_month, self.internal_day)
            except ValueError:
                raise ValidationError({"internal_day": _("No such day in that month.")}) from None
        if self.internal_date and self.due_date and self.internal_date > self.due_date:
            raise ValidationError({"internal_date": _("The internal date comes before the due date.")})


class LeadingGroup(models.Model):
    """A leading group (领导小组): the regulator's own or the joint group with the provincial utility."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="leading_groups")
    kind = models.CharField(_("kind"), max_length=10, choices=GroupKind.choices)
    name = models.CharField(_("name"), max_length=120)
    organisations = models.CharField(_("organisations"), max_length=200, blank=True)
    # The utility of a utility's own leading group (seed 003: 桂东电力's group for 获得电力).
    utility = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("utility (its own group)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    # The office (办公室) of the group, with its director.
    office_name = models.CharField(_("office"), max_length=120, blank=True)
    office_director = models.CharField(_("office director"), max_length=40, blank=True)
    office_director_title = models.CharField(_("office director's title"), max_length=80, blank=True)
    office_director_organisation = models.CharField(_("office director's organisation"), max_length=80, blank=True)
    history = HistoricalRecords()

    objects = q.CampaignChildQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "order", "pk"]
        verbose_name = _("leading group")
        verbose_name_plural = _("leading groups")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == GroupKind.UTILITY and not self.utility_id:
            raise ValidationError({"utility": _("A utility's own leading group names its utility.")})
        if self.kind != GroupKind.UTILITY and self.utility_id:
            raise ValidationError({"utility": _("Only a utility's own leading group names a utility.")})
        in_scope = CampaignUtility.objects.filter(campaign_id=self.campaign_id, utility_id=self.utility_id)
        if self.utility_id and self.campaign_id and not in_scope.exists():
            raise ValidationError({"utility": _("The utility is not in the campaign's scope.")})


class GroupMember(models.Model):
    """A member of a leading group: 组长, 副组长 or 成员, with organisation and title."""

    group = models.ForeignKey(LeadingGroup, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)
    name = models.CharField(_("name"), max_length=40)
    title = models.CharField(_("title"), max_length=80, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=80, blank=True)
    organisation = models.ForeignKey(
        "portal.Organisation", verbose_name=_("organisation record"), null=True, blank=True, on_delete=models.SET_NULL
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    history = HistoricalRecords()

    objects = q.MemberQuerySet.as_manager()

    class Meta:
        ordering = ["group", "order", "pk"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class OfficeDuty(models.Model):
    """The duties of one department in a leading group's office (综合处: coordination and publicity …)."""

    group = models.ForeignKey(LeadingGroup, on_delete=models.CASCADE, related_name="duties")
    department = models.CharField(_("department"), max_length=60)
    organisation_name = models.CharField(_("organisation"), max_length=80, blank=True)
    duties = models.TextField(_("duties"))
    history = HistoricalRecords()

    objects = q.MemberQuerySet.as_manager()

    class Meta:
        ordering = ["group", "pk"]
        verbose_name = _("office duty")
        verbose_name_plural = _("office duties")

    def __str__(self) -> str:
        return self.department


# The fields of a self-check report its utility fills in (and changes while the report is a draft or
# returned); the workflow fields are the services' to set.
REPORT_FIELDS = {
    "title",
    "summary",
    "declared_organisation",
    "period_start",
    "period_end",
    "indicator_year",
    "prepared_department",
    "prepared_person",
    "customers",
    "residential_customers",
    "staff",
    "service_area_km2",
    "annual_consumption",
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
}


class SelfCheckReport(models.Model):
    """A utility's self-check report (自查报告) for a campaign; one per utility and campaign.

    The declared organisation and period are what the report itself says, kept apart from the
    utility that files it, so that the metadata check can catch a copy-paste composite (000).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="reports")
    utility = models.ForeignKey("portal.Organisation", verbose_name=_("utility"), on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("how the self-check was done"), blank=True)
    declared_organisation = models.CharField(_("organisation named in the report"), max_length=120, blank=True)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    indicator_year = models.PositiveSmallIntegerField(_("indicator year"), null=True, blank=True)
    prepared_department = models.CharField(_("prepared by (department)"), max_length=60, blank=True)
    prepared_person = models.CharField(_("prepared by (person)"), max_length=40, blank=True)
    # Basic figures (基本情况)
    customers = models.PositiveIntegerField(_("customers"), null=True, blank=True)
    residential_customers = models.PositiveIntegerField(_("residential customers"), null=True, blank=True)
    staff = models.PositiveIntegerField(_("staff"), null=True, blank=True)
    service_area_km2 = models.DecimalField(
        _("service area (km²)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    annual_consumption = models.DecimalField(
        _("annual consumption (10⁴ kWh)"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    # Indicators (000 第四篇)
    reliability_urban = percent_field(_("supply reliability RS-3, urban (%)"))
    reliability_rural = percent_field(_("supply reliability RS-3, rural (%)"))
    voltage_overall = percent_field(_("voltage qualification, overall (%)"))
    voltage_a = percent_field(_("voltage qualification, class A (%)"))
    voltage_b = percent_field(_("voltage qualification, class B (%)"))
    voltage_c = percent_field(_("voltage qualification, class C (%)"))
    voltage_d = percent_field(_("voltage qualification, class D (%)"))
    complaints = models.PositiveIntegerField(_("complaints"), null=True, blank=True)
    complaints_12398 = models.PositiveIntegerField(_("of which via 12398"), null=True, blank=True)
    complaints_replied_in_time = models.PositiveIntegerField(_("complaints replied in time"), null=True, blank=True)
    satisfaction = percent_field(_("customer satisfaction (%)"))
    # Workflow
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    review_comments = models.TextField(_("reviewer's comments"), blank=True)
    is_late = models.BooleanField(_("filed late"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = q.UtilityRecordQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "utility__path"]
        verbose_name = _("self-check report")
        verbose_name_plural = _("self-check reports")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "utility"],
                name="one_report_per_utility",
                violation_error_message=_("This utility already has a self-check report for the campaign."),
            )
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="report_campaign_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        classes = [v for v in (self.voltage_a, self.voltage_b, self.voltage_c, self.voltage_d) if v is not None]
        if self.voltage_overall is not None and classes and not min(classes) <= self.voltage_overall <= max(classes):
            errors.setdefault("voltage_overall", []).append(
                _(
                    "The overall voltage qualification (%(v)s%%) must lie between the lowest and the highest "
                    "class (%(lo)s%% to %(hi)s%%)."
                )
                % {"v": self.voltage_overall, "lo": min(classes), "hi": max(classes)}
            )
        if (
            self.customers is not None
            and self.residential_customers is not None
            and self.residential_customers > self.customers
        ):
            errors.setdefault("residential_customers", []).append(
                _("Residential customers cannot outnumber all customers.")
            )
        if self.complaints is not None:
            for field in ("complaints_12398", "complaints_replied_in_time"):
                value = getattr(self, field)
                if value is not None and value > self.complaints:
                    errors.setdefault(field, []).append(_("Cannot exceed the number of complaints."))
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors.setdefault("period_end", []).append(_("The period cannot end before it starts."))
        if errors:
            raise ValidationError(errors)


class Inspection(models.Model):
    """A regulator's inspection visit (检查督查) to a utility within the inspection phase."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="inspections")
    utility = models.ForeignKey("portal.Organisation", verbose_name=_("utility"), on_delete=models.PROTECT)
    inspected_on = models.DateField(_("inspected on"))
    inspectors = models.CharField(_("inspectors"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = q.UtilityRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return f"{self.utility} {self.inspected_on}"


class ChecklistAnswer(models.Model):
    """A self-check report's answer to one checklist item, with a note (evidence files attach to it)."""

    report = models.ForeignKey(SelfCheckReport, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("checklist item"), on_delete=models.PROTECT)
    focus_item = models.ForeignKey(
        FocusItem, verbose_name=_("focus item"), null=True, blank=True, on_delete=models.SET_NULL
    )
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = q.AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["report", "item__kind", "item__number"]
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "item"],
                name="one_answer_per_item",
                violation_error_message=_("This item is already answered in the report."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} — {self.get_answer_display()}"


class RectificationProgramme(models.Model):
    """A standalone rectification programme (整改方案 / 专项整改, issue 11): an office's own record, outside any
    campaign, that findings (e.g. of a consumer review, seed 004) and their rectification items belong to. Its
    items' due dates are the plan's: they may run for years, past the programme's own end.

    draft ─issue→ in force ─close→ closed ─reopen→ in force (`campaigns.services.programmes`)."""

    owner = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("issuing office"),
        on_delete=models.PROTECT,
        related_name="rectification_programmes",
        limit_choices_to={"kind": "regulator"},
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(
        _("found by"), max_length=20, choices=FindingSource.choices, default=FindingSource.CONSUMER_REVIEW
    )
    basis = models.TextField(_("basis"), blank=True, help_text=_("What the programme answers (the review, the check)."))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = q.ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("rectification programme")
        verbose_name_plural = _("rectification programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="programme_dates_ordered",
                violation_error_message=_("The programme cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:programme", args=[self.pk])

    def clean(self) -> None:
        if self.owner_id and not self.owner.is_regulator:
            raise ValidationError({"owner": _("A rectification programme is issued by a regulator office.")})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The programme cannot end before it starts.")})


ONE_PARENT = models.Q(campaign__isnull=False, programme__isnull=True) | models.Q(
    campaign__isnull=True, programme__isnull=False
)


class Finding(models.Model):
    """A problem found (存在问题) by a self-check, an inspection, or the regulator's consumer review, unannounced
    check or complaints analysis — in a campaign, or (issue 11) in a standalone rectification programme."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    programme = models.ForeignKey(
        RectificationProgramme,
        verbose_name=_("rectification programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    utility = models.ForeignKey("portal.Organisation", verbose_name=_("utility"), on_delete=models.PROTECT)
    source = models.CharField(_("found by"), max_length=20, choices=FindingSource.choices)
    report = models.ForeignKey(
        SelfCheckReport,
        verbose_name=_("self-check report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="findings",
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="findings",
    )
    focus_item = models.ForeignKey(
        FocusItem, verbose_name=_("focus item"), null=True, blank=True, on_delete=models.SET_NULL
    )
    checklist_item = models.ForeignKey(
        ChecklistItem, verbose_name=_("checklist item"), null=True, blank=True, on_delete=models.SET_NULL
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("problem"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = q.RectificationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "programme", "utility__path", "source", "number"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.CheckConstraint(
                condition=ONE_PARENT,
                name="finding_one_parent",
                violation_error_message=_("A finding belongs to one campaign or one rectification programme."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"

    @property
    def parent(self):
        """The campaign or the rectification programme the finding belongs to."""
        return self.campaign if self.campaign_id else self.programme

    @property
    def owner_office(self):
        return self.parent.owner


class RectificationItem(models.Model):
    """A rectification measure (整改措施) of a finding, followed to the regulator's verification.

    `defect_number` is the unique number of the defect notice (002 第十八条); an item past its due
    date unresolved is re-notified and re-filed (再通知, 再备案) by the deadline sweep, and counted.
    """

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="items")
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectification_items",
    )
    programme = models.ForeignKey(
        RectificationProgramme,
        verbose_name=_("rectification programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    utility = models.ForeignKey("portal.Organisation", verbose_name=_("utility"), on_delete=models.PROTECT)
    defect_number = models.CharField(_("defect number"), max_length=60, unique=True)
    measure = models.TextField(_("measure"))
    department = models.CharField(_("responsible department"), max_length=60)
    # Both may be missing in a draft (seed sample 沂东县 was returned for it); the reviewer is warned.
    person = models.CharField(_("responsible person"), max_length=40, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=28, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completion_note = models.TextField(_("completion"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "portal.User", verbose_name=_("verified by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verification_note = models.TextField(_("verification"), blank=True)
    renotice_count = models.PositiveSmallIntegerField(_("re-notified (times)"), default=0)
    last_renotified_at = models.DateTimeField(_("last re-notified at"), null=True, blank=True)
    # Issue 11: a measure the utility proposed, approved or returned by the regulator.
    review_note = models.TextField(_("regulator's comments on the proposal"), blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # Issue 11: escalation after the catalogue's number of re-notices (约谈, then 稽查), and what was held.
    escalation = models.CharField(_("escalation"), max_length=8, choices=Escalation.choices, default=Escalation.NONE)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    talk_held_on = models.DateField(_("talk (约谈) held on"), null=True, blank=True)
    talk_note = models.TextField(_("talk (约谈): attended and agreed"), blank=True)
    audit_held_on = models.DateField(_("audit (稽查) held on"), null=True, blank=True)
    audit_note = models.TextField(_("audit (稽查): what it found"), blank=True)
    history = HistoricalRecords()

    objects = q.RectificationRecordQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        indexes = [models.Index(fields=["campaign", "utility", "status"], name="rect_campaign_utility_status")]
        constraints = [
            models.CheckConstraint(
                condition=ONE_PARENT,
                name="rectification_item_one_parent",
                violation_error_message=_(
                    "A rectification item belongs to one campaign or one rectification programme."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.defect_number} {self.measure[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:rectification", args=[self.pk])

    @property
    def parent(self):
        """The campaign or the rectification programme the item belongs to."""
        return self.campaign if self.campaign_id else self.programme

    @property
    def owner_office(self):
        return self.parent.owner


class DeliverableSubmission(models.Model):
    """One utility's filing of one occurrence of a deliverable (报送材料): its text, evidence files and, for a
    deliverable with a figure set, the figures (seed 003's connection data). Reviewed by the issuing office.

    `occurrence` is the due date of the occurrence filed (a recurring deliverable has one a year); the
    filing meets that occurrence's tracked deadline, late or on time (`is_late`, judged at the first filing).
    """

    deliverable = models.ForeignKey(
        Deliverable, verbose_name=_("deliverable"), on_delete=models.PROTECT, related_name="submissions"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="submissions")
    utility = models.ForeignKey("portal.Organisation", verbose_name=_("utility"), on_delete=models.PROTECT)
    occurrence = models.DateField(_("due date of the occurrence"))
    status = models.CharField(
        _("status"), max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    text = models.TextField(_("text"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    review_comments = models.TextField(_("reviewer's comments"), blank=True)
    is_late = models.BooleanField(_("filed late"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = q.UtilityRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-occurrence", "utility__path", "pk"]
        verbose_name = _("deliverable submission")
        verbose_name_plural = _("deliverable submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "utility", "occurrence"],
                name="one_submission_per_occurrence",
                violation_error_message=_("This utility has already filed this occurrence."),
            )
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="submission_campaign_status")]

    def __str__(self) -> str:
        return f"{self.deliverable} {self.occurrence:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:submission", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class Target(models.Model):
    """A target an indicator is judged against (the target catalogue, beside the rule catalogue): e.g. the
    commitment "城市地区供电可靠率不低于99.9%, 居民客户端电压合格率不低于96%" (seeds 000/001). A target with a
    province applies there instead of the national one for the same indicator (a province sets its own, e.g. a
    stricter rural target); valid from/to bound the years it judges. Data shipped by migration
    (`campaigns/data/targets.json`); changed through the admin, with history."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    indicator = models.CharField(_("indicator"), max_length=20, choices=Indicator.choices)
    comparison = models.CharField(
        _("comparison"), max_length=3, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    value = models.DecimalField(_("value"), max_digits=6, decimal_places=3, validators=PERCENT)
    unit = models.CharField(_("unit"), max_length=8, default="%")
    source_class = models.CharField(_("source class"), max_length=20, choices=SourceClass.choices)
    province = models.ForeignKey(
        "portal.Province",
        verbose_name=_("province (empty: nationwide)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.TextField(_("source text"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "province", "-valid_from"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.get_comparison_display()} {self.value}{self.unit}"

    def met_by(self, value) -> bool:
        return value >= self.value if self.comparison == Comparison.AT_LEAST else value <= self.value


# --------------------------------------------------------------------------- issue 12: large customers
# 大电力客户 (seed 002 第五篇): a utility's register of its large customers, their inspections (and the periods in
# which each is owed one), hazard notices and the periodic filing to the government. Writes in
# `campaigns.services.large_customers`; docs/campaigns.md "Large customers".


class LargeCustomer(models.Model):
    """A customer on the utility's register of large customers (第二条: 110 kV and above on a dedicated line, and
    high-risk or important customers on 35 kV), with what the seed asks the file to hold (第十一、十二、二十三条)."""

    utility = models.ForeignKey(
        "portal.Organisation", verbose_name=_("utility"), on_delete=models.PROTECT, related_name="large_customers"
    )
    name = models.CharField(_("customer name"), max_length=200)
    account_number = models.CharField(_("account number"), max_length=40)
    importance = models.CharField(
        _("importance class"), max_length=12, choices=lc.ImportanceClass.choices, default=lc.ImportanceClass.NONE
    )
    voltage_kv = models.DecimalField(
        _("supply voltage (kV)"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    source_count = models.PositiveSmallIntegerField(
        _("number of supply sources"), default=1, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    sources = models.TextField(_("where the sources come from"), blank=True)
    high_risk = models.BooleanField(_("high-risk customer"), default=False)
    security_load_kw = models.DecimalField(
        _("security load (kW)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    emergency_capacity_kw = models.DecimalField(
        _("self-provided emergency supply (kW)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    government_designation = models.CharField(_("government designation"), max_length=200, blank=True)
    emergency_plan_on_file = models.BooleanField(_("outage emergency plan on file"), default=False)
    emergency_plan = models.ForeignKey(
        "portal.Attachment",
        verbose_name=_("emergency plan file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_on = models.DateField(_("on the register since"))
    last_inspected_on = models.DateField(
        _("last inspected before registration"), null=True, blank=True, help_text=_("The first cycle runs from it.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=lc.LargeCustomerStatus.choices, default=lc.LargeCustomerStatus.ACTIVE
    )
    source = models.CharField(_("source system"), max_length=40, blank=True)
    external_id = models.CharField(_("id in the source system"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["utility__path", "name", "pk"]
        verbose_name = _("large customer")
        verbose_name_plural = _("large customers")
        constraints = [
            models.UniqueConstraint(
                fields=["utility", "account_number"],
                name="large_customer_account_once",
                violation_error_message=_("This utility already has a large customer with that account number."),
            ),
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="large_customer_external_once",
                violation_error_message=_("A large customer with this source and external id exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:large-customer", args=[self.pk])

    @property
    def emergency_ratio(self):
        """The self-provided emergency supply as a percentage of the security load (None when not known)."""
        return lc.ratio_percent(self.emergency_capacity_kw, self.security_load_kw)

    @property
    def emergency_met(self) -> bool | None:
        ratio = self.emergency_ratio
        return None if ratio is None else ratio >= lc.EMERGENCY_RATIO_PERCENT


class LargeCustomerInspection(models.Model):
    """A utility's inspection visit to a large customer (用电检查, 第十九条): routine, spring, autumn or special."""

    customer = models.ForeignKey(
        LargeCustomer, verbose_name=_("large customer"), on_delete=models.PROTECT, related_name="inspections"
    )
    utility = models.ForeignKey("portal.Organisation", verbose_name=_("utility"), on_delete=models.PROTECT)
    inspected_on = models.DateField(_("inspected on"))
    inspector = models.CharField(_("inspector"), max_length=80)
    season = models.CharField(_("kind of inspection"), max_length=10, choices=lc.Season.choices)
    findings = models.TextField(_("findings"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("large-customer inspection")
        verbose_name_plural = _("large-customer inspections")

    def __str__(self) -> str:
        return f"{self.customer} {self.inspected_on} {self.get_season_display()}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:large-customer", args=[self.customer_id])


class InspectionDue(models.Model):
    """One period in which a large customer is owed an inspection: a cycle (from the last inspection, by the
    catalogue's cycle rule for its class and voltage) or a spring / autumn window of one year. The subject of
    the tracked deadline `code`; met by the inspection that falls in it."""

    customer = models.ForeignKey(
        LargeCustomer, verbose_name=_("large customer"), on_delete=models.CASCADE, related_name="dues"
    )
    utility = models.ForeignKey("portal.Organisation", verbose_name=_("utility"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=10, choices=lc.DueKind.choices)
    code = models.CharField(_("rule id"), max_length=80)
    starts_on = models.DateField(_("from"))
    status = models.CharField(_("status"), max_length=10, choices=lc.DueStatus.choices, default=lc.DueStatus.OPEN)
    met_by = models.ForeignKey(
        LargeCustomerInspection,
        verbose_name=_("met by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dues_met",
    )
    deadlines = GenericRelation("portal.TrackedDeadline", related_query_name="inspection_due")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("inspection due")
        verbose_name_plural = _("inspections due")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "kind", "starts_on"],
                name="inspection_due_once",
                violation_error_message=_("This period is already tracked for the customer."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.get_kind_display()} {self.starts_on}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:large-customer", args=[self.customer_id])


class HazardNotice(models.Model):
    """A written hazard notice (《客户电气装置及运行管理缺陷通知单》, 第十八条): one per major hazard, uniquely
    numbered, with the deadline and recommended measures, signed by the inspector and the customer, closed on the
    customer's completion receipt; overdue, it is re-notified and re-filed (再通知, 再备案)."""

    customer = models.ForeignKey(
        LargeCustomer, verbose_name=_("large customer"), on_delete=models.PROTECT, related_name="hazard_notices"
    )
    utility = models.ForeignKey("portal.Organisation", verbose_name=_("utility"), on_delete=models.PROTECT)
    inspection = models.ForeignKey(
        LargeCustomerInspection,
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazard_notices",
    )
    number = models.CharField(_("notice number"), max_length=60, unique=True)
    hazard = models.TextField(_("hazard"))
    measures = models.TextField(_("recommended measures"))
    deadline = models.DateField(_("rectification deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=lc.HazardStatus.choices, default=lc.HazardStatus.ISSUED
    )
    issued_at = models.DateTimeField(_("issued at"))
    inspector = models.CharField(_("signed by the inspector"), max_length=80)
    customer_signatory = models.CharField(_("signed for the customer by"), max_length=80, blank=True)
    customer_signed_at = models.DateTimeField(_("signed by the customer at"), null=True, blank=True)
    receipt_on = models.DateField(_("completion receipt dated"), null=True, blank=True)
    receipt = models.ForeignKey(
        "portal.Attachment",
        verbose_name=_("completion receipt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    renotice_count = models.PositiveSmallIntegerField(_("re-notified (times)"), default=0)
    refiled_on = models.DateField(_("last re-filed on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    deadlines = GenericRelation("portal.TrackedDeadline", related_query_name="hazard_notice")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("hazard notice")
        verbose_name_plural = _("hazard notices")
        indexes = [models.Index(fields=["utility", "status"], name="hazard_utility_status")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("campaigns:hazard-notice", args=[self.pk])


class GovernmentFiling(models.Model):
    """The periodic formal report to the government's safety supervision (定期报告, 第十八条(四)) of one utility:
    due by the catalogue's filing rule from the previous filing; filed, it freezes the hazard notices open or
    overdue at that moment."""

    utility = models.ForeignKey("portal.Organisation", verbose_name=_("utility"), on_delete=models.PROTECT)
    period_start = models.DateField(_("period from"))
    status = models.CharField(_("status"), max_length=8, choices=lc.FilingStatus.choices, default=lc.FilingStatus.DUE)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    authority = models.CharField(_("filed with"), max_length=120, blank=True)
    reference = models.CharField(_("document number"), max_length=80, blank=True)
    notices = models.JSONField(_("hazard notices open at filing"), default=list, blank=True)
    filed_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    deadlines = GenericRelation("portal.TrackedDeadline", related_query_name="government_filing")
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = _("filing to the government")
        verbose_name_plural = _("filings to the government")
        constraints = [
            models.UniqueConstraint(
                fields=["utility", "period_start"],
                name="government_filing_once",
                violation_error_message=_("This utility already has a filing for that period."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.utility} {self.period_start}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:large-customer-filing", args=[self.pk])
