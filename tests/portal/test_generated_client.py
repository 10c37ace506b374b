"""A client generated from the published schema, as an integrator would make one (openapi-python-client), creates,
lists and advances a complaint and an outage notice through the project's WSGI app — no hand-written request code:
the generated functions build every request and parse every answer into the generated models."""

import importlib
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import yaml
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token

from portal.wsgi import application
from tests.complaints.factories import recent, ticket_data

pytestmark = pytest.mark.django_db
GENERATOR = shutil.which("openapi-python-client") or str(Path(sys.executable).with_name("openapi-python-client"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory, django_db_blocker):
    """The client package generated from the served schema (once for the module)."""
    out = tmp_path_factory.mktemp("client")
    with django_db_blocker.unblock():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    path = out / "openapi.yaml"
    path.write_text(yaml.safe_dump(schema, allow_unicode=True), encoding="utf-8")
    subprocess.run(
        [GENERATOR, "generate", "--path", str(path), "--meta", "none", "--output-path", str(out / "portal_client")],
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("portal_client")
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == "portal_client" or n.startswith("portal_client.")]:
            del sys.modules[name]


def _client(generated, user):
    token = Token.objects.get_or_create(user=user)[0].key
    return generated.AuthenticatedClient(
        base_url="http://testserver",
        token=token,
        prefix="Token",
        httpx_args={"transport": httpx.WSGITransport(app=application)},
    )


def test_a_generated_client_creates_lists_and_advances_a_complaint(
    world, calendar, generated, wsgi_in_test_transaction
):
    from portal_client.api.complaints import complaints_contact_create, complaints_create, complaints_list
    from portal_client.models import Complaint, ComplaintContactStepRequest, ComplaintInputRequest

    system = _client(generated, world.user("system_x"))
    body = ComplaintInputRequest.from_dict(ticket_data(external_id="GEN-1", received_at=recent(0.2)))
    created = complaints_create.sync_detailed(client=system, body=body)
    assert created.status_code == 201 and isinstance(created.parsed, Complaint)
    again = complaints_create.sync_detailed(client=system, body=body)  # a retry: the same ticket, 200
    assert again.status_code == 200 and again.parsed.id == created.parsed.id

    listed = complaints_list.sync(client=system, external_id="GEN-1")
    assert [t.id for t in listed.results] == [created.parsed.id]

    person = _client(generated, world.user("submitter_x"))
    step = ComplaintContactStepRequest(at=timezone.localtime().isoformat(timespec="seconds"), note="已电话联系客户")
    contacted = complaints_contact_create.sync(created.parsed.id, client=person, body=step)
    assert isinstance(contacted, Complaint) and contacted.status == "contacted"


def test_a_generated_client_creates_lists_and_publishes_an_outage_notice(
    world, calendar, generated, wsgi_in_test_transaction
):
    from portal_client.api.outage_notices import (
        outage_notices_create,
        outage_notices_list,
        outage_notices_publish_create,
    )
    from portal_client.models import OutageNotice, OutageNoticePublishStepRequest, OutageNoticeRequest

    person = _client(generated, world.user("submitter_x"))
    start = timezone.localtime() + timedelta(days=10)
    body = OutageNoticeRequest.from_dict(
        {
            "utility": "T-X-C-K",
            "kind": "planned",
            "external_id": "GEN-N-1",
            "area": "汶源县城关镇东关村",
            "reason": "10kV线路检修",
            "start_at": start.isoformat(timespec="seconds"),
            "end_at": (start + timedelta(hours=8)).isoformat(timespec="seconds"),
        }
    )
    created = outage_notices_create.sync_detailed(client=person, body=body)
    assert created.status_code == 201 and isinstance(created.parsed, OutageNotice)
    assert created.parsed.published_at is None

    listed = outage_notices_list.sync(client=person, external_id="GEN-N-1")
    assert [n.id for n in listed.results] == [created.parsed.id]

    publish = OutageNoticePublishStepRequest.from_dict(
        {"published_at": timezone.localtime().isoformat(timespec="seconds"), "channels": ["media", "sms"]}
    )
    published = outage_notices_publish_create.sync(created.parsed.id, client=person, body=publish)
    assert isinstance(published, OutageNotice) and published.published_at
