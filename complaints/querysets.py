"""Querysets of the complaints app: the one scoping point plus the deadline-state selections."""

from django.db import models
from django.utils import timezone

from complaints.choices import Channel
from portal.querysets import ScopedQuerySet


class ComplaintQuerySet(ScopedQuerySet):
    scope_field = "utility"

    @staticmethod
    def withheld_from_utilities() -> models.Q:
        """The 12398 rule: an item reaches the utility only once the regulator has forwarded it (a report
        举报 about a utility is not the utility's to read before that). The one statement of the rule:
        tickets, their deadlines, violations, notifications, history and figures all follow it."""
        return models.Q(channel=Channel.HOTLINE_12398, forwarded_at__isnull=True)

    def withheld_from(self, organisation) -> models.Q | None:
        return self.withheld_from_utilities() if organisation.is_utility else None

    def overdue(self, now=None) -> "ComplaintQuerySet":
        """A deadline past due and not met: marked by the sweep, or crossed since its last run."""
        now = now or timezone.now()
        return self.filter(models.Q(overdue=True) | models.Q(next_due__lt=now))

    def statutory_breach(self, now=None) -> "ComplaintQuerySet":
        """A statutory (or regulator-rule) deadline missed: met late or overdue."""
        now = now or timezone.now()
        return self.filter(models.Q(statutory_breach=True) | models.Q(next_statutory_due__lt=now))

    def at_risk(self, now=None) -> "ComplaintQuerySet":
        now = now or timezone.now()
        return self.filter(overdue=False, next_due__gte=now, next_warn_at__lte=now)

    def on_time(self, now=None) -> "ComplaintQuerySet":
        now = now or timezone.now()
        return self.filter(overdue=False, next_due__gte=now).exclude(next_warn_at__lte=now)

    def deadlines_met(self, *, late: bool) -> "ComplaintQuerySet":
        return self.filter(overdue=False, next_due__isnull=True, has_deadlines=True, late=late)


class ComplaintCaseQuerySet(models.QuerySet):
    pass
