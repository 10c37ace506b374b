"""Enumerations of the reporting app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    CAMPAIGN_SPECIAL = "campaign_special", _("Campaign special report")
    SELF_CHECK = "self_check", _("Self-check report as filed")
    COMPLAINT_BULLETIN = "complaint_bulletin", _("Complaint timeliness bulletin")
    OUTAGE_COMPLIANCE = "outage_compliance", _("Outage-notice compliance report")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# A job in these states may be started again (retry); a done job never is: regenerate instead.
RETRYABLE = frozenset({JobStatus.FAILED})


class PublicationStatus(models.TextChoices):
    """A bulletin's way to the public column (通报发布): prepared, submitted, approved and published."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
