"""The published schema as the contract, tried as an integrator would: schemathesis generates requests for
every operation from `/api/v1/schema/` and runs all its checks (no server error, the response and its status
code as published, content types, invalid input refused, valid input accepted) as the four roles that
integrate: the operator, a regulator admin, a utility manager and a utility's system account. A short run
(one example per operation and role), then a short stateful run (links from a create to the record's
retrieve, change and workflow steps); docs/api.md has the long run's figures and the deliberate deviations
(`schemathesis.toml`)."""

import itertools
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from portal.wsgi import application
from tests.complaints.factories import recent, ticket_data

ROLES = ("operator", "reg_admin_a", "manager_x", "system_x")
CONFIG = SchemathesisConfig.from_path(Path(__file__).resolve().parents[2] / "schemathesis.toml")


@pytest.fixture(autouse=True)
def _keep_the_test_connection(wsgi_in_test_transaction):
    pass


@pytest.fixture
def tokens(world):
    return {role: Token.objects.get_or_create(user=world.user(role))[0].key for role in ROLES}


@pytest.fixture
def api_schema(tokens):
    auth = {"Authorization": f"Token {tokens['operator']}"}
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, config=CONFIG, headers=auth)


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_keeps_the_contract(api_schema, tokens, role):
    headers = {"Authorization": f"Token {tokens[role]}"}
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=1,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case):
            case.call_and_validate(headers=headers)

        try:
            run()
        except Exception as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    assert not failures, "\n\n".join(failures)


CREATES = {"/api/v1/complaints/": "complaint", "/api/v1/outage-notices/": "notice"}


def _valid_create(path: str, n: int) -> dict:
    if CREATES[path] == "complaint":
        return ticket_data(external_id=f"STATEFUL-{n}", received_at=recent(0.1))
    start = timezone.localtime() + timedelta(days=10)
    return {
        "utility": "T-X-C-K",
        "kind": "planned",
        "external_id": f"STATEFUL-N-{n}",
        "area": "汶源县城关镇东关村",
        "reason": "10kV线路检修",
        "start_at": start.isoformat(timespec="seconds"),
        "end_at": (start + timedelta(hours=8)).isoformat(timespec="seconds"),
    }


def test_a_created_record_is_retrieved_changed_and_advanced_through_the_published_links(tokens):
    """The stateful phase: schemathesis infers the links from each create (201, `id`) to the record's retrieve,
    update and workflow steps, and runs short scenarios (create, then steps on what the answers return) with all
    its checks, as the utility's system account (which pushes tickets and notices and takes the utility's
    steps). A random create names no real utility, so the positive ones are given a valid record (a fresh
    external id each); every later step is generated from the schema, with the id the link carries."""
    config = SchemathesisConfig.from_path(Path(__file__).resolve().parents[2] / "schemathesis.toml")
    auth = {"Authorization": f"Token {tokens['system_x']}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, config=config, headers=auth)
    schema.config.update(headers=auth)
    schema = schema.include(path_regex=r"^/api/v1/(complaints|outage-notices)/(\{id\}/([a-z_]+/)?)?$")
    schema = schema.exclude(path_regex=r"/attachments/$")
    serial = itertools.count(1)
    created, linked = {}, Counter()

    class Scenario(schema.as_state_machine()):
        def before_call(self, case):
            positive = case.meta is None or case.meta.generation.mode == GenerationMode.POSITIVE
            if case.method == "POST" and case.path in CREATES and positive:
                case.body = _valid_create(case.path, next(serial))

        def after_call(self, response, case):
            super().after_call(response, case)
            kind = CREATES.get(case.path)
            if case.method == "POST" and kind and response.status_code == 201:
                created[response.json()["id"]] = kind
            record = (case.path_parameters or {}).get("id")
            if record in created and response.status_code < 300:
                linked[(created[record], case.method, case.path)] += 1

    Scenario.run(
        settings=settings(
            max_examples=60,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
    )
    # the scenarios did follow the links: a step on a record a create had just returned, for both kinds, and
    # at least one workflow step (not only the retrieve) taken on such a record
    assert {kind for kind, _method, _path in linked} == {"complaint", "notice"}, linked
    assert any(method == "POST" and not path.endswith("{id}/") for _kind, method, path in linked), linked
