from tests.campaigns.factories import campaign  # noqa: F401 - fixture
from tests.reporting.factories import campaign_with_data  # noqa: F401 - fixture
