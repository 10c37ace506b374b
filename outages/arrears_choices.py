"""Enumerations and rule ids of arrears cases (欠费停复电)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArrearsStatus(models.TextChoices):
    OVERDUE = "overdue", _("In arrears")
    NOTICED = "noticed", _("Disconnection notice delivered")
    DISCONNECTED = "disconnected", _("Disconnected")
    PAID = "paid", _("Paid")
    RECONNECTED = "reconnected", _("Reconnected")


OVERDUE_RULE = "arrears.overdue_before_disconnection"  # 30 days overdue before a cut (statute)
REMINDER_RULES = ("arrears.reminder.7d", "arrears.reminder.3d", "arrears.reminder.1d")  # seed 004, in order
REMINDER_PREFIX = "arrears.reminder"
NOTICE_RULES = ("outage.notice.arrears", "outage.notice.arrears.statutory")  # ≥ 7 days (commitment), ≥ 3 (statute)
NOTICE_PREFIX = "outage.notice.arrears"
RENOTICE_RULE = "arrears.renotice"  # 30 minutes before the cut, again (statute)
AS_ANNOUNCED_RULE = "arrears.disconnection.as_announced"  # not before the time in the notice (statute)
RECONNECTION_RULE = "arrears.reconnection"  # 2 h, or by 10:00 after a payment from 22:00 (seed 004)
