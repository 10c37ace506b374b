"""Enumerations and rule ids of large customers (大电力客户, seed 002 第五篇)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportanceClass(models.TextChoices):
    """重要电力客户 classes (第十一条) and the customers that are in none of them."""

    SPECIAL = "special", _("Special class (特级)")
    FIRST = "first", _("First class (一级)")
    SECOND = "second", _("Second class (二级)")
    TEMPORARY = "temporary", _("Temporary (临时性)")
    NONE = "none", _("Not classed as important")


class LargeCustomerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Season(models.TextChoices):
    """What kind of inspection a visit is (第十九条)."""

    ROUTINE = "routine", _("Routine inspection")
    SPRING = "spring", _("Spring safety inspection")
    AUTUMN = "autumn", _("Autumn safety inspection")
    SPECIAL = "special", _("Special inspection")


class DueKind(models.TextChoices):
    """One period in which a customer is owed an inspection."""

    CYCLE = "cycle", _("Inspection cycle")
    SPRING = "spring", _("Spring inspection window")
    AUTUMN = "autumn", _("Autumn inspection window")


class DueStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Inspected")
    CANCELLED = "cancelled", _("No longer owed")


class HazardStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    SIGNED = "signed", _("Signed by the customer")
    OVERDUE = "overdue", _("Overdue")
    RENOTICED = "renoticed", _("Re-notified and re-filed")
    RECEIPTED = "receipted", _("Completion receipt received")
    CLOSED = "closed", _("Closed")


class FilingStatus(models.TextChoices):
    DUE = "due", pgettext_lazy("filing status", "Due")  # a state; "Due" alone is the deadline column
    FILED = "filed", _("Filed")


# Rule ids (the catalogue, portal/data/rules.json): which cycle applies to a customer is read from each
# cycle rule's params, never from here.
CYCLE_PREFIX = "large_customer.inspection.cycle"
SEASON_RULES = {DueKind.SPRING: "large_customer.inspection.spring", DueKind.AUTUMN: "large_customer.inspection.autumn"}
HAZARD_RULE = "large_customer.hazard.rectify"
HAZARD_RENOTICE_RULE = "large_customer.hazard.renotice"
FILING_RULE = "large_customer.filing.periodic"
# 第十二条: the self-provided emergency supply is at least 120 % of the security load.
EMERGENCY_RATIO_PERCENT = Decimal(120)
# Classes that are "important" for the 3-month cycle are named in that rule's params; these are the ones a
# notice of the seed calls 重要 (for the labels on the register).
IMPORTANT_CLASSES = (ImportanceClass.SPECIAL, ImportanceClass.FIRST)


def ratio_percent(capacity: Decimal | None, load: Decimal | None) -> Decimal | None:
    """`capacity` as a percentage of `load`, to 0.1 % (None when either is unknown or the load is 0)."""
    if not load or capacity is None:
        return None
    return (Decimal(capacity) * 100 / Decimal(load)).quantize(Decimal("0.1"))
