"""The working-day calendar: statutory holidays and adjusted working days, as editable data, and the
re-judgement that follows every change of it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.choices import DayKind
from portal.models.imports import ImportStatus
from portal.querysets import SharedQuerySet


class CalendarYear(models.Model):
    """One year of calendar data and where it came from; a year without a row is provisional."""

    year = models.PositiveIntegerField(_("year"), primary_key=True)
    source = models.CharField(
        _("source"), max_length=200, help_text=_("e.g. the State Council notice or the library version.")
    )
    announcement_title = models.CharField(_("announcement title"), max_length=200, blank=True)
    announcement_number = models.CharField(
        _("document number"), max_length=60, blank=True, help_text=_("e.g. 国办发明电〔2025〕7号")
    )
    announcement_date = models.DateField(_("announced on"), null=True, blank=True)
    complete = models.BooleanField(_("complete"), default=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)
    history = HistoricalRecords()

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week: a statutory holiday or a worked weekend day (调休)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=40, help_text=_("The holiday it belongs to, e.g. 国庆节."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = SharedQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class CalendarChange(models.Model):
    """Days whose kind changed (or a year that became known): every tracked deadline whose span touches
    them is judged again. Queued when the change is saved; processed by a task (and by beat, should the
    broker have lost the message), so no change is ever left unjudged."""

    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    dates = models.JSONField(_("changed dates"), default=list, help_text=_("ISO dates whose kind changed."))
    reason = models.CharField(_("reason"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total = models.PositiveIntegerField(_("deadlines to check"), default=0)
    processed = models.PositiveIntegerField(_("deadlines checked"), default=0)
    moved = models.PositiveIntegerField(_("open deadlines moved"), default=0)
    noted = models.PositiveIntegerField(_("closed deadlines noted"), default=0)
    failure_reason = models.TextField(_("failure"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        indexes = [
            models.Index(fields=["created_at"], name="calendar_change_pending", condition=~models.Q(status="done"))
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.processed / self.total))
