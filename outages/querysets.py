"""Querysets of the outages app: scoped for staff, and the one public selection."""

from django.db import models
from django.utils import timezone

from outages.choices import NoticeStatus
from portal.querysets import ScopedQuerySet


class OutageNoticeQuerySet(ScopedQuerySet):
    scope_field = "utility"

    def public(self) -> "OutageNoticeQuerySet":
        """What the public may read: published, not cancelled, not yet over."""
        now = timezone.now()
        return (
            self.filter(published_at__isnull=False, published_at__lte=now)
            .exclude(status__in=[NoticeStatus.CANCELLED, NoticeStatus.RESTORED])
            .filter(models.Q(end_at__gte=now) | models.Q(status=NoticeStatus.IN_PROGRESS))
        )
