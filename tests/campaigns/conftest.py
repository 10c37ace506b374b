from tests.campaigns.factories import campaign, targets  # noqa: F401 - fixtures
