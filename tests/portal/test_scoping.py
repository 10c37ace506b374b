"""The one scoping rule, role by role: who sees which organisations' records."""

import pytest

from portal.models import Organisation, TrackedDeadline
from portal.services import deadline_set


def codes(qs) -> set[str]:
    return set(qs.values_list("code", flat=True))


@pytest.mark.parametrize(
    ("username", "sees", "does_not_see"),
    [
        ("operator", {"T-X", "T-Y", "T-B", "T-REG-A", "T-REG-B"}, set()),
        ("national_admin", {"T-X", "T-Y", "T-B"}, set()),
        ("reg_staff_a", {"T-X", "T-X-C", "T-X-C-K", "T-Y", "T-REG-A"}, {"T-B", "T-REG-B", "T-NEA"}),
        ("reg_staff_b", {"T-B", "T-REG-B"}, {"T-X", "T-Y", "T-REG-A"}),
        ("manager_x", {"T-X", "T-X-C", "T-X-C-K"}, {"T-Y", "T-B", "T-REG-A"}),
        ("submitter_x", {"T-X-C-K"}, {"T-X", "T-X-C", "T-Y"}),
        ("manager_y", {"T-Y"}, {"T-X", "T-B"}),
        ("system_x", {"T-X", "T-X-C-K"}, {"T-Y"}),
    ],
)
def test_organisation_visibility(world, username, sees, does_not_see):
    visible = codes(Organisation.objects.visible_to(world.user(username)))
    assert sees <= visible
    assert not (does_not_see & visible)


def test_anonymous_and_orgless_users_see_nothing(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not Organisation.objects.visible_to(AnonymousUser()).exists()
    orphan = django_user_model.objects.create_user("orphan", password="pw-for-tests-1")
    assert not Organisation.objects.visible_to(orphan).exists()


def test_scoped_records_follow_organisation_visibility(world):
    from datetime import timedelta

    from django.utils import timezone

    due = timezone.now() + timedelta(days=3)
    for org in (world.county_x, world.company_y, world.company_b):
        deadline_set(subject=org, utility=org, code="test.deadline", label="t", due=due)
    assert {d.utility.code for d in TrackedDeadline.objects.visible_to(world.user("manager_x"))} == {"T-X-C-K"}
    assert {d.utility.code for d in TrackedDeadline.objects.visible_to(world.user("reg_staff_a"))} == {"T-X-C-K", "T-Y"}
    assert {d.utility.code for d in TrackedDeadline.objects.visible_to(world.user("reg_staff_b"))} == {"T-B"}
    assert not TrackedDeadline.objects.visible_to(world.user("manager_y")).filter(utility=world.county_x).exists()


def test_moving_a_subtree_rewrites_descendant_paths(world):
    city = world.city_x
    city.parent = world.company_y
    city.province = world.province_y
    city.save()
    world.county_x.refresh_from_db()
    assert world.county_x.path == "/T-Y/T-X-C/T-X-C-K/"
    assert "T-X-C-K" in codes(Organisation.objects.visible_to(world.user("manager_y")))
    assert "T-X-C-K" not in codes(Organisation.objects.visible_to(world.user("manager_x")))


def test_supervising_regulators(world):
    supervising = codes(Organisation.objects.supervising(world.county_x))
    assert supervising == {"T-NEA", "T-REG-A"}
