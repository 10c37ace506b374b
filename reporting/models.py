"""Generated reports (专项报告, 自查报告, 通报, 合规报告) as versioned, citable PDF files.

A `ReportJob` is one generation: the kind and its parameters, who asked and when, the progress of
the Celery job and, once done, the stored PDF with its SHA-256. Jobs with the same kind and
parameters form a series (`series_key`); each new request is the next `version` of the series, so
a report once cited is never overwritten.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from reporting.choices import JobStatus, PublicationStatus, ReportKind
from reporting.querysets import ComplaintStatQuerySet, PublicationQuerySet, ReportJobQuerySet


class ReportJob(models.Model):
    """One version of one report: parameters, creator, time, progress, the PDF and its SHA-256."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    series_key = models.CharField(_("series"), max_length=64, db_index=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("requested for"),
        on_delete=models.PROTECT,
        related_name="report_jobs",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_jobs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    stage = models.CharField(_("stage"), max_length=80, blank=True)
    error = models.TextField(_("reason of failure"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.CharField(_("file"), max_length=300, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True, editable=False)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)
    render_seconds = models.FloatField(_("render time (s)"), null=True, blank=True, editable=False)
    # The tables of the report as rendered (for the Excel export of the very same figures).
    tables = models.JSONField(_("tables"), default=list, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["tables"])

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["series_key", "version"],
                name="report_version_once",
                violation_error_message=_("This version of the report already exists."),
            )
        ]
        indexes = [models.Index(fields=["organisation", "kind", "-created_at"], name="report_org_kind_created")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def get_absolute_url(self) -> str:

        return reverse("reporting:detail", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.file)


class ComplaintMonthStat(models.Model):
    """Complaint tickets per utility, month (Asia/Shanghai), channel and category, for the dashboard.

    At a million tickets a GROUP BY over the live table takes 0.5–3 s; this summary (a few rows per
    utility and month) answers in milliseconds. `received` counts by the month of receipt; `due` and
    `on_time` by the month the reply fell due (replied at or before `reply_due`). `pending_forward`
    separates 12398 items not yet forwarded, which a utility may not see yet (the rule of
    `ComplaintQuerySet.visible_to`). Rebuilt set-based by `reporting.services.complaint_stats_refresh`
    (beat, every `COMPLAINT_STATS_INTERVAL` seconds); the dashboard shows when.
    """

    utility = models.ForeignKey("portal.Organisation", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    channel = models.CharField(_("channel"), max_length=8)
    category = models.CharField(_("category"), max_length=12)
    pending_forward = models.BooleanField(_("12398 item not yet forwarded"), default=False)
    received = models.PositiveIntegerField(_("received"), default=0)
    due = models.PositiveIntegerField(pgettext_lazy("count", "reply due"), default=0)
    on_time = models.PositiveIntegerField(_("replied on time"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed at"))

    objects = ComplaintStatQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint monthly figures")
        verbose_name_plural = _("complaint monthly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["utility", "month", "channel", "category", "pending_forward"], name="complaint_month_stat_once"
            )
        ]
        indexes = [models.Index(fields=["month", "utility"], name="cmp_stat_month")]

    def __str__(self) -> str:
        return f"{self.utility_id} {self.month:%Y-%m} {self.channel}/{self.category}"


class BulletinPublication(models.Model):
    """通报 made public (issue 13): the monthly complaint bulletin of an office as it goes to the public
    column. The figures per utility are frozen when it is prepared (`figures`), so the public page shows
    exactly what was approved; named violations (`violations`) go out only when the approval says so.
    Every step (submit, approve, return, withdraw) is a step of `reporting.publication.WORKFLOW`, in the
    history with who and when."""

    office = models.ForeignKey(
        "portal.Organisation", verbose_name=_("issuing office"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("month"))
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    figures = models.JSONField(_("figures per utility"), default=list, editable=False)
    violations = models.JSONField(_("violations proposed for naming"), default=list, editable=False)
    names_published = models.BooleanField(_("violations published by name"), default=False)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = _("bulletin publication")
        verbose_name_plural = _("bulletin publications")
        constraints = [models.UniqueConstraint(fields=["office", "month"], name="bulletin_publication_once_per_month")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reporting:publication", args=[self.pk])
