"""Issue 20 over the demo world (what a person sees on day one): the county submitter's and the regulator's
worklists agree with their lists, in Chinese and English, at 1440 and 390 px (test-artifacts/issue20/)."""

import re

import pytest
from django.core.management import call_command

from portal.models import User
from portal.worklist import work_counts
from tests.portal.test_browser_worklist import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(reference_data):
    call_command("load_demo")
    for user in User.objects.filter(username__in=["yd_submitter", "sd_staff", "nc_staff"]):
        user.set_password("pw-for-tests-1")
        user.save()
    return {u.username: u for u in User.objects.filter(username__in=["yd_submitter", "sd_staff", "nc_staff"])}


@pytest.mark.parametrize("username", ["yd_submitter", "nc_staff"])
def test_demo_worklists_agree_with_their_lists_in_both_languages(demo, browser_as, username):
    user = demo[username]
    counts = {c.kind.key: c.count for c in work_counts(user)}
    assert sum(counts.values()) > 0
    page = browser_as(user)
    for key, n in counts.items():
        shown = page.inner_text(f"#work-count-{key} .count")
        assert int(shown) == n, key
    shoot(page, f"demo-home-{username}-zh")
    for key, n in counts.items():
        if 0 < n <= 200:
            page.goto(f"{page.base}/worklist/?kind={key}")
            assert page.locator("tr.worklist-item").count() == n, key
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.base}])
    page.goto(f"{page.base}/worklist/")
    text = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    assert "My to-do" in text
    assert not re.search(r"[\u4e00-\u9fff]{2,}(?:待办|超期未报)", page.inner_text("#worklist-table thead"))
    shoot(page, f"demo-worklist-{username}-en")
    if username == "nc_staff":
        page.goto(f"{page.base}/violations/?disposition=pending")
        shoot(page, "demo-violations-en")
        page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": page.base}])
        page.goto(f"{page.base}/notifications/")
        shoot(page, "demo-notifications-zh")
