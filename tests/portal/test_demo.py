"""The README's first command: `scripts/demo` loads the demo world. It must keep working as the code moves."""

import pytest
from django.core.management import call_command

from campaigns.models import RectificationItem
from complaints.models import Complaint, ComplaintEvent
from outages.models import OutageNotice

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_demo_world_loads(reference_data, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "demo: ready" in out
    assert Complaint.objects.count() >= 3000
    assert Complaint.objects.filter(status="closed").exists()
    assert ComplaintEvent.objects.filter(action="forwarded").exists()
    assert OutageNotice.objects.exists() and RectificationItem.objects.exists()
    # issue 12: connection applications, late ones judged
    from complaints.models import ConnectionApplication
    from portal.models import Violation

    assert ConnectionApplication.objects.filter(status="powered").count() > 500
    assert Violation.objects.filter(code__startswith="connection.").exists()
    assert Violation.objects.filter(code__startswith="meter.").exists()
    assert Violation.objects.filter(code__startswith="arrears.").exists()
    from outages.models import ArrearsCase

    assert ArrearsCase.objects.filter(status="reconnected").count() > 20
