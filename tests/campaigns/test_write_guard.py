"""The write guard of the campaigns app (`portal.querysets`: `writable_by`, `require_writable`) against the
hand-written rules it replaced, in the tests' world: a regulator managed a campaign its office (or an
office above it) issued — and so wrote its utilities' records; a utility's people and system accounts wrote
the records of their own subtree; an office issued campaigns for itself and the offices below it.

For a utility record a regulator's `writable_by` is its `visible_to`: the utility in the office's jurisdiction
AND the campaign issued in the office's subtree. The rule replaced asked for the campaign only; the two agree
wherever a campaign's scope lies within its office's jurisdiction (every campaign here, and every scope the
pages offer). The one deliberate difference: a regulator office's system account now writes for its office,
as it does everywhere else in the portal (`party_of`)."""

from datetime import date

import pytest

from campaigns import services
from campaigns.models import Campaign, Finding, Inspection, RectificationItem, SelfCheckReport
from portal.choices import Party
from portal.models import Organisation
from tests.campaigns.factories import filled_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world, campaign):
    """Office A's campaign (county X and company Y in scope) and office B's (company B), each utility with a
    report, a finding, a rectification item; an inspection of county X."""
    reg_b = world.user("reg_staff_b")
    other = services.campaign_create(
        owner=world.office_b,
        code="T-B",
        title="华中专项行动",
        start_date=date(2026, 3, 1),
        end_date=date(2026, 12, 31),
        acting_user=reg_b,
    )
    services.campaign_set_scope(campaign=other, organisations=[world.company_b], acting_user=reg_b)
    for c, utility, user in (
        (campaign, world.county_x, "submitter_x"),
        (campaign, world.company_y, "submitter_y"),
        (other, world.company_b, "manager_b"),
    ):
        report = filled_report(world, c, utility=utility, user=world.user(user), declared_organisation=utility.name)
        finding = services.finding_add(report=report, text="问题", acting_user=world.user(user))
        services.rectification_add(
            finding=finding, measure="措施", department="运检部", due_date=None, acting_user=world.user(user)
        )
    services.inspection_create(
        campaign=campaign,
        utility=world.county_x,
        inspected_on=campaign.phases.get(kind="inspection").start_date,
        acting_user=world.user("reg_staff_a"),
    )


def _manages_before(user, campaign_id) -> bool:
    return user.is_superuser or (
        user.is_regulator and Campaign.objects.visible_to(user).filter(pk=campaign_id).exists()
    )


def _managed_before(user, record) -> bool:
    return _manages_before(user, record.campaign_id)


def _filed_before(user, record) -> bool:
    org = user.organisation
    return user.is_superuser or (
        (user.is_utility or user.is_system) and org is not None and record.utility.path.startswith(org.path)
    )


def test_the_guard_writes_what_the_rules_it_replaced_wrote(world, records):
    differ = set()
    for name, user in world.users.items():
        for model in (SelfCheckReport, Finding, RectificationItem, Inspection):
            for party, before in ((Party.REGULATOR, _managed_before), (Party.UTILITY, _filed_before)):
                now = set(model.objects.writable_by(user, party).values_list("pk", flat=True))
                then = {r.pk for r in model.objects.select_related("utility") if before(user, r)}
                if now != then:
                    differ.add((name, model.__name__, party, frozenset(now - then), frozenset(then - now)))
        campaigns_now = set(Campaign.objects.writable_by(user, Party.REGULATOR).values_list("pk", flat=True))
        campaigns_then = {pk for pk in Campaign.objects.values_list("pk", flat=True) if _manages_before(user, pk)}
        if campaigns_now != campaigns_then:
            differ.add((name, "Campaign", Party.REGULATOR, frozenset(campaigns_now - campaigns_then), frozenset()))
    assert {d[0] for d in differ} == {"system_a"}
    assert all(gained and not lost for *_where, gained, lost in differ)  # it gains what office A writes


def test_an_office_issues_campaigns_for_itself_and_the_offices_below_it(world):
    offices = list(Organisation.objects.regulators())
    for name, user in world.users.items():
        org = user.organisation
        before = {o.pk for o in offices if user.is_superuser or (user.is_regulator and o.path.startswith(org.path))}
        now = set(Organisation.objects.writable_by(user, Party.REGULATOR).regulators().values_list("pk", flat=True))
        assert now == before or name == "system_a", name
