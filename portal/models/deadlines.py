"""Deadlines of any record (ticket, notice, deliverable, rectification item) and their violations.

One table for every kind of record lets one indexed sweep find what just crossed a line, one
violation register serve every report, and one page explain any deadline.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.choices import DeadlineStatus, Disposition, SourceClass
from portal.querysets import DerivedQuerySet


class TrackedDeadlineQuerySet(DerivedQuerySet):
    def for_object(self, obj) -> "TrackedDeadlineQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def open(self) -> "TrackedDeadlineQuerySet":
        return self.filter(status=DeadlineStatus.OPEN)


class TrackedDeadline(models.Model):
    """A due instant that a record must meet, computed from a rule (or set by a regulator's 督办)."""

    # No index of their own: the unique (content_type, object_id, code) and (utility, status, due) lead with
    # them, and every intake writes ~5 rows a record, so an index less is a write less each.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, db_index=False)
    object_id = models.BigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    utility = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    rule = models.ForeignKey("portal.Rule", verbose_name=_("rule"), null=True, blank=True, on_delete=models.PROTECT)
    code = models.CharField(_("rule id"), max_length=80, help_text=_("The rule id, or a label for a set deadline."))
    label = models.CharField(_("label"), max_length=200, blank=True)
    source_class = models.CharField(_("source class"), max_length=20, choices=SourceClass.choices)
    start = models.DateTimeField(_("start"))
    due = models.DateTimeField(_("due"))
    at_risk_at = models.DateTimeField(_("at risk from"), null=True, blank=True)
    remind_at = models.DateTimeField(_("reminder at"), null=True, blank=True)
    provisional = models.BooleanField(_("provisional"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TrackedDeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "code"],
                name="deadline_once_per_rule",
                violation_error_message=_("This record already has a deadline for that rule."),
            ),
        ]
        indexes = [
            # The sweep reads only rows that are open and past due: cost follows the crossings.
            models.Index(fields=["due"], name="deadline_open_due", condition=models.Q(status="open")),
            models.Index(
                fields=["remind_at"],
                name="deadline_pending_reminder",
                condition=models.Q(status="open", reminded_at__isnull=True),
            ),
            models.Index(fields=["utility", "status", "due"], name="deadline_utility_status"),
        ]

    def __str__(self) -> str:
        return f"{self.code} → {self.due:%Y-%m-%d %H:%M}"


class ViolationQuerySet(DerivedQuerySet):
    pass


class Violation(models.Model):
    """A rule broken by a record: a missed deadline or a notice given too late. One per record and rule."""

    utility = models.ForeignKey(
        "portal.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("utility")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    deadline = models.OneToOneField(
        TrackedDeadline, null=True, blank=True, on_delete=models.SET_NULL, related_name="violation"
    )
    rule = models.ForeignKey("portal.Rule", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("rule"))
    code = models.CharField(_("rule id"), max_length=80)
    source_class = models.CharField(_("source class"), max_length=20, choices=SourceClass.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    shortfall_seconds = models.BigIntegerField(_("shortfall (s)"), default=0)
    description = models.CharField(_("description"), max_length=300, blank=True)
    disposition = models.CharField(
        _("disposition"), max_length=10, choices=Disposition.choices, default=Disposition.PENDING
    )
    disposition_reason = models.TextField(_("reason"), blank=True)
    disposed_by = models.ForeignKey("portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    disposed_at = models.DateTimeField(_("disposed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ViolationQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "code"],
                name="violation_once_per_rule",
                violation_error_message=_("This violation is already recorded."),
            ),
        ]
        indexes = [
            models.Index(fields=["utility", "source_class", "occurred_at"], name="violation_utility"),
            models.Index(fields=["disposition"], name="violation_disposition"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.occurred_at:%Y-%m-%d}"
