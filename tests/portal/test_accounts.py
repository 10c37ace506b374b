"""Accounts: tokens per system account with revocation, login throttling, CSP and session settings."""

import re

import pytest
from django.test import override_settings
from rest_framework.authtoken.models import Token


@pytest.mark.django_db
def test_manager_issues_rotates_and_revokes_a_token_and_it_is_audited(world, client_for, client):
    c = client_for(world.user("manager_x"))
    account = world.user("system_x")
    assert c.post(f"/accounts/tokens/{account.pk}/issue/").status_code == 302
    key = Token.objects.get(user=account).key
    assert key in c.get("/accounts/tokens/").content.decode()  # shown once
    assert key not in c.get("/accounts/tokens/").content.decode()
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    c.post(f"/accounts/tokens/{account.pk}/revoke/")
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    reasons = list(account.history.values_list("history_change_reason", "history_user__username"))
    assert ("API token issued", "manager_x") in reasons and ("API token revoked", "manager_x") in reasons


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "status"), [("submitter_x", 403), ("manager_y", 404), ("reg_staff_a", 403)])
def test_token_management_is_limited_to_managers_of_the_organisation(world, client_for, username, status):
    account = world.user("system_x")
    assert client_for(world.user(username)).post(f"/accounts/tokens/{account.pk}/issue/").status_code == status
    assert not Token.objects.filter(user=account).exists()


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_login_is_throttled_after_repeated_failures(world, client):
    for _ in range(3):
        client.post("/accounts/login/", {"username": "manager_x", "password": "wrong-password"})
    r = client.post("/accounts/login/", {"username": "manager_x", "password": "pw-for-tests-1"})
    assert r.status_code == 429
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.filter(username="manager_x").exists()


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_successful_logins_are_audited(world, client):
    from axes.models import AccessLog

    client.post("/accounts/login/", {"username": "manager_x", "password": "pw-for-tests-1"})
    assert AccessLog.objects.filter(username="manager_x").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/", "/calendar/", "/api/v1/docs/", "/public/"])
def test_pages_have_a_csp_and_no_inline_script(world, client_for, url):
    r = client_for(world.user("reg_admin_a")).get(url)
    assert r.status_code == 200
    assert "script-src 'self'" in r["Content-Security-Policy"]
    scripts = re.findall(r"<script\b[^>]*>", r.content.decode())
    assert scripts and all("src=" in tag for tag in scripts)


def test_session_and_cookie_settings():
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.X_FRAME_OPTIONS == "DENY"
    assert any("MinimumLength" in v["NAME"] for v in settings.AUTH_PASSWORD_VALIDATORS)


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, LOGIN_ADDRESS_FAILURE_LIMIT=4)
def test_password_spraying_from_one_address_is_throttled(world, client):
    """One wrong guess against each of many accounts never trips the per-user lockout; the per-address
    throttle stops the address, and only that address."""
    from django.core.cache import cache
    from django.test import Client

    cache.clear()
    for name in ("reg_admin_a", "reg_staff_a", "manager_y", "submitter_y"):
        r = client.post("/accounts/login/", {"username": name, "password": "Spring2026!"}, REMOTE_ADDR="10.0.0.9")
        assert r.status_code == 200  # the form again: wrong password
    r = client.post("/accounts/login/", {"username": "manager_x", "password": "pw-for-tests-1"}, REMOTE_ADDR="10.0.0.9")
    assert r.status_code == 429  # even the right password, from this address
    other = Client().post(
        "/accounts/login/", {"username": "manager_x", "password": "pw-for-tests-1"}, REMOTE_ADDR="10.0.0.10"
    )
    assert other.status_code == 302  # another address signs in


def _api_status(client, key: str) -> int:
    return client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "account", "status"),
    [
        ("manager_x", "system_x", 302),  # its own organisation: custody
        ("reg_admin_a", "system_a", 302),  # an office's own account
        ("operator", "system_x", 302),
        ("reg_admin_a", "system_x", 403),  # supervises company X, never holds its key
        ("national_admin", "system_x", 403),
        ("manager_x", "system_a", 404),
    ],
)
def test_only_the_accounts_own_organisation_issues_rotates_and_revokes(world, client_for, username, account, status):
    target = world.user(account)
    c = client_for(world.user(username))
    assert c.post(f"/accounts/tokens/{target.pk}/issue/").status_code == status
    assert Token.objects.filter(user=target).exists() is (status == 302)
    Token.objects.get_or_create(user=target)
    assert c.post(f"/accounts/tokens/{target.pk}/revoke/").status_code == status
    assert Token.objects.filter(user=target).exists() is (status != 302)


@pytest.mark.django_db
def test_a_regulator_suspends_and_resumes_an_integration_without_seeing_its_key(world, client_for, client):
    account = world.user("system_x")
    key = Token.objects.create(user=account).key
    regulator = client_for(world.user("reg_admin_a"))
    page = regulator.get("/accounts/tokens/").content.decode()
    row = page.split(f'id="account-{account.pk}"', 1)[1].split("</tr>", 1)[0]  # the utility's account
    assert "system_x" in row and key[-4:] not in row and "/issue/" not in row and "/revoke/" not in row
    assert "暂停对接" in page  # the action, in the default language
    assert regulator.post(f"/accounts/tokens/{account.pk}/suspend/", {"reason": ""}).status_code == 302
    assert _api_status(client, key) == 200  # no reason, no suspension
    assert regulator.post(f"/accounts/tokens/{account.pk}/suspend/", {"reason": "数据异常核查"}).status_code == 302
    assert _api_status(client, key) == 401
    assert key not in regulator.get("/accounts/tokens/").content.decode()
    assert Token.objects.get(user=account).key == key  # the key is neither shown nor changed
    assert regulator.post(f"/accounts/tokens/{account.pk}/resume/").status_code == 302
    assert _api_status(client, key) == 200
    reasons = list(account.history.values_list("history_change_reason", "history_user__username"))
    assert ("Integration suspended: 数据异常核查", "reg_admin_a") in reasons
    assert ("Integration resumed", "reg_admin_a") in reasons


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "status"), [("manager_x", 403), ("reg_staff_a", 403), ("manager_y", 404)])
def test_only_regulator_admins_suspend(world, client_for, client, username, status):
    account = world.user("system_x")
    key = Token.objects.create(user=account).key
    url = f"/accounts/tokens/{account.pk}/suspend/"
    assert client_for(world.user(username)).post(url, {"reason": "x"}).status_code == status
    assert _api_status(client, key) == 200


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_a_system_account_cannot_sign_in_or_hold_a_session(world, client, client_for):
    account = world.user("system_x")
    assert account.check_password("pw-for-tests-1")  # even with a password set some other way
    r = client.post("/accounts/login/", {"username": "system_x", "password": "pw-for-tests-1"})
    assert r.status_code == 200 and "_auth_user_id" not in client.session
    forced = client_for(account)  # a session naming the account, however it was made
    assert forced.get("/").status_code == 302
    assert forced.get("/api/v1/me/").status_code in (401, 403)
    assert client_for(world.user("manager_x")).get("/").status_code == 200


@pytest.mark.django_db
def test_issuing_a_token_leaves_no_usable_password(world, client_for):
    account = world.user("system_x")
    client_for(world.user("manager_x")).post(f"/accounts/tokens/{account.pk}/issue/")
    account.refresh_from_db()
    assert not account.has_usable_password()


@pytest.mark.django_db
def test_demo_system_accounts_have_no_password(reference_data):
    from portal.demo import DEMO_PASSWORD, load
    from portal.models import User

    load()
    for name in ("sys_95598_sd", "sys_12398"):
        assert not User.objects.get(username=name).has_usable_password()
    assert User.objects.get(username="nc_admin").check_password(DEMO_PASSWORD)
