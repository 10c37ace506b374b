"""The published OpenAPI schema promises what the API answers: every error status in its envelope, null where
null is sent, a JSON 404 for any path that names no operation, lists paginated only where they are."""

import re

import pytest

from portal.models import Organisation
from tests.complaints.factories import push, recent


@pytest.fixture
def schema(world, api):
    response = api(world.user("reg_admin_a")).get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_every_operation_publishes_its_error_answers_in_the_error_envelope(schema):
    envelope = {"$ref": "#/components/schemas/Error"}
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"detail", "errors"}
    seen = 0
    for path, method, operation in _operations(schema):
        codes = operation["responses"]
        assert {"401", "403"} <= set(codes), (method, path)
        if method != "get":
            assert "400" in codes, (method, path)  # bad input, or a step the record's state refuses
        if "{" in path:
            assert "404" in codes, (method, path)
        for code, answer in codes.items():
            if code == "414":  # written by the HTTP server, not the portal (test_faults: the request line)
                assert answer["content"] == {"text/html": {"schema": {"type": "string"}}}, (method, path)
            elif int(code) >= 400:
                assert answer["content"]["application/json"]["schema"] == envelope, (method, path, code)
                seen += 1
    assert seen > 200


def test_the_request_line_limit_is_published_where_a_client_chooses_the_url(schema):
    responses = schema["paths"]["/api/v1/complaints/"]["get"]["responses"]
    assert "8,190" in responses["414"]["description"]
    assert "414" in schema["paths"]["/api/v1/complaints/{id}/"]["get"]["responses"]
    assert "414" not in schema["paths"]["/api/v1/complaints/bulk/"]["post"]["responses"]


def test_intake_retries_that_conflict_are_published_as_409(schema):
    assert "409" in schema["paths"]["/api/v1/complaints/"]["post"]["responses"]
    assert "409" in schema["paths"]["/api/v1/outage-notices/"]["post"]["responses"]
    assert "409" in schema["paths"]["/api/v1/self-check-reports/"]["post"]["responses"]
    assert "409" not in schema["paths"]["/api/v1/complaints/{id}/"]["get"]["responses"]


def test_a_step_the_state_refuses_is_a_published_409_and_a_bad_body_a_400(world, calendar, api, schema):
    assert "409" in schema["paths"]["/api/v1/complaints/{id}/reply/"]["post"]["responses"]
    ticket = push(world.user("system_x"), received_at=recent(1))
    before = ticket.status
    client = api(world.user("submitter_x"))
    refused = client.post(f"/api/v1/complaints/{ticket.pk}/close/", {}, format="json")
    assert refused.status_code == 409 and "status" in refused.json()["errors"]
    bad = client.post(f"/api/v1/complaints/{ticket.pk}/reply/", {}, format="json")
    assert bad.status_code == 400 and "opinion" in bad.json()["errors"]
    ticket.refresh_from_db()
    assert ticket.status == before  # neither answer changed anything


def test_a_column_that_may_be_empty_is_published_as_nullable_and_is_sent_as_null(world, api, schema):
    organisation = schema["components"]["schemas"]["Organisation"]["properties"]
    assert organisation["parent"].get("nullable") is True  # the top of the tree has no parent
    assert organisation["code"].get("nullable") is not True
    user = world.user("reg_admin_a")
    top = Organisation.objects.visible_to(user).filter(parent__isnull=True).first()
    body = api(user).get(f"/api/v1/organisations/{top.pk}/").json()
    assert body["parent"] is None


def test_an_optional_relation_that_reads_back_null_is_published_nullable_in_the_answer_only(world, api, schema):
    """A finding of a standalone programme has no campaign (and one of a campaign no programme): the answer
    sends null, so the answer's schema says so; the request still takes a code or nothing, not null."""
    from campaigns.services import finding_add
    from tests.campaigns.test_programmes import make_programme

    components = schema["components"]["schemas"]
    for name in ("campaign", "programme"):
        assert components["Finding"]["properties"][name].get("nullable") is True
        assert components["FindingRequest"]["properties"][name].get("nullable") is not True
    user = world.user("reg_admin_a")
    programme = make_programme(world)
    finding = finding_add(
        text="客户投诉处理进度慢",
        acting_user=user,
        programme=programme,
        utility=world.company_x,
        source="consumer_review",
    )
    body = api(user).get(f"/api/v1/campaign-findings/{finding.pk}/").json()
    assert body["campaign"] is None and body["programme"] == programme.code


def test_a_list_served_whole_is_not_published_as_a_page(world, api, schema):
    years = schema["paths"]["/api/v1/calendar/years/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert years["schema"]["type"] == "array"
    assert isinstance(api(world.user("reg_admin_a")).get("/api/v1/calendar/years/").json(), list)
    rates = schema["paths"]["/api/v1/outage-notices/rates/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert rates["schema"]["type"] == "array"


@pytest.mark.parametrize(
    "path", ["/api/v1/campaign-phases/1.5e-45/", "/api/v1/no-such-thing/", "/api/v1/complaints/x/y/"]
)
def test_a_path_that_names_no_operation_answers_the_json_404(world, api, path):
    for client in (api(world.user("reg_admin_a")), api()):
        response = client.post(path, {}, format="json")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"detail": response.json()["detail"], "errors": {}}


@pytest.mark.parametrize("size", ["0", "501", "null", "-1", "2.5", "１０"])
def test_a_page_size_out_of_its_published_range_is_refused_not_ignored(world, api, schema, size):
    published = next(p for p in schema["paths"]["/api/v1/violations/"]["get"]["parameters"] if p["name"] == "page_size")
    assert published["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}
    response = api(world.user("reg_admin_a")).get(f"/api/v1/violations/?page_size={size}")
    assert response.status_code == 400 and "page_size" in response.json()["errors"]


def test_a_page_size_in_range_is_served(world, calendar, api):
    for n in range(3):
        push(world.user("system_x"), received_at=recent(1), external_id=f"PAGE-{n}")
    response = api(world.user("reg_admin_a")).get("/api/v1/complaints/?page_size=2")
    assert response.status_code == 200 and len(response.json()["results"]) == 2 and response.json()["next"]


def test_instant_filters_publish_the_range_the_api_accepts(world, api, schema):
    published = next(
        p for p in schema["paths"]["/api/v1/violations/"]["get"]["parameters"] if p["name"] == "occurred_after"
    )
    pattern = re.compile(published["schema"]["pattern"])
    client = api(world.user("reg_admin_a"))
    for value in [
        "2026-09-30T14:00:00+08:00",
        "2026-09-30T06:00:00Z",
        "2099-12-31T23:59:59.5-14:00",
        "2026-09-30T14:00",
    ]:
        assert pattern.match(value)
        assert client.get("/api/v1/violations/", {"occurred_after": value}).status_code == 200
    for value in ["1999-12-31T23:00:00Z", "2101-01-01T00:00:00Z", "2026-09-30T14:00:00-19:35", "2026-13-01T00:00Z"]:
        assert not pattern.match(value)
        assert client.get("/api/v1/violations/", {"occurred_after": value}).status_code == 400


def test_a_date_is_a_real_day_of_1901_to_2099_as_published_and_a_campaign_runs_in_the_portals_years(
    world, calendar, api, schema
):
    """Found by the long contract run: a campaign dated 0161 was accepted, and its deadlines were echoed at
    +08:05:43 (Shanghai's local mean time before 1901), off the published date-time format."""
    from campaigns.models import Campaign
    from portal.filtersets import DATE_PATTERN
    from portal.models import TrackedDeadline

    request = schema["components"]["schemas"]["CampaignCreateRequest"]["properties"]["start_date"]
    assert request["pattern"] == DATE_PATTERN and "format" not in request
    client = api(world.user("reg_admin_a"))
    deadlines = TrackedDeadline.objects.count()
    for start, field in [("0161-07-04", "start_date"), ("1900-12-31", "start_date"), ("2026-9-3", "start_date")]:
        body = {"code": f"D-{start}", "title": "专项行动", "start_date": start, "end_date": "2026-12-31"}
        response = client.post("/api/v1/campaigns/", body, format="json")
        assert response.status_code == 400 and field in response.json()["errors"], (start, response.json())
    # A real day of 1901–2099 passes the format; a campaign is still held to the portal's years (2000–2100).
    body = {"code": "D-1950", "title": "专项行动", "start_date": "1950-01-01", "end_date": "2026-12-31"}
    response = client.post("/api/v1/campaigns/", body, format="json")
    assert response.status_code == 400 and "2000" in response.json()["errors"]["start_date"][0]
    assert not Campaign.objects.filter(code__startswith="D-").exists()
    assert TrackedDeadline.objects.count() == deadlines


def test_an_operator_who_belongs_to_no_organisation_is_asked_to_name_one_not_answered_500(world, api):
    client = api(world.user("operator"))
    body = {"code": "OP-1", "title": "运营人员创建", "start_date": "2026-01-01", "end_date": "2026-12-31"}
    response = client.post("/api/v1/campaigns/", body, format="json")
    assert response.status_code == 400 and "owner" in response.json()["errors"]
    response = client.post("/api/v1/self-check-reports/", {"campaign": "OP-1"}, format="json")
    assert response.status_code == 400


def test_a_finding_reads_back_every_source_the_schema_publishes(schema):
    # A self-check's finding is read back as "self_check": the published enum must hold it.
    published = schema["components"]["schemas"]["Finding"]["properties"]["source"]
    ref = published.get("$ref") or published["allOf"][0]["$ref"]
    enum = schema["components"]["schemas"][ref.split("/")[-1]]["enum"]
    assert {"self_check", "inspection", "consumer_review", "unannounced_check", "complaints_analysis"} == set(enum)


@pytest.mark.parametrize(
    "query",
    ["provisional=null", "provisional=1", "provisional=", "provisional=true&provisional=false", "code=x&status="],
)
def test_a_query_value_its_published_type_excludes_is_refused(world, api, schema, query):
    published = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/deadlines/"]["get"]["parameters"]}
    assert published["provisional"]["type"] == "boolean"
    response = api(world.user("operator")).get(f"/api/v1/deadlines/?{query}")
    assert response.status_code == 400
    assert set(response.json()["errors"]) & {"provisional", "status"}


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("kind=&start=2026-09-30T14:00:00%2B08:00", "kind"),
        ("kind=planned&kind=temporary&start=2026-09-30T14:00:00%2B08:00", "kind"),
        ("kind=planned&start=", "start"),
    ],
)
def test_an_action_reading_its_query_through_a_serializer_refuses_what_the_schema_excludes(world, api, query, name):
    client = api(world.user("operator"))
    response = client.get(f"/api/v1/calendar/notice-check/?{query}")
    assert response.status_code == 400 and set(response.json()["errors"]) == {name}
    # a text parameter published without minLength keeps its empty value
    kept = client.get("/api/v1/calendar/notice-check/?kind=planned&start=2026-09-30T14:00:00%2B08:00&notice=&province=")
    assert kept.status_code == 200, kept.content


def test_a_filter_on_an_id_is_a_published_integer_and_an_unknown_id_matches_nothing(world, api, schema):
    params = schema["paths"]["/api/v1/complaints/"]["get"]["parameters"]
    case = next(p["schema"] for p in params if p["name"] == "case")
    assert case["type"] == "integer" and case["minimum"] == 1
    client = api(world.user("operator"))
    assert client.get("/api/v1/complaints/?case=0.5").status_code == 400
    members = client.get("/api/v1/campaign-group-members/?group=424242")
    assert members.status_code == 200 and members.json()["results"] == []


def test_a_json_body_keeps_its_published_types_and_instants_their_range(world, calendar, api, schema):
    client = api(world.user("submitter_x"))
    ticket = push(world.user("system_x"), received_at=recent(2))
    assert client.post(f"/api/v1/complaints/{ticket.pk}/accept/", {"note": 0}, format="json").status_code == 400
    refused = client.post(f"/api/v1/complaints/{ticket.pk}/accept/", {"at": "0693-09-27T03:14:39+08:05"}, format="json")
    assert refused.status_code == 400 and "at" in refused.json()["errors"]
    body = schema["paths"]["/api/v1/complaints/{id}/accept/"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json"}  # forms are not published: they cannot keep the types
    at = schema["components"]["schemas"][body["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    pattern = re.compile(at["properties"]["at"]["pattern"])
    assert pattern.match("2026-09-30T14:00:00+08:00") and not pattern.match("0693-09-27T03:14:39+08:05")


def test_deliberate_deviation_control_characters_are_stripped_before_the_length_is_measured(
    world, calendar, api, schema
):
    """docs/api.md, "Deliberate deviations": the JSON parser strips C0 control characters (portal.inputs) and
    the field trims surrounding whitespace before any validation, so a text over its published maxLength only
    by those is accepted, and what is stored (the text measured) keeps to the limit. schemathesis reports it as
    "invalid data accepted"."""
    from complaints.models import ComplaintEvent

    step = schema["components"]["schemas"]["ComplaintSuperviseStepRequest"]["properties"]["note"]
    limit = step["maxLength"]
    ticket = push(world.user("system_x"), received_at=recent(1))
    regulator = api(world.user("reg_staff_a"))
    url = f"/api/v1/complaints/{ticket.pk}/supervise/"
    over = regulator.post(url, {"note": "督" * (limit + 1)}, format="json")
    assert over.status_code == 400 and "note" in over.json()["errors"]  # over by printing characters: refused
    response = regulator.post(url, {"note": "\x01\x02" + "督" * limit}, format="json")
    assert response.status_code == 200, response.content
    assert ComplaintEvent.objects.filter(complaint=ticket).latest("pk").note == "督" * limit
    # and so is surrounding whitespace (DRF trims a text before measuring it)
    again = regulator.post(url, {"note": "  " + "办" * limit + "\r\n"}, format="json")
    assert again.status_code == 200, again.content
    assert ComplaintEvent.objects.filter(complaint=ticket).latest("pk").note == "办" * limit


def test_deliberate_deviation_a_multipart_part_is_text_whatever_it_looks_like(world, calendar, api, schema):
    """docs/api.md, "Deliberate deviations": in a multipart body (published only where a file is sent) every
    part but the file is text; a `description` that reads `{}` is the two characters, stored as sent, where
    schemathesis, which serialises an object into the part, counts it as an object accepted."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.models import Attachment

    content = schema["paths"]["/api/v1/complaints/{id}/attachments/"]["post"]["requestBody"]["content"]
    assert list(content) == ["multipart/form-data"]
    ticket = push(world.user("system_x"), received_at=recent(1))
    body = {"file": SimpleUploadedFile("回复.pdf", b"%PDF-1.4\n%%EOF\n"), "description": "{}"}
    response = api(world.user("submitter_x")).post(
        f"/api/v1/complaints/{ticket.pk}/attachments/", body, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert Attachment.objects.get(object_id=ticket.pk).description == "{}"


def test_a_bulk_intake_publishes_both_bodies_it_takes(schema):
    body = schema["paths"]["/api/v1/complaints/bulk/"]["post"]["requestBody"]["content"]["application/json"]
    envelope, bare = body["schema"]["oneOf"]
    assert envelope == {"$ref": "#/components/schemas/ComplaintBulkRequest"}
    assert bare["type"] == "array" and bare["minItems"] == 1 and bare["maxItems"] == 1000
