"""Scoping of report jobs: a job belongs to the organisation that requested it."""

from portal.querysets import ScopedQuerySet


class ReportJobQuerySet(ScopedQuerySet):
    """Seen by whoever sees the requesting organisation (its own users, the offices above a utility)."""

    scope_field = "organisation"


class ComplaintStatQuerySet(ScopedQuerySet):
    """Monthly complaint figures, by the utility they are about; a utility does not count the 12398
    items the regulator has not forwarded yet (as `ComplaintQuerySet.visible_to`)."""

    scope_field = "utility"

    def visible_to(self, user):
        qs = super().visible_to(user)
        org = getattr(user, "organisation", None)
        if getattr(user, "is_authenticated", False) and not user.is_superuser and org is not None and org.is_utility:
            qs = qs.filter(pending_forward=False)
        return qs
