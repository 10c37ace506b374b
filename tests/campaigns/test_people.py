"""Leading groups, members, office duties and demonstration zones (issue 11): maintained by the regulator admins of
the issuing office only, audited, through pages and REST."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns import services
from campaigns.models import GroupMember, LeadingGroup

pytestmark = pytest.mark.django_db


def test_only_the_issuing_offices_admins_maintain_groups(world, campaign):
    admin = world.user("reg_admin_a")
    group = services.group_save(
        campaign=campaign,
        acting_user=admin,
        kind="regulator",
        name="居民用电服务质量监管专项行动领导小组",
        office_name="领导小组办公室",
        office_director="林志远",
    )
    for who in ("reg_staff_a", "national_admin", "manager_x"):
        with pytest.raises(PermissionDenied):
            services.member_save(group=group, acting_user=world.user(who), role="member", name="某某")
    leader = services.member_save(group=group, acting_user=admin, role="leader", name="周建平", title="局长")
    services.member_save(group=group, acting_user=admin, role="deputy", name="韩立新", title="副局长")
    services.duty_save(group=group, acting_user=admin, department="综合处", duties="负责综合协调和宣传报道。")
    services.member_remove(member=leader, acting_user=admin)
    assert list(group.members.values_list("name", flat=True)) == ["韩立新"]
    removed = GroupMember.history.filter(name="周建平", history_type="-").get()
    assert removed.history_user == admin  # the removal is audited
    # A utility's own group names a utility in scope.
    with pytest.raises(ValidationError):
        services.group_save(campaign=campaign, acting_user=admin, kind="utility", name="公司领导小组")
    with pytest.raises(ValidationError):
        services.group_save(
            campaign=campaign, acting_user=admin, kind="utility", name="公司领导小组", utility=world.company_b
        )
    own = services.group_save(
        campaign=campaign, acting_user=admin, kind="utility", name="汶源县供电公司领导小组", utility=world.county_x
    )
    assert own.order == 2
    zone = services.zone_save(
        campaign=campaign,
        acting_user=admin,
        kind="优质服务示范区",
        name="汶源县城关镇",
        utility=world.county_x,
        lead="营销部",
        one_year_target="居民报装平均接电时长不超过5个工作日",
    )
    services.zone_save(campaign=campaign, zone=zone, acting_user=admin, status="achieved")
    zone.refresh_from_db()
    assert zone.status == "achieved" and zone.history.count() == 2


def test_pages_and_api(world, campaign, client_for, api):
    admin = client_for(world.user("reg_admin_a"))
    admin.post(
        f"/campaigns/{campaign.pk}/groups/add/",
        {"group-kind": "joint", "group-name": "联合领导小组", "group-organisations": "华北监管局、国网山东省电力公司"},
    )
    group = LeadingGroup.objects.get()
    admin.post(f"/campaigns/groups/{group.pk}/members/", {"member-role": "leader", "member-name": "周建平"})
    admin.post(f"/campaigns/groups/{group.pk}/duties/", {"duty-department": "稽查处", "duty-duties": "检查督查。"})
    html = client_for(world.user("submitter_x")).get(f"/campaigns/{campaign.pk}/groups/").content.decode()
    assert "周建平" in html and "稽查处" in html and 'id="group-form"' not in html
    assert (
        client_for(world.user("reg_staff_a"))
        .post(f"/campaigns/groups/{group.pk}/members/", {"member-role": "member", "member-name": "某"})
        .status_code
        == 403
    )
    r = api(world.user("reg_admin_a")).post(
        "/api/v1/campaign-group-members/", {"group": group.pk, "role": "member", "name": "韩立新"}, format="json"
    )
    assert r.status_code == 201, r.content
    assert api(world.user("reg_staff_a")).delete(f"/api/v1/campaign-group-members/{r.json()['id']}/").status_code == 403
    assert api(world.user("reg_admin_a")).delete(f"/api/v1/campaign-group-members/{r.json()['id']}/").status_code == 204
    bad = api(world.user("reg_admin_a")).post(
        "/api/v1/campaign-zones/",
        {"campaign": campaign.code, "kind": "示范区", "name": "x", "utility": "T-B"},
        format="json",
    )
    assert bad.status_code == 400
    assert api(world.user("reg_staff_b")).get(f"/api/v1/campaign-leading-groups/{group.pk}/").status_code == 404
