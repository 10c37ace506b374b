"""Every bad input is a 4xx with a message, never a 500 — with DEBUG on (local: the debug page itself must
not fail) and off (production).

The first test replays the inputs of issue 19 that answered 500; the second fuzzes every GET parameter of
every HTML page, found from the URL resolver, the pages' own forms and links, and the FilterSets (the API
is fuzzed from its schema by test_fuzz_api.py).
"""

import base64
import json
import re
from urllib.parse import quote, urlsplit

import pytest
from django.test import Client
from rest_framework.test import APIClient

from complaints.models import Complaint
from tests.complaints.factories import recent, ticket_data
from tests.hardening.test_every_url import PATHS, PUBLIC


@pytest.fixture(params=[True, False], ids=["local-debug", "production"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def _cursor(query: str) -> str:
    return base64.b64encode(query.encode()).decode()


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _message(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        return json.dumps(body, ensure_ascii=False)
    return response.content.decode(errors="replace")


@pytest.mark.django_db
def test_the_inputs_that_answered_500_are_4xx_with_a_message(world, calendar, debug):
    system = world.user("system_x")
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(system)
    html = Client(raise_request_exception=False)
    html.force_login(world.user("reg_admin_a"))
    answers = {}
    # A tampered cursor: a position that is not an id, one too large for the column, a NUL.
    for position in ("abc", "9" * 30, "1\x00"):
        url = f"/api/v1/outage-notices/?cursor={quote(_cursor('o=0&r=0&p=' + quote(position)))}"
        answers[url] = api.get(url)
    answers["/api/v1/complaints/?cursor=tampered"] = api.get(
        f"/api/v1/complaints/?cursor={quote(_cursor('o=0&r=0&p=not-a-date'))}"
    )
    # An instant at the edge of what datetime holds (OverflowError in the deadline arithmetic).
    for start in ("9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-14:00"):
        url = f"/api/v1/calendar/deadline/?rule=complaint.reply&start={quote(start)}"
        answers[url] = api.get(url)
    answers["/calendar/?rule&start=9999"] = html.get("/calendar/", {"rule": "complaint.reply", "start": "9999-12-31"})
    # Years the calendar page cannot draw.
    for year in ("0", "99999", "-1", "9" * 40):
        answers[f"/calendar/?year={year}"] = html.get("/calendar/", {"year": year})
    # JSON nested 5,000 deep (RecursionError in the parser).
    for url in ("/api/v1/complaints/", "/api/v1/complaints/bulk/"):
        answers[url + " (deep)"] = api.post(url, _nested(5000), content_type="application/json")
        answers[url + " (deep dict)"] = api.post(
            url, '{"items": ' + _nested(5000) + "}", content_type="application/json"
        )
    for label, response in answers.items():
        assert 400 <= response.status_code < 500, (label, response.status_code, _message(response)[:300])
        assert _message(response).strip(), label
    assert "无效游标" in _message(answers["/api/v1/complaints/?cursor=tampered"])  # "Invalid cursor" (zh-hans)
    assert "32" in _message(answers["/api/v1/complaints/ (deep)"])  # says what the limit is
    assert "不是2000年至2100年之间的年份" in _message(answers["/calendar/?year=99999"])  # the page says why

    # A lone surrogate in the content: stored as U+FFFD (the text stays readable), never a 500.
    body = json.dumps(ticket_data(external_id="S-1", received_at=recent(1), content="停电\ud800了"))
    assert "\\ud800" in body
    response = api.post("/api/v1/complaints/", body, content_type="application/json")
    assert response.status_code == 201, _message(response)
    assert Complaint.objects.get(external_id="S-1").content == "停电\ufffd了"
    # The same in a bulk item, and control characters, are normalised the same way.
    body = json.dumps({"items": [ticket_data(external_id="S-2", received_at=recent(1), content="a\udfffb\x07c")]})
    response = api.post("/api/v1/complaints/bulk/", body, content_type="application/json")
    assert response.status_code == 200, _message(response)
    assert Complaint.objects.get(external_id="S-2").content == "a\ufffdbc"
    # Forms to the API are normalised by the same rules.
    form = ticket_data(external_id="S-3", received_at=recent(1), content="x\x07y")
    response = api.post("/api/v1/complaints/", form, format="multipart")
    assert response.status_code == 201, _message(response)
    assert Complaint.objects.get(external_id="S-3").content == "xy"


@pytest.mark.django_db
def test_a_body_over_the_size_limit_is_413_before_parsing(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(world.user("system_x"))
    body = json.dumps({"items": [ticket_data(content="x" * 2000)]})
    response = api.post("/api/v1/complaints/bulk/", body, content_type="application/json")
    assert response.status_code == 413, response.content


# ------------------------------------------------------------------ the HTML query-string fuzz

# Values that broke pages before: out-of-range numbers and instants, NUL and control characters,
# invalid UTF-8 (sent raw), markup, and very long text.
HOSTILE = [
    "",
    "0",
    "-1",
    "99999",
    "9" * 30,
    "1e309",
    "NaN",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01",
    "2026-02-30",
    "\x00",
    "a\r\nb",
    "%ED%A0%80",  # a lone surrogate as UTF-8 bytes (sent raw: invalid UTF-8)
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "x" * 3000,
]
# Parameters every page may be given (pagination, keyset, year, redirects, formats).
COMMON = {"page", "before", "after", "year", "next", "format", "cursor", "page_size", "q", "sort", "ordering"}
_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.I)
_HREF = re.compile(r'href="([^"]*\?[^"]*)"')


def _filterset_params() -> set[str]:
    import django_filters

    names: set[str] = set()
    stack = list(django_filters.FilterSet.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        names.update(getattr(cls, "base_filters", {}))
    return names


def _params_of(path: str, page_html: str) -> set[str]:
    names = set(_NAME.findall(page_html)) - {"csrfmiddlewaretoken"}
    for href in _HREF.findall(page_html):
        parts = urlsplit(href.replace("&amp;", "&"))
        if parts.path in ("", path):
            names.update(p.split("=", 1)[0] for p in parts.query.split("&") if p)
    return {n for n in names if re.fullmatch(r"[\w.\-\[\]]{1,40}", n)}


def _query(name: str, value: str) -> str:
    raw = value if value.startswith("%") else quote(value, safe="")
    return f"{quote(name)}={raw}"


HTML_PATHS = [p for p in PATHS if not p.startswith("/api/") and "logout" not in p]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["reg_admin_a", "manager_x", "anonymous"])
def test_no_query_string_makes_a_page_fail(world, campaign_with_data, role):
    """Every GET parameter of every page (its forms, its links, the FilterSets, the common ones) with every
    hostile value, one at a time and all at once: no answer ≥ 500. Once, not per DEBUG setting: no page reads
    DEBUG (it only chooses Django's own error page, and either error page is a failure here)."""
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(world.user(role))
    filter_names = _filterset_params()
    failures, requests = [], 0
    for path in HTML_PATHS:
        if role == "anonymous" and not PUBLIC.match(path):
            continue
        first = client.get(path)
        requests += 1
        if first.status_code >= 500:
            failures.append(f"GET {path}: {first.status_code}")
            continue
        own = COMMON
        if first.status_code == 200 and first["Content-Type"].startswith("text/html"):
            own = COMMON | _params_of(path, first.content.decode(errors="replace"))
        # Each of the page's own parameters alone with the worst values; then every known name at once.
        queries = [_query(n, v) for n in sorted(own) for v in (HOSTILE[4], HOSTILE[7], HOSTILE[10], HOSTILE[12])]
        queries += ["&".join(_query(n, v) for n in sorted(own | filter_names)) for v in HOSTILE]
        for query in queries:
            response = client.get(f"{path}?{query}")
            requests += 1
            if response.status_code >= 500:
                failures.append(f"GET {path}?{query[:120]}: {response.status_code}")
    print(f"{requests} requests as {role}")
    assert requests > 100
    assert not failures, "\n".join(failures[:30])
