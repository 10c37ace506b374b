"""The UI shell: sign-in, the workbench, the calendar page and its explanation, history, i18n."""

import pytest


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    r = client.get("/accounts/login/")
    assert r.status_code == 200
    assert "登录" in r.content.decode()


@pytest.mark.django_db
def test_chinese_even_for_an_english_browser_until_english_is_chosen(client):
    assert "登录" in client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Sign in" in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/calendar/", "/deadlines/", "/violations/", "/notifications/"])
def test_pages_need_login(client, url):
    r = client.get(url)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_dashboard_shows_the_organisation_and_navigation(world, client_for):
    html = client_for(world.user("reg_staff_a")).get("/").content.decode()
    assert "华北监管局" in html
    for label in ("工作台", "专项行动", "投诉举报", "停电信息", "报告", "管理"):
        assert label in html


@pytest.mark.django_db
def test_calendar_page_explains_a_deadline(world, calendar, client_for):
    r = client_for(world.user("reg_staff_a")).get(
        "/calendar/", {"year": 2026, "rule": "complaint.reply", "start": "2026-09-30T14:00"}
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "2026-10-15 23:59:59" in html
    assert "调休上班" in html


@pytest.mark.django_db
def test_calendar_page_warns_when_a_year_is_missing(world, calendar, client_for):
    html = client_for(world.user("reg_staff_a")).get("/calendar/", {"year": 2027}).content.decode()
    assert 'id="calendar-missing"' in html


@pytest.mark.django_db
def test_history_page_is_scoped(world, client_for):
    from portal.models import Organisation

    org = world.company_y
    org.name = "国网河北省电力有限公司（更名）"
    org.save()
    url = f"/history/portal/organisation/{org.pk}/"
    assert client_for(world.user("manager_x")).get(url).status_code == 404
    html = client_for(world.user("manager_y")).get(url).content.decode()
    assert "更名" in html
    assert Organisation.history.filter(id=org.pk).count() == 2


@pytest.mark.django_db
def test_public_pages_need_no_login(client):
    assert client.get("/public/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("next_url", "location"),
    [
        ("https://evil.example/phish", "/violations/"),
        ("//evil.example/phish", "/violations/"),
        ("/\\evil.example", "/violations/"),
        ("javascript:alert(1)", "/violations/"),
        ("/violations/?disposition=pending", "/violations/?disposition=pending"),
    ],
)
def test_dispose_returns_only_to_a_page_of_this_site(world, client_for, next_url, location):
    from datetime import timedelta

    from django.utils import timezone

    from portal.services import violation_record

    v = violation_record(
        subject=world.county_x,
        utility=world.county_x,
        rule=None,
        code="test.next",
        source_class="commitment",
        occurred_at=timezone.now(),
        shortfall=timedelta(hours=1),
    )
    r = client_for(world.user("reg_staff_a")).post(
        f"/violations/{v.pk}/dispose/", {"disposition": "confirmed", "next": next_url}
    )
    assert r.status_code == 302
    assert r["Location"] == location
