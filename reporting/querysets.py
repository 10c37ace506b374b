"""Scoping of report jobs: a job belongs to the organisation that requested it."""

from complaints.models import Complaint
from portal.querysets import ScopedQuerySet


class ReportJobQuerySet(ScopedQuerySet):
    """Seen by whoever sees the requesting organisation (its own users, the offices above a utility)."""

    scope_field = "organisation"


class ComplaintStatQuerySet(ScopedQuerySet):
    """Monthly complaint figures, by the utility they are about. The tickets behind a row are the
    complaints app's to scope: each row records whether they are withheld from utilities
    (`pending_forward`, computed with `ComplaintQuerySet.withheld_from_utilities`), and an organisation
    from which the complaints app withholds tickets does not count those rows."""

    scope_field = "utility"

    def visible_to_organisation(self, organisation):
        qs = super().visible_to_organisation(organisation)
        if organisation is not None and Complaint.objects.all().withheld_from(organisation) is not None:
            qs = qs.filter(pending_forward=False)
        return qs


class PublicationQuerySet(ScopedQuerySet):
    """A bulletin's publication belongs to the office that issues it: its people (and the offices above)
    see and write it; the public sees only what is published (`published()`)."""

    scope_field = "office"

    def published(self) -> "PublicationQuerySet":
        return self.filter(status="published")
