"""Every URL the portal routes, walked from the URL resolver: nothing outside the public pages answers an
anonymous visitor, and nothing answers a signed-in user with a server error.

The table in test_permission_matrix.py states the exact answer per role for each page; this test makes sure
a page added later cannot forget its login check, because it is found by walking the routes, not listed.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

# Pages meant for everyone: the public site, sign-in and password reset, language switch, health check.
PUBLIC = re.compile(r"^/(public/|accounts/(login|logout|password_reset|reset/)|i18n/|healthz)")
# Pages that need only a signed-in user to answer 200 on GET (lists, workbench, forms).
SAMPLE = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000001"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + _concrete(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + _concrete(entry.pattern)


def _concrete(pattern) -> str:
    text = str(pattern)
    if "drf_format_suffix" in text:
        return "\0"
    if text.startswith("^"):  # regex routes (DRF routers): drop format-suffix variants, fill named groups
        if "(?P<format>" in text:
            return "\0"
        text = re.sub(r"\(\?P<\w+>[^)]*\)", "1", text).strip("^$").replace("\\.", ".")
        if any(ch in text for ch in "()[]?*+\\"):
            return "\0"
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "x"), text)


def _paths() -> list[str]:
    paths = sorted({"/" + p for p in _walk(get_resolver().url_patterns) if "\0" not in p and "(" not in p})
    return [p for p in paths if not p.startswith("/admin/")]


PATHS = _paths()


def test_the_walk_finds_the_apps():
    for expected in ("/campaigns/", "/outages/", "/api/v1/deadlines/", "/public/", "/history/x/x/1/"):
        assert expected in PATHS


@pytest.mark.django_db
@pytest.mark.parametrize("path", [p for p in PATHS if not PUBLIC.match(p)])
def test_anonymous_is_refused_everywhere_but_public(client, path):
    for method in ("get", "post"):
        response = getattr(APIClient() if path.startswith("/api/") else client, method)(path)
        if path.startswith("/api/"):
            assert response.status_code in (401, 403), f"{method.upper()} {path}: {response.status_code}"
        else:
            assert response.status_code == 302, f"{method.upper()} {path}: {response.status_code}"
            assert response["Location"].startswith("/accounts/login/"), response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["reg_staff_b", "submitter_y"])
def test_no_route_fails_for_a_signed_in_user(world, calendar, client_for, api, role):
    user = world.user(role)
    failures = []
    for path in PATHS:
        if path.startswith("/accounts/logout"):
            continue
        response = (api(user) if path.startswith("/api/") else client_for(user)).get(path)
        if response.status_code >= 500:
            failures.append(f"GET {path}: {response.status_code}")
    assert not failures, failures
