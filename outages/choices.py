"""Enumerations of the outages app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutageKind(models.TextChoices):
    PLANNED = "planned", _("Planned maintenance")
    TEMPORARY = "temporary", _("Temporary maintenance")
    RESTRICTION = "restriction", _("Restriction / orderly power use")
    ARREARS = "arrears", _("Arrears disconnection")
    FAULT = "fault", _("Fault")


# Kinds that must be announced in advance; a fault cannot be.
NOTICE_KINDS = frozenset({OutageKind.PLANNED, OutageKind.TEMPORARY, OutageKind.RESTRICTION, OutageKind.ARREARS})
# Kinds with an announced end, judged for restoration after it.
SCHEDULED_END_KINDS = frozenset({OutageKind.PLANNED, OutageKind.TEMPORARY, OutageKind.RESTRICTION})


class NoticeStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", pgettext_lazy("outage status", "In progress")
    RESTORED = "restored", _("Restored")
    CANCELLED = "cancelled", _("Cancelled")
    RESCHEDULED = "rescheduled", _("Rescheduled")


UPCOMING_STATUSES = frozenset({NoticeStatus.SCHEDULED, NoticeStatus.RESCHEDULED})


class Channel(models.TextChoices):
    MEDIA = "media", _("Media")
    SMS = "sms", _("SMS")
    HOTLINE_95598 = "95598", _("95598 phone and website")
    NOTICE_BOARD = "notice_board", _("Notice board")
    WRITTEN = "written", _("Written notice")


class AreaClass(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")
    REMOTE = "remote", _("Remote area")


class ComplianceState(models.TextChoices):
    """Worst state over every rule judging a notice. `pending`: a limit still running."""

    COMPLIANT = "compliant", _("Compliant")
    PENDING = "pending", _("Pending")
    BORDERLINE = "borderline", _("Borderline")
    VIOLATION = "violation", _("Violation")


SEVERITY = {
    ComplianceState.COMPLIANT: 0,
    ComplianceState.PENDING: 1,
    ComplianceState.BORDERLINE: 2,
    ComplianceState.VIOLATION: 3,
}


def worst(states) -> str:
    return max((ComplianceState(s) for s in states), key=SEVERITY.__getitem__, default=ComplianceState.COMPLIANT)
