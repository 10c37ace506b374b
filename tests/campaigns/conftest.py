from tests.campaigns.factories import campaign  # noqa: F401 - fixture
