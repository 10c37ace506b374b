"""Scoping of report jobs: a job belongs to the organisation that requested it."""

from portal.querysets import ScopedQuerySet


class ReportJobQuerySet(ScopedQuerySet):
    """Seen by whoever sees the requesting organisation (its own users, the offices above a utility)."""

    scope_field = "organisation"
