"""Enumerations of meter requests: a meter test (电能表校验) or an abnormal reading (抄表数据异常)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeterRequestKind(models.TextChoices):
    TEST = "test", _("Meter test")
    ABNORMAL_READING = "abnormal_reading", _("Abnormal reading")


class MeterRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ANSWERED = "answered", _("Answered with the result")
    WITHDRAWN = "withdrawn", _("Withdrawn")


RULE_PREFIX = "meter."
# The catalogue's limit of each kind (seed 000): the test result within 5 working days of the request, an
# abnormal reading verified and answered within 7.
RULE_OF = {MeterRequestKind.TEST: "meter.test_result", MeterRequestKind.ABNORMAL_READING: "meter.abnormal_reading"}
