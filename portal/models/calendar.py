"""The working-day calendar: statutory holidays and adjusted working days, as editable data."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.choices import DayKind


class CalendarYear(models.Model):
    """One year of calendar data and where it came from; a year without a row is provisional."""

    year = models.PositiveIntegerField(_("year"), primary_key=True)
    source = models.CharField(
        _("source"), max_length=200, help_text=_("e.g. the State Council notice or the library version.")
    )
    complete = models.BooleanField(_("complete"), default=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)
    history = HistoricalRecords()

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

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"
