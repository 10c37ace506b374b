"""The README's first command: `scripts/demo` loads the demo world. It must keep working as the code moves."""

import pytest
from django.core.management import call_command

from campaigns.models import RectificationItem
from complaints.models import Complaint, ComplaintEvent, ConnectionApplication
from outages.models import ArrearsCase, OutageNotice
from portal.models import Violation
from reporting.models import BulletinPublication

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
    assert ConnectionApplication.objects.filter(status="powered").count() > 500
    assert Violation.objects.filter(code__startswith="connection.").exists()
    assert Violation.objects.filter(code__startswith="meter.").exists()
    assert Violation.objects.filter(code__startswith="arrears.").exists()
    assert ArrearsCase.objects.filter(status="reconnected").count() > 20
    # Issue 13: outcomes, 举报 investigated by the regulator, an escalation through three levels to a talk.
    assert Complaint.objects.filter(status="declined").exists() and Complaint.objects.exclude(finding="").exists()
    assert Complaint.objects.filter(channel="12398", kind="report", officer__isnull=False, forwarded_at=None).exists()
    assert Complaint.objects.filter(supervision_level=3, talk_count=1).exists()
    assert BulletinPublication.objects.filter(status="published").count() == 1
    assert BulletinPublication.objects.filter(status="draft").count() == 1
    # Issue 11: seed 004's programme outside any campaign: a consumer-review finding's item re-noticed twice,
    # talked about (约谈) and, still open at the demo's sweep, escalated to an audit (稽查); one verified.
    programme = RectificationItem.objects.filter(programme__code="XFPY-2026", campaign=None)
    assert programme.filter(renotice_count=2, talk_held_on__isnull=False, escalation="audit").count() == 1
    assert programme.filter(status="verified").count() == 1 and programme.filter(status="proposed").count() == 1
