"""Querysets of the complaints app: the one scoping point plus the deadline-state selections."""

from django.db import models
from django.utils import timezone

from complaints.choices import Channel
from portal.querysets import ScopedQuerySet


class ComplaintQuerySet(ScopedQuerySet):
    scope_field = "utility"

    def visible_to(self, user) -> "ComplaintQuerySet":
        """Scoped through the utility; a 12398 item reaches the utility only once the regulator has
        forwarded it (a report 举报 about a utility is not the utility's to read before that)."""
        qs = super().visible_to(user)
        if getattr(user, "is_authenticated", False) and not user.is_superuser:
            org = user.organisation
            if org is not None and org.is_utility:
                qs = qs.exclude(channel=Channel.HOTLINE_12398, forwarded_at__isnull=True)
        return qs

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
