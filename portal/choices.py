"""Enumerations of the shared core."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    REGULATOR = "regulator", _("Regulator")
    UTILITY = "utility", _("Utility")


class OrgLevel(models.TextChoices):
    NATIONAL = "national", _("National regulator")
    REGIONAL = "regional", _("Regional/provincial office")
    PROVINCIAL = "provincial", _("Provincial company")
    CITY = "city", _("City company")
    COUNTY = "county", _("County company")
    STATION = "station", _("Supply station")


class Role(models.TextChoices):
    REGULATOR_ADMIN = "regulator_admin", _("Regulator admin")
    REGULATOR_STAFF = "regulator_staff", _("Regulator staff")
    UTILITY_MANAGER = "utility_manager", _("Utility manager")
    UTILITY_SUBMITTER = "utility_submitter", _("Utility submitter")
    SYSTEM = "system", _("System account")


REGULATOR_ROLES = frozenset({Role.REGULATOR_ADMIN, Role.REGULATOR_STAFF})
UTILITY_ROLES = frozenset({Role.UTILITY_MANAGER, Role.UTILITY_SUBMITTER})


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Statutory holiday")
    ADJUSTED_WORKDAY = "adjusted_workday", _("Adjusted working day")


class RuleUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("days")
    HOURS = "hours", _("hours")
    MINUTES = "minutes", _("minutes")
    ADVANCE_DAYS = "advance_days", _("days in advance")
    ADVANCE_HOURS = "advance_hours", _("hours in advance")
    RECONNECTION = "reconnection", _("hours (night rule)")


class SourceClass(models.TextChoices):
    STATUTE = "statute", _("Statute")
    REGULATOR_RULE = "regulator_rule", _("Regulator rule")
    NATIONAL_STANDARD = "national_standard", _("National standard")
    COMMITMENT = "commitment", _("Utility commitment")
    CAMPAIGN = "campaign", _("Campaign requirement")


# Breaches of these classes are reported as statutory; the rest as commitment breaches.
STATUTORY_CLASSES = frozenset({SourceClass.STATUTE, SourceClass.REGULATOR_RULE, SourceClass.NATIONAL_STANDARD})


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    OVERDUE = "overdue", _("Overdue")
    MET = "met", _("Met")
    MET_LATE = "met_late", _("Met late")
    CANCELLED = "cancelled", _("Cancelled")


class DeadlineState(models.TextChoices):
    """What a user sees: the stored status plus the clock."""

    ON_TIME = "on_time", _("On time")
    AT_RISK = "at_risk", _("At risk")
    OVERDUE = "overdue", _("Overdue")
    MET = "met", _("Met")
    MET_LATE = "met_late", _("Met late")
    CANCELLED = "cancelled", _("Cancelled")


class Disposition(models.TextChoices):
    PENDING = "pending", _("Pending review")
    CONFIRMED = "confirmed", _("Confirmed")
    EXCUSED = "excused", _("Excused")


class Party(models.TextChoices):
    """The side a user writes for: the utility handles its records, the regulator supervises them; the
    system (the sweep, no user) moves what time alone decides."""

    UTILITY = "utility", _("Utility")
    REGULATOR = "regulator", _("Regulator")
    SYSTEM = "system", _("System")
