"""Fuzzing the REST API from its OpenAPI schema (schemathesis): no input may produce a 5xx.

Bounded for CI by FUZZ_EXAMPLES (examples per operation); run more locally with e.g.
`FUZZ_EXAMPLES=200 .venv/bin/python -m pytest tests/hardening/test_fuzz_api.py -p no:xdist`.
Every operation of the schema is fuzzed, so new endpoints are covered as they land.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", ["reg_admin_a", "manager_x"])
def test_no_input_makes_the_api_fail(world, calendar, username):
    from portal.wsgi import application

    token = Token.objects.get_or_create(user=world.user(username))[0].key
    headers = {"Authorization": f"Token {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, headers=headers)
    failures: list[str] = []
    calls = {"n": 0}
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call(headers=headers)
            calls["n"] += 1
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query} -> {response.status_code}: {response.text[:300]}"
                )

        run()
    print(f"fuzzed {calls['n']} requests as {username}")
    assert calls["n"] > 0
    assert not failures, "\n".join(sorted(set(failures))[:20])
