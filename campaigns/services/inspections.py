"""Writes of inspections (检查督查): a regulator's visit to a utility in scope, within the inspection phase."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.choices import PhaseKind
from campaigns.models import Campaign, CampaignUtility, Inspection
from campaigns.selectors import phase_of_kind
from campaigns.services.common import MANAGED_BY_OFFICE, save
from portal.choices import Party
from portal.models import Organisation, User
from portal.querysets import require_writable


@transaction.atomic
def inspection_create(
    *,
    campaign: Campaign,
    utility: Organisation,
    inspected_on: date,
    acting_user: User,
    inspectors: str = "",
    summary: str = "",
) -> Inspection:
    """A regulator's visit; refused unless the date lies in the 检查督查 phase and the utility is in scope."""
    require_writable(acting_user, campaign, Party.REGULATOR, MANAGED_BY_OFFICE)
    if not CampaignUtility.objects.filter(campaign=campaign, utility=utility).exists():
        raise ValidationError(
            {"utility": _("%(utility)s is not in the scope of this campaign.") % {"utility": utility.name}}
        )
    phase = phase_of_kind(campaign, PhaseKind.INSPECTION)
    if phase is None or not phase.contains(inspected_on):
        raise ValidationError(
            {
                "inspected_on": _("Inspections are recorded within the inspection phase (%(start)s to %(end)s).")
                % {"start": phase.start_date if phase else "—", "end": phase.end_date if phase else "—"}
            }
        )
    obj = Inspection(
        campaign=campaign, utility=utility, inspected_on=inspected_on, inspectors=inspectors, summary=summary
    )
    save(obj, acting_user)
    return obj
