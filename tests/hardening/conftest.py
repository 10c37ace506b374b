"""Fixtures the hardening tests share with the app tests."""

from tests.reporting.factories import campaign_with_data  # noqa: F401 - fixture
