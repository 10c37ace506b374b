"""Asynchronous imports of spreadsheets: a job per uploaded file, its progress and its row errors."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.querysets import ScopedQuerySet


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJobQuerySet(ScopedQuerySet):
    scope_field = "organisation"


class ImportJob(models.Model):
    """One uploaded file being imported row by row; `processed_rows` is the resume point."""

    kind = models.CharField(_("kind"), max_length=80)
    organisation = models.ForeignKey(
        "portal.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        "portal.User", verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    last_row_number = models.PositiveIntegerField(_("last row number"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    failure_reason = models.TextField(_("failure reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"

    @property
    def stalled(self) -> bool:
        """Running, but no chunk committed for a while: its worker probably died; it can be resumed."""
        last = self.heartbeat_at or self.started_at
        limit = timedelta(seconds=settings.IMPORT_STALL_SECONDS)
        return self.status == ImportStatus.RUNNING and last is not None and timezone.now() - last > limit

    @property
    def progress(self) -> float:
        if self.status == ImportStatus.DONE:
            return 100.0
        return round(100.0 * self.processed_rows / self.total_rows, 1) if self.total_rows else 0.0


class ImportRowError(models.Model):
    """Why one row of an import was refused, with the row as it was read."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    row_number = models.PositiveIntegerField(_("row"))
    messages = models.JSONField(_("messages"), default=dict)
    data = models.JSONField(_("data"), default=dict)

    class Meta:
        ordering = ["row_number"]
        constraints = [models.UniqueConstraint(fields=["job", "row_number"], name="import_row_error_once")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row_number}"
