"""Enumerations of connection applications (业扩报装) and the rule ids their clocks run on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerClass(models.TextChoices):
    """The customer classes of the catalogue's connection rules (seed 001 问14(3)–(5), seed 003)."""

    RESIDENTIAL = "residential", _("Residential (low voltage)")
    LOW_VOLTAGE = "low_voltage", _("Low-voltage non-residential")
    SMALL_MICRO = "small_micro", _("Small or micro business (low voltage)")
    HV_SINGLE = "hv_single", _("High voltage, single source")
    HV_DUAL = "hv_dual", _("High voltage, dual source")


class ConnectionStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SCHEME_REPLIED = "scheme_replied", _("Supply scheme replied")
    ACCEPTED = "accepted", _("Accepted (inspection passed)")
    POWERED = "powered", _("Powered on")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_CONNECTION_STATUSES = frozenset(
    {ConnectionStatus.APPLIED, ConnectionStatus.SCHEME_REPLIED, ConnectionStatus.ACCEPTED}
)

RULE_PREFIX = "connection."
SCHEME_PREFIX = "connection.scheme_reply"
POWER_ON_PREFIX = "connection.power_on"
GETTING_PREFIX = "connection.getting_electricity"
SCHEME_RULE = {
    CustomerClass.RESIDENTIAL: "connection.scheme_reply.residential",
    CustomerClass.LOW_VOLTAGE: "connection.scheme_reply.low_voltage",
    CustomerClass.SMALL_MICRO: "connection.scheme_reply.low_voltage",
    CustomerClass.HV_SINGLE: "connection.scheme_reply.hv_single",
    CustomerClass.HV_DUAL: "connection.scheme_reply.hv_dual",
}
POWER_ON_RULE = {
    CustomerClass.RESIDENTIAL: "connection.power_on.residential",
    CustomerClass.LOW_VOLTAGE: "connection.power_on.non_residential",
    CustomerClass.SMALL_MICRO: "connection.power_on.non_residential",
    CustomerClass.HV_SINGLE: "connection.power_on.non_residential",
    CustomerClass.HV_DUAL: "connection.power_on.non_residential",
}
# 获得电力 (seed 003): a residential connection within 22 working days, each; small and micro businesses
# within 25 working days on average (judged per utility, not per application).
GETTING_RESIDENTIAL_RULE = "connection.getting_electricity.residential"
# Seed 003: a small/micro business up to this rule's `two_step_max_kva` (160 kVA) connects in two steps
# (申请, 验收接电) — a parameter of the rule, so a province may change it as data.
GETTING_SMALL_BUSINESS_RULE = "connection.getting_electricity.small_business"
