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
