"""Row ids given as text (a drill-down's `?utility=`, a keyset cursor's `?before=`, a page number): anything but
ASCII digits is no id — "²".isdigit() is true and int() of it fails, which was a 500."""

import pytest

from portal.paging import row_id

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["²", "٣", "1²", "-1", "", None, "9" * 19, " 1"])
def test_what_is_not_a_row_id(text):
    assert row_id(text) is None


def test_a_row_id():
    assert row_id("42") == 42


@pytest.mark.parametrize(
    "path",
    [
        "/complaints/",
        "/complaints/connections/",
        "/complaints/meters/",
        "/outages/arrears/",
        "/campaigns/large-customers/",
    ],
)
@pytest.mark.parametrize("query", ["utility=²", "before=²", "before=٣&n=²", "n=1²"])
def test_lists_answer_odd_ids_with_the_first_page(world, client_for, path, query):
    assert client_for(world.user("reg_staff_a")).get(f"{path}?{query}").status_code == 200
