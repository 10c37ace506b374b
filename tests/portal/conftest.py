import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests through the project's WSGI app (as schemathesis or a generated client send them) keep the test's
    database connection: the app closes the connection at the end of each request, as in production, and here that
    connection holds the test's transaction (Django's own test client disconnects the same receiver)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)
