"""Outage notices (停电通知): what a utility announces, when, and how the outage went.

One row per outage as the utility's system knows it (`external_id`, unique per utility). The
compliance summary (worst state and the per-rule results) is stored so that lists and dashboards
filter on it; it is recomputed by `outages.services` on every change, never by `save()`.
"""

from datetime import datetime

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from outages.arrears_choices import ArrearsStatus
from outages.choices import AreaClass, ComplianceState, NoticeStatus, OutageKind
from outages.querysets import OutageNoticeQuerySet
from portal.models import WorkOrder
from portal.querysets import ScopedQuerySet


class OutageNotice(models.Model):
    """An outage and its notice: kind, schedule, publication, actual course and compliance."""

    utility = models.ForeignKey(
        "portal.Organisation", verbose_name=_("utility"), on_delete=models.PROTECT, related_name="outage_notices"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=OutageKind.choices)
    external_id = models.CharField(
        _("external id"), max_length=64, help_text=_("The notice's number in the utility's own system.")
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    area = models.CharField(_("area"), max_length=500, help_text=_("Villages, streets, residential compounds."))
    lines = models.CharField(_("lines"), max_length=300, blank=True, help_text=_("e.g. 10kV城关线、10kV东关线"))
    affected_customers = models.PositiveIntegerField(_("affected customers"), null=True, blank=True)
    important_customers = models.TextField(_("important customers"), blank=True)
    start_at = models.DateTimeField(_("scheduled start"))
    end_at = models.DateTimeField(_("scheduled end"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # A list of Channel values: JSON works the same on SQLite and PostgreSQL.
    channels = models.JSONField(_("channels"), default=list, blank=True)
    important_customers_notified_at = models.DateTimeField(_("important customers notified at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=NoticeStatus.choices, default=NoticeStatus.SCHEDULED)
    actual_start_at = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end_at = models.DateTimeField(_("actual end (restored)"), null=True, blank=True)
    delay_explanation = models.TextField(
        _("explanation of delay"), blank=True, help_text=_("Why supply was restored after the announced end.")
    )
    cause_removed_at = models.DateTimeField(_("cause removed at"), null=True, blank=True)
    # Fault repair (故障抢修)
    area_class = models.CharField(_("area class"), max_length=8, choices=AreaClass.choices, blank=True)
    repair_reported_at = models.DateTimeField(_("fault reported at"), null=True, blank=True)
    repair_arrived_at = models.DateTimeField(_("repair crew arrived at"), null=True, blank=True)
    # Arrears (欠费停电)
    arrears_amount = models.DecimalField(_("amount in arrears"), max_digits=12, decimal_places=2, null=True, blank=True)
    arrears_overdue_since = models.DateTimeField(_("overdue since"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    reconnected_at = models.DateTimeField(_("reconnected at"), null=True, blank=True)
    # Flags and history of the schedule
    original_kind = models.CharField(
        _("kind when published"), max_length=12, choices=OutageKind.choices, blank=True, editable=False
    )
    relabelled = models.BooleanField(_("kind changed after publication"), default=False, db_index=True, editable=False)
    repeated_temporary = models.BooleanField(
        _("repeated temporary outage on the line"), default=False, db_index=True, editable=False
    )
    reschedule_count = models.PositiveSmallIntegerField(_("times rescheduled"), default=0, editable=False)
    # Stored compliance summary, for fast filters
    compliance_state = models.CharField(
        _("compliance"), max_length=12, choices=ComplianceState.choices, default=ComplianceState.PENDING, editable=False
    )
    compliance = models.JSONField(_("compliance details"), default=dict, blank=True, editable=False)
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = OutageNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-start_at", "-id"]
        verbose_name = _("outage notice")
        verbose_name_plural = _("outage notices")
        constraints = [
            models.UniqueConstraint(
                fields=["utility", "external_id"],
                name="outage_notice_external_id_per_utility",
                violation_error_message=_("This utility already has a notice with that external id."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_at__isnull=True) | models.Q(end_at__gt=models.F("start_at")),
                name="outage_notice_end_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]
        indexes = [
            models.Index(fields=["utility", "start_at"], name="outage_utility_start"),
            models.Index(fields=["compliance_state", "kind"], name="outage_compliance_kind"),
            models.Index(fields=["status", "start_at"], name="outage_status_start"),
            models.Index(fields=["published_at", "end_at"], name="outage_public"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.external_id}"

    def get_absolute_url(self) -> str:
        return reverse("outages:detail", args=[self.pk])


# --------------------------------------------------------------------------- arrears cases (issue 12)


class ArrearsCaseQuerySet(ScopedQuerySet):
    scope_field = "utility"


class ArrearsCase(WorkOrder):
    """One customer's arrears from the day the bill fell overdue to reconnection, as the utility's marketing
    system knows it: the reminder messages with their instants (seed 004: 7, 3 and 1 days before the 30-day
    cut-off), the written disconnection notice and the time it announces, the re-notice, the actual cut,
    the payment and the reconnection. Idempotent by (source, external id); each limit is a catalogue rule."""

    utility = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("responsible utility"),
        on_delete=models.PROTECT,
        related_name="arrears_cases",
    )
    amount_yuan = models.DecimalField(_("amount in arrears (yuan)"), max_digits=12, decimal_places=2)
    overdue_since = models.DateTimeField(_("overdue since"))
    reminders = models.JSONField(_("reminder messages sent at"), default=list, blank=True)
    notice_delivered_at = models.DateTimeField(_("disconnection notice delivered at"), null=True, blank=True)
    announced_cut_at = models.DateTimeField(_("disconnection announced for"), null=True, blank=True)
    renoticed_at = models.DateTimeField(_("re-notified at"), null=True, blank=True)
    disconnected_at = models.DateTimeField(_("disconnected at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    reconnected_at = models.DateTimeField(_("reconnected at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=ArrearsStatus.choices, default=ArrearsStatus.OVERDUE)
    deadlines = GenericRelation("portal.TrackedDeadline", related_query_name="arrears_case")
    history = HistoricalRecords()

    objects = ArrearsCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-overdue_since", "-id"]
        verbose_name = _("arrears case")
        verbose_name_plural = _("arrears cases")
        constraints = [
            WorkOrder.unique_key(
                "arrears_external_id_per_source", _("This source already has an arrears case with that external id.")
            ),
        ]
        indexes = [models.Index(fields=["utility", "overdue_since"], name="arrears_utility_overdue")]

    def get_absolute_url(self) -> str:
        return reverse("outages:arrears-detail", args=[self.pk])

    def reminders_at(self) -> list:
        """The reminder instants (stored as ISO text)."""
        return [datetime.fromisoformat(r) if isinstance(r, str) else r for r in self.reminders or []]
