"""The REST foundation: calculator endpoints, JSON errors, scoping, schema and docs without a CDN."""

import pytest


@pytest.mark.django_db
def test_deadline_endpoint_matches_the_command(world, calendar, api):
    r = api(world.user("manager_x")).get(
        "/api/v1/calendar/deadline/", {"rule": "complaint.reply", "start": "2026-09-30T14:00:00+08:00"}
    )
    assert r.status_code == 200
    assert r.json()["due"] == "2026-10-15T23:59:59.999999+08:00"
    assert r.json()["source_class"] == "commitment"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"rule": "nope", "start": "2026-09-30T14:00:00+08:00"}, "rule"),
        ({"rule": "complaint.reply", "start": "not-a-time"}, "start"),
        ({"rule": "complaint.reply"}, "start"),
        ({"start": "2026-09-30T14:00:00+08:00"}, "rule"),
        ({"rule": "complaint.reply", "start": "2026-09-30T14:00:00+08:00", "province": "99"}, "province"),
    ],
)
def test_deadline_endpoint_bad_input_is_400_with_field_messages(world, calendar, api, params, field):
    r = api(world.user("manager_x")).get("/api/v1/calendar/deadline/", params)
    assert r.status_code == 400
    assert field in r.json()["errors"]


@pytest.mark.django_db
def test_provincial_rule_version_applies_only_in_its_province(world, calendar, api):
    client = api(world.user("reg_staff_a"))
    start = "2026-06-01T10:00:00+08:00"
    r = client.get(
        "/api/v1/calendar/deadline/", {"rule": "complaint.contact.provincial", "start": start, "province": "37"}
    )
    assert r.status_code == 200 and r.json()["due"] == "2026-06-02T10:00:00+08:00"
    r = client.get(
        "/api/v1/calendar/deadline/", {"rule": "complaint.contact.provincial", "start": start, "province": "13"}
    )
    assert r.status_code == 400


@pytest.mark.django_db
def test_notice_check_endpoint(world, calendar, api):
    r = api(world.user("manager_x")).get(
        "/api/v1/calendar/notice-check/",
        {"kind": "planned", "notice": "2026-03-03T09:00:00+08:00", "start": "2026-03-10T08:00:00+08:00"},
    )
    assert r.status_code == 200 and r.json()["state"] == "borderline"


@pytest.mark.django_db
def test_anonymous_gets_401_or_403(api):
    r = api().get("/api/v1/calendar/deadline/", {"rule": "complaint.reply", "start": "2026-09-30T14:00:00+08:00"})
    assert r.status_code in (401, 403)


@pytest.mark.django_db
def test_organisations_api_is_scoped(world, api):
    r = api(world.user("manager_x")).get("/api/v1/organisations/")
    assert {o["code"] for o in r.json()} == {"T-X", "T-X-C", "T-X-C-K"}
    r = api(world.user("manager_x")).get(f"/api/v1/organisations/{world.company_y.pk}/")
    assert r.status_code == 404


@pytest.mark.django_db
def test_token_authentication(world, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=world.user("system_x"))
    r = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert r.status_code == 200 and r.json()["organisation"] == "T-X"
    token.delete()
    refused = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 401 and refused.json()["detail"] == "认证令牌无效。"


@pytest.mark.django_db
def test_a_caller_is_read_with_its_organisation_in_one_query(world, client):
    """Every page and API call scopes by the caller's organisation: it comes with the token or the session's
    user, not as a query of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token

    user = world.user("system_x")
    token = Token.objects.create(user=user)
    by_pk = f'"portal_organisation"."id" = {user.organisation_id}'
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200
    assert not [q for q in ctx.captured_queries if by_pk in q["sql"] and "authtoken_token" not in q["sql"]]
    person = world.user("manager_x")
    client.force_login(person)
    by_pk = f'"portal_organisation"."id" = {person.organisation_id}'
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/me/").status_code == 200
    assert not [q for q in ctx.captured_queries if by_pk in q["sql"] and "portal_user" not in q["sql"]]


@pytest.mark.django_db
def test_schema_and_docs_are_served_without_a_cdn(world, client):
    client.force_login(world.user("reg_staff_a"))
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"openapi: 3" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()


@pytest.mark.django_db
def test_rules_catalogue_lists_seeded_ids(world, api):
    codes = {r["code"] for r in api(world.user("manager_x")).get("/api/v1/rules/").json()}
    expected = {
        "complaint.contact",
        "complaint.reply",
        "complaint.reply.statutory",
        "meter.test_result",
        "meter.abnormal_reading",
        "connection.scheme_reply.residential",
        "connection.scheme_reply.low_voltage",
        "connection.scheme_reply.hv_single",
        "connection.scheme_reply.hv_dual",
        "connection.power_on.residential",
        "connection.power_on.non_residential",
        "connection.getting_electricity.residential",
        "connection.getting_electricity.small_business",
        "arrears.reconnection",
        "repair.arrival.urban",
        "repair.arrival.rural",
        "repair.arrival.remote",
        "repair.arrival.statutory.urban",
        "repair.arrival.statutory.rural",
        "repair.arrival.statutory.remote",
        "restoration.after_cause_removed",
        "outage.notice.planned",
        "outage.notice.temporary",
        "outage.notice.restriction",
        "outage.notice.arrears",
    }
    assert expected <= codes
