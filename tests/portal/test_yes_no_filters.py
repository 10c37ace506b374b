"""A yes/no filter reads 全部 / 是 / 否 on every list (Django's select said 未知 for "not filtered", issue 20), and
its choices still filter."""

import pytest
from django.utils import translation

from tests.complaints.factories import ComplaintFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/complaints/", "/campaigns/rectification/", "/campaigns/large-customers/"])
def test_yes_no_filters_read_any_yes_no(world, client_for, path):
    with translation.override("zh-hans"):
        page = client_for(world.user("reg_staff_a")).get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="unknown"' in html and "全部</option>" in html
    assert "未知" not in html


def test_the_choices_still_filter(world, client_for):
    ComplaintFactory(utility=world.county_x, appeal_count=0)
    client = client_for(world.user("reg_staff_a"))
    everything = client.get("/complaints/?scope=all&appealed=unknown").context["list_total"]
    assert everything >= 1
    assert client.get("/complaints/?scope=all&appealed=true").context["list_total"] < everything
