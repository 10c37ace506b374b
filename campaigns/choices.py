"""Enumerations of the campaigns app (专项行动)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PhaseKind(models.TextChoices):
    """What a phase is for; the phase rules of services.py key on it, never on the name."""

    DEPLOYMENT = "deployment", _("Organisation and deployment")
    SELF_CHECK = "self_check", _("Utility self-check")
    INSPECTION = "inspection", _("Inspection and supervision")
    SUMMARY = "summary", _("Rectification and summary")
    OTHER = "other", _("Other")


class DeliverableKind(models.TextChoices):
    SELF_CHECK_REPORT = "self_check_report", _("Self-check report")
    RECTIFICATION_PLAN = "rectification_plan", _("Rectification plan")
    SPECIAL_REPORT = "special_report", _("Special report")
    PROGRESS_REPORT = "progress_report", _("Progress report")
    OTHER = "other", _("Other")


class FigureSet(models.TextChoices):
    """The structured figures a deliverable asks for beside its text (campaigns/figures.py)."""

    CONNECTION = "connection", _("Connection data by customer class")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED = "accepted", _("Accepted")


class FilingState(models.TextChoices):
    """Where one utility stands with one occurrence of a deliverable."""

    ON_TIME = "on_time", _("Filed on time")
    LATE = "late", _("Filed late")
    MISSING = "missing", _("Not filed, overdue")
    PENDING = "pending", _("Not yet filed")


class GroupKind(models.TextChoices):
    REGULATOR = "regulator", _("Regulator's leading group")
    JOINT = "joint", _("Joint leading group")
    UTILITY = "utility", _("Utility's own leading group")


class ZoneStatus(models.TextChoices):
    DESIGNATED = "designated", _("Designated")
    BUILDING = "building", _("Being built")
    ACHIEVED = "achieved", _("Target achieved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Group leader")
    DEPUTY = "deputy", _("Deputy leader")
    MEMBER = "member", _("Member")


class ChecklistItemKind(models.TextChoices):
    QUESTION = "question", _("Question")
    CHECK = "check", _("Check")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED = "accepted", _("Accepted")


class Answer(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    NON_COMPLIANT = "non_compliant", _("Non-compliant")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class FindingSource(models.TextChoices):
    SELF_CHECK = "self_check", _("Self-check")
    INSPECTION = "inspection", _("Inspection")
    # Issue 11: found by the regulator outside an inspection visit (seed 004: 消费者评议; 明察暗访).
    CONSUMER_REVIEW = "consumer_review", _("Consumer review")
    UNANNOUNCED_CHECK = "unannounced_check", _("Unannounced check")
    COMPLAINTS_ANALYSIS = "complaints_analysis", _("Complaints analysis")


# The sources of a finding the regulator records directly, without a report or an inspection visit.
REVIEW_SOURCES = (FindingSource.CONSUMER_REVIEW, FindingSource.UNANNOUNCED_CHECK, FindingSource.COMPLAINTS_ANALYSIS)


class RectificationStatus(models.TextChoices):
    # Issue 11: a measure the utility proposes for a finding addressed to it, approved or returned by the regulator.
    PROPOSED = "proposed", _("Proposed, awaiting approval")
    RETURNED = "returned", _("Returned for revision")
    OPEN = "open", _("Open item")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE_PENDING_VERIFICATION = "done_pending_verification", _("Done, pending verification")
    VERIFIED = "verified", _("Verified")
    OVERDUE = "overdue", _("Overdue")


class PhaseOverride(models.TextChoices):
    HOLD = "hold", _("Hold the current phase")
    ADVANCE = "advance", _("Advance to the next phase")
    RELEASE = "release", _("Follow the dates again")


class Indicator(models.TextChoices):
    """The self-check report's indicators a target judges (the report's field names)."""

    RELIABILITY_URBAN = "reliability_urban", _("Supply reliability RS-3, urban")
    RELIABILITY_RURAL = "reliability_rural", _("Supply reliability RS-3, rural")
    VOLTAGE_OVERALL = "voltage_overall", _("Voltage qualification, overall")
    VOLTAGE_A = "voltage_a", _("Voltage qualification, class A")
    VOLTAGE_B = "voltage_b", _("Voltage qualification, class B")
    VOLTAGE_C = "voltage_c", _("Voltage qualification, class C")
    VOLTAGE_D = "voltage_d", _("Voltage qualification, class D (residential terminals)")
    SATISFACTION = "satisfaction", _("Customer satisfaction")


class Comparison(models.TextChoices):
    AT_LEAST = "gte", _("at least")
    AT_MOST = "lte", _("at most")


class Escalation(models.TextChoices):
    """Where an overdue rectification item stands after its re-notices (issue 11): the catalogue's rule
    `campaign.rectification.renotice` says after how many re-notices, and in which order (约谈, then 稽查)."""

    NONE = "none", _("Not escalated")
    TALK = "talk", _("Talk with the utility's leadership (约谈)")
    AUDIT = "audit", _("Audit (稽查)")


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")
    CLOSED = "closed", _("Closed")
