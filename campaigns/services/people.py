"""Writes of a campaign's people and places (issue 11): leading groups (the regulator's, the joint one, a
utility's own), their members with roles, the office's duties per department, demonstration zones.

Maintained by the regulator admins of the issuing office only (`require_group_admin`: 403 with the reason for
anyone else, staff included); every change is saved through `save()` with its history row (who, when), and a
removal keeps its history row too.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign, DemonstrationZone, GroupMember, LeadingGroup, OfficeDuty
from campaigns.services.common import save
from portal.choices import Party, Role
from portal.models import User
from portal.querysets import require_writable

GROUP_ADMINS = gettext_lazy(
    "Only the regulator admins of the issuing office maintain the campaign's leading groups, office duties and "
    "demonstration zones."
)


def require_group_admin(user: User, campaign: Campaign) -> None:
    """A regulator admin of the campaign's own issuing office (or an operator); else 403 with the reason."""
    require_writable(user, campaign, Party.REGULATOR, GROUP_ADMINS)
    if user.is_superuser:
        return
    if user.role != Role.REGULATOR_ADMIN or user.organisation_id != campaign.owner_id:
        raise PermissionDenied(GROUP_ADMINS)


def _apply(obj, fields: dict, allowed: set[str]):
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({k: _("Unknown field.") for k in unknown})
    for k, v in fields.items():
        setattr(obj, k, v)
    return obj


GROUP_FIELDS = {
    "kind",
    "name",
    "organisations",
    "utility",
    "order",
    "office_name",
    "office_director",
    "office_director_title",
    "office_director_organisation",
}
MEMBER_FIELDS = {"role", "name", "title", "organisation_name", "organisation", "order"}
DUTY_FIELDS = {"department", "organisation_name", "duties"}
ZONE_FIELDS = {
    "kind",
    "name",
    "level",
    "utility",
    "designated_on",
    "description",
    "lead",
    "one_year_target",
    "status",
}


@transaction.atomic
def group_save(*, campaign: Campaign, acting_user: User, group: LeadingGroup | None = None, **fields) -> LeadingGroup:
    require_group_admin(acting_user, campaign)
    group = _apply(group or LeadingGroup(campaign=campaign), fields, GROUP_FIELDS)
    if group.pk is None and "order" not in fields:
        group.order = campaign.leading_groups.count() + 1
    save(group, acting_user)
    return group


@transaction.atomic
def member_save(*, group: LeadingGroup, acting_user: User, member: GroupMember | None = None, **fields) -> GroupMember:
    require_group_admin(acting_user, group.campaign)
    member = _apply(member or GroupMember(group=group), fields, MEMBER_FIELDS)
    if member.pk is None and "order" not in fields:
        member.order = group.members.count() + 1
    save(member, acting_user)
    return member


@transaction.atomic
def member_remove(*, member: GroupMember, acting_user: User) -> None:
    require_group_admin(acting_user, member.group.campaign)
    member._history_user = acting_user
    member.delete()


@transaction.atomic
def duty_save(*, group: LeadingGroup, acting_user: User, duty: OfficeDuty | None = None, **fields) -> OfficeDuty:
    require_group_admin(acting_user, group.campaign)
    duty = _apply(duty or OfficeDuty(group=group), fields, DUTY_FIELDS)
    save(duty, acting_user)
    return duty


@transaction.atomic
def duty_remove(*, duty: OfficeDuty, acting_user: User) -> None:
    require_group_admin(acting_user, duty.group.campaign)
    duty._history_user = acting_user
    duty.delete()


@transaction.atomic
def zone_save(
    *, campaign: Campaign, acting_user: User, zone: DemonstrationZone | None = None, **fields
) -> DemonstrationZone:
    require_group_admin(acting_user, campaign)
    zone = _apply(zone or DemonstrationZone(campaign=campaign), fields, ZONE_FIELDS)
    if zone.utility_id and not campaign.scope.filter(utility_id=zone.utility_id).exists():
        raise ValidationError({"utility": _("The utility is not in the campaign's scope.")})
    save(zone, acting_user)
    return zone
