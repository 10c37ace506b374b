"""The utility filter suggests, as one types, the organisations the user may see — by code and name — and no
other (issue 20: filters asked for organisation codes as free text)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _suggested(html: str) -> dict[str, str]:
    box = re.search(r'<datalist id="id_utility-options">(.*?)</datalist>', html, re.S)
    assert box, "no type-ahead on the utility filter"
    return dict(re.findall(r'<option value="([^"]*)">([^<]*)</option>', box.group(1)))


@pytest.mark.parametrize("path", ["/complaints/", "/outages/", "/violations/", "/deadlines/"])
def test_the_utility_filter_suggests_only_visible_organisations(world, client_for, path):
    page = client_for(world.user("reg_staff_b")).get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'list="id_utility-options"' in html
    suggested = _suggested(html)
    assert suggested.get("T-B") == world.company_b.name
    assert "T-X-C-K" not in suggested and "T-Y" not in suggested  # office A's utilities: not office B's


def test_a_utility_person_is_offered_its_own_subtree(world, client_for):
    suggested = _suggested(client_for(world.user("manager_x")).get("/complaints/").content.decode())
    assert "T-X-C-K" in suggested and "T-B" not in suggested and "T-Y" not in suggested
