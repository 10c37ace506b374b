"""Pages of a campaign's people and places (issue 11): the leading groups with their members and office duties,
and the demonstration zones — read by whoever sees the campaign, maintained by the regulator admins of the
issuing office (`campaigns.services.people`: 403 with the reason for anyone else)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns import forms as f
from campaigns import services
from campaigns.models import DemonstrationZone, GroupMember, LeadingGroup, OfficeDuty
from campaigns.services.people import require_group_admin
from campaigns.views.common import apply_form, visible_campaign


def _back(campaign, anchor=""):
    return redirect(reverse("campaigns:people", args=[campaign.pk]) + (f"#{anchor}" if anchor else ""))


def _is_admin(user, campaign) -> bool:
    try:
        require_group_admin(user, campaign)
    except PermissionDenied:
        return False
    return True


@login_required
def people(request, pk: int):
    campaign = visible_campaign(request, pk)
    admin = _is_admin(request.user, campaign)
    groups = campaign.leading_groups.select_related("utility").prefetch_related(
        Prefetch("members", queryset=GroupMember.objects.order_by("order", "pk")), "duties"
    )
    context = {
        "campaign": campaign,
        "is_admin": admin,
        "groups": groups,
        "zones": campaign.zones.select_related("utility"),
    }
    if admin:
        context |= {
            "group_form": f.GroupForm(campaign=campaign, prefix="group"),
            "member_form": f.MemberForm(prefix="member"),
            "duty_form": f.DutyForm(prefix="duty"),
            "zone_form": f.ZoneForm(campaign=campaign, prefix="zone"),
        }
    return render(request, "campaigns/people.html", context)


def _group(request, group_pk) -> LeadingGroup:
    return get_object_or_404(LeadingGroup.objects.visible_to(request.user).select_related("campaign"), pk=group_pk)


@login_required
@require_POST
def group_add(request, pk: int):
    campaign = visible_campaign(request, pk)
    require_group_admin(request.user, campaign)
    form = f.GroupForm(request.POST, campaign=campaign, prefix="group")
    apply_form(
        request,
        form,
        lambda **data: services.group_save(campaign=campaign, acting_user=request.user, **data),
        _("Leading group saved."),
    )
    return _back(campaign, "groups")


@login_required
@require_POST
def group_edit(request, group_pk: int):
    group = _group(request, group_pk)
    require_group_admin(request.user, group.campaign)
    form = f.GroupForm(
        request.POST, campaign=group.campaign, prefix="group", instance=LeadingGroup(campaign=group.campaign)
    )
    apply_form(
        request,
        form,
        lambda **data: services.group_save(campaign=group.campaign, group=group, acting_user=request.user, **data),
        _("Leading group saved."),
    )
    return _back(group.campaign, f"group-{group.pk}")


@login_required
@require_POST
def member_add(request, group_pk: int):
    group = _group(request, group_pk)
    require_group_admin(request.user, group.campaign)
    form = f.MemberForm(request.POST, prefix="member")
    apply_form(
        request,
        form,
        lambda **data: services.member_save(group=group, acting_user=request.user, **data),
        _("Member added."),
    )
    return _back(group.campaign, f"group-{group.pk}")


@login_required
@require_POST
def member_remove(request, member_pk: int):
    member = get_object_or_404(
        GroupMember.objects.visible_to(request.user).select_related("group__campaign"), pk=member_pk
    )
    services.member_remove(member=member, acting_user=request.user)
    messages.success(request, _("Member removed."))
    return _back(member.group.campaign, f"group-{member.group_id}")


@login_required
@require_POST
def duty_add(request, group_pk: int):
    group = _group(request, group_pk)
    require_group_admin(request.user, group.campaign)
    form = f.DutyForm(request.POST, prefix="duty")
    apply_form(
        request,
        form,
        lambda **data: services.duty_save(group=group, acting_user=request.user, **data),
        _("Office duty saved."),
    )
    return _back(group.campaign, f"group-{group.pk}")


@login_required
@require_POST
def duty_remove(request, duty_pk: int):
    duty = get_object_or_404(OfficeDuty.objects.visible_to(request.user).select_related("group__campaign"), pk=duty_pk)
    services.duty_remove(duty=duty, acting_user=request.user)
    messages.success(request, _("Office duty removed."))
    return _back(duty.group.campaign, f"group-{duty.group_id}")


@login_required
@require_POST
def zone_add(request, pk: int):
    campaign = visible_campaign(request, pk)
    require_group_admin(request.user, campaign)
    form = f.ZoneForm(request.POST, campaign=campaign, prefix="zone")
    apply_form(
        request,
        form,
        lambda **data: services.zone_save(campaign=campaign, acting_user=request.user, **data),
        _("Demonstration zone saved."),
    )
    return _back(campaign, "zones")


@login_required
@require_POST
def zone_edit(request, zone_pk: int):
    zone = get_object_or_404(DemonstrationZone.objects.visible_to(request.user).select_related("campaign"), pk=zone_pk)
    require_group_admin(request.user, zone.campaign)
    form = f.ZoneForm(
        request.POST, campaign=zone.campaign, prefix="zone", instance=DemonstrationZone(campaign=zone.campaign)
    )
    apply_form(
        request,
        form,
        lambda **data: services.zone_save(campaign=zone.campaign, zone=zone, acting_user=request.user, **data),
        _("Demonstration zone saved."),
    )
    return _back(zone.campaign, "zones")
