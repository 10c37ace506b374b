"""Enumerations of the complaints app (投诉举报)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    """Where a ticket came in (DOMAIN §3)."""

    HOTLINE_12398 = "12398", _("12398 energy regulator hotline")
    HOTLINE_95598 = "95598", _("95598 utility hotline")
    HOTLINE_12345 = "12345", _("12345 city hotline")
    HOTLINE_12315 = "12315", _("12315 consumer hotline")
    LETTER = "letter", _("Letter")
    WEBSITE = "website", _("Website")
    WALK_IN = "walk_in", _("Walk-in")
    OTHER = "other", pgettext_lazy("channel", "Other")


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report (whistle-blowing)")
    INQUIRY = "inquiry", _("Inquiry")
    SUGGESTION = "suggestion", _("Opinion or suggestion")


class Category(models.TextChoices):
    OUTAGE = "outage", _("Outage / power restriction")
    CONNECTION = "connection", _("Connection (new service)")
    BILLING = "billing", _("Billing and price")
    METERING = "metering", _("Metering")
    QUALITY = "quality", _("Supply quality")
    CONDUCT = "conduct", _("Service conduct")
    REPAIR = "repair", _("Repair")
    OTHER = "other", pgettext_lazy("category", "Other")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    FORWARDED = "forwarded", _("Forwarded")
    CONTACTED = "contacted", _("Customer contacted")
    REPLIED = "replied", _("Replied")
    VISITED = "visited", _("Return visit done")
    CLOSED = "closed", pgettext_lazy("ticket status", "Closed")
    REOPENED = "reopened", _("Reopened")
    APPEALED = "appealed", _("Appealed")
    DECLINED = "declined", _("Not accepted (不予受理)")
    ASSIGNED = "assigned", _("Under investigation by the regulator (承办中)")


# A ticket not accepted (不予受理) is ended like a closed one: nothing runs on it.
ENDED_STATUSES = frozenset({Status.CLOSED, Status.DECLINED})
OPEN_STATUSES = frozenset(set(Status) - ENDED_STATUSES)


class Finding(models.TextChoices):
    """Whether the complaint was justified, as the handler found it (核实结论)."""

    FOUNDED = "founded", _("Justified (属实)")
    PARTLY = "partly", _("Partly justified (部分属实)")
    UNFOUNDED = "unfounded", _("Not justified (不属实)")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")
    UNREACHABLE = "unreachable", _("Customer unreachable")


class Action(models.TextChoices):
    """Events of the lifecycle (one row each in ComplaintEvent)."""

    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    FORWARDED = "forwarded", _("Forwarded to the utility")
    CONTACTED = "contacted", _("Customer contacted")
    REPLIED = "replied", _("Replied with the handling opinion")
    VISITED = "visited", _("Return visit")
    CLOSED = "closed", pgettext_lazy("ticket event", "Closed")
    REOPENED = "reopened", _("Reopened")
    APPEALED = "appealed", _("Appeal")
    SUPERVISED = "supervised", _("Supervised by the regulator")
    LINKED = "linked", _("Linked to a case")
    UPDATED = "updated", _("Updated by the source system")
    DECLINED = "declined", _("Not accepted (不予受理)")
    FINDING = "finding", _("Finding and responsibility recorded")
    ESCALATED = "escalated", _("Supervision escalated by the sweep")
    TALK = "talk", _("Talk with the utility's leadership (约谈)")
    FOLLOW_UP = "follow_up", _("Follow-up of the talk reported")
    ASSIGNED = "assigned", _("Assigned to a regulator officer")
    INVESTIGATED = "investigated", _("Investigation step")
    CONCLUDED = "concluded", _("Investigation concluded")
    APPEAL_DECIDED = "appeal_dec", _("Appeal decided")


class DeadlineFilter(models.TextChoices):
    """The `deadline_state` filter: the state of a ticket's most urgent deadline."""

    ON_TIME = "on_time", _("On time")
    AT_RISK = "at_risk", _("At risk")
    OVERDUE = "overdue", _("Overdue")
    MET = "met", _("Met")
    MET_LATE = "met_late", _("Met late")
    NONE = "none", _("No deadline")


# Rule ids the actions meet: `contact` meets every contact rule, `reply` every reply rule.
CONTACT_PREFIX = "complaint.contact"
REPLY_PREFIX = "complaint.reply"
RULE_PREFIX = "complaint."
# The rules shown as `contact_due` / `reply_due` (the catalogue's national ones, seed 000).
CONTACT_RULE = "complaint.contact"
REPLY_RULE = "complaint.reply"


class CountsFrom(models.TextChoices):
    """Which instant of a ticket a rule's clock starts at: the rule's `params.counts_from` in the catalogue
    (so a provincial rule says it too, whatever its id)."""

    ACCEPTED = "accepted", _("Acceptance (or receipt when none is given)")
    RECEIPT = "receipt", _("Receipt")  # 供电监管办法: 自接到投诉之日起
    FORWARD = "forward", _("Forward to the utility")  # 12398 转办事项


SUPERVISION_CODE = "complaint.supervision"
# 三级督办 (seed 004): level 1 keeps the code the single 督办 had; each level has its own rule and clock.
SUPERVISION_LEVELS = (1, 2, 3)
TALK_CODE = "complaint.talk"  # the follow-up deadline agreed in a 约谈 (complaint.talk.1, complaint.talk.2)
APPEAL_CODE = "complaint.appeal"  # the catalogue rule of an appeal's clock; each appeal's deadline is .N
# Clocks started by a step, never by intake nor re-tracked with the rules in force.
STEP_CLOCKS = (SUPERVISION_CODE, TALK_CODE, APPEAL_CODE)


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld: handled again (申诉成立)")
    REJECTED = "rejected", _("Rejected: the handling stands (申诉不成立)")


def supervision_code(level: int) -> str:
    """The deadline (and catalogue rule) of a supervision level: complaint.supervision, .2, .3."""
    return SUPERVISION_CODE if level == 1 else f"{SUPERVISION_CODE}.{level}"


class SupervisionLevel(models.IntegerChoices):
    FIRST = 1, _("First-level supervision (一级督办)")
    SECOND = 2, _("Second-level supervision (二级督办)")
    THIRD = 3, _("Third-level supervision (三级督办)")


class SupervisionStatus(models.TextChoices):
    OPEN = "open", _("Running")
    ANSWERED = "answered", _("Answered by the reply")
    ESCALATED = "escalated", _("Escalated to the next level")
    ENDED = "ended", _("Ended with the ticket")


class TalkLevel(models.IntegerChoices):
    """两级约谈: the leadership of the utility handling the ticket, then of its provincial company."""

    FIRST = 1, _("Talk with the handling utility's leadership (一级约谈)")
    SECOND = 2, _("Talk with the provincial company's leadership (二级约谈)")
