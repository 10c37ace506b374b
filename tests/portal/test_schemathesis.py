"""The published schema as the contract, tried as an integrator would: schemathesis generates requests for
every operation from `/api/v1/schema/` and runs all its checks (no server error, the response and its status
code as published, content types, invalid input refused, valid input accepted) as the four roles that
integrate: the operator, a regulator admin, a utility manager and a utility's system account. A short run
(one example per operation and role); docs/api.md has the long run's figures and the deliberate deviations
(`schemathesis.toml`)."""

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig

from portal.wsgi import application

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
