"""Reads of large customers for 我的待办 (the worklist, issue 20): the hazard notices a utility still has to see
rectified (open, or overdue and owed a re-notice) and its filing to the government that is due."""

from django.db.models import Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from campaigns.large_customer_choices import FILING_RULE, FilingStatus, HazardStatus
from campaigns.models import GovernmentFiling, HazardNotice
from portal.choices import Party
from portal.deadlines import end_of_day
from portal.querysets import acts_as
from portal.worklist import WorkItem, WorkSource

NOTICE_TO_DO = (HazardStatus.ISSUED, HazardStatus.SIGNED, HazardStatus.OVERDUE, HazardStatus.RENOTICED)


def _own(user) -> Q | None:
    org = getattr(user, "organisation", None)
    return None if org is None else Q(utility__path__startswith=org.path)


def worklist_hazard_notices(user) -> WorkSource | None:
    """The utility's hazard notices not yet closed on a receipt, by their deadline (overdue: re-notify)."""
    own = _own(user)
    if user.is_superuser or own is None or not acts_as(user, Party.UTILITY):
        return None
    qs = HazardNotice.objects.writable_by(user, Party.UTILITY).filter(own, status__in=NOTICE_TO_DO)

    def item(n: HazardNotice) -> WorkItem:
        overdue = n.status == HazardStatus.OVERDUE
        return WorkItem(
            kind="hazard_notice",
            record=f"{n.number} {n.customer.name}",
            utility=str(n.utility),
            due=end_of_day(n.deadline),
            state=n.get_status_display(),
            action=_("Re-notify and re-file") if overdue else _("Record the completion receipt"),
            url=reverse("campaigns:hazard-notice", args=[n.pk]),
        )

    return WorkSource(queryset=qs.select_related("utility", "customer"), due_field="deadline", item=item)


def worklist_filings(user) -> WorkSource | None:
    """The utility's periodic filing to the government that is due."""
    own = _own(user)
    if user.is_superuser or own is None or not acts_as(user, Party.UTILITY):
        return None
    # The due instant is the filing rule's tracked deadline, read with the filings (not a query per row).
    qs = (
        GovernmentFiling.objects.writable_by(user, Party.UTILITY)
        .filter(own, status=FilingStatus.DUE)
        .annotate(due_at=Min("deadlines__due", filter=Q(deadlines__code=FILING_RULE)))
    )

    def item(f: GovernmentFiling) -> WorkItem:
        return WorkItem(
            kind="large_customer_filing",
            record=_("Filing to the government from %(day)s") % {"day": f.period_start.isoformat()},
            utility=str(f.utility),
            due=f.due_at,
            state=f.get_status_display(),
            action=pgettext("action", "File"),  # the verb (报送); "File" alone is the upload field (文件)
            url=reverse("campaigns:large-customer-filing", args=[f.pk]),
        )

    return WorkSource(queryset=qs.select_related("utility"), due_field="period_start", item=item)
