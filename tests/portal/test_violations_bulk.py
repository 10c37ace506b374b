"""Violations register (issue 20): one decision for many, audited per record; the record as a link, the
rule by name (id in a tooltip), the shortfall in words."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from portal.choices import Disposition, SourceClass
from portal.models import Rule, Violation
from portal.services import violation_record
from portal.templatetags.portal_tags import duration
from tests.complaints.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

CODE = "complaint.contact.provincial"


def make_violations(world, n: int, utility=None, shortfall=timedelta(hours=3)) -> list[Violation]:
    utility = utility or world.county_x
    rule = Rule.objects.filter(code=CODE).first()
    out = []
    for _i in range(n):
        ticket = ComplaintFactory(utility=utility)
        out.append(
            violation_record(
                subject=ticket,
                utility=utility,
                rule=rule,
                code=CODE,
                source_class=SourceClass.REGULATOR_RULE,
                occurred_at=ticket.received_at,
                shortfall=shortfall,
            )
        )
    return out


def test_a_regulator_confirms_many_with_one_reason_and_each_keeps_its_history(world, calendar, client_for):
    vs = make_violations(world, 5)
    other = make_violations(world, 1, utility=world.company_b)[0]  # office B's: not office A's to judge
    client = client_for(world.user("reg_staff_a"))
    response = client.post(
        reverse("violation-bulk"),
        {"ids": [v.pk for v in vs[:4]] + [other.pk], "disposition": "confirmed", "reason": "核实属实"},
    )
    assert response.status_code == 302
    decided = Violation.objects.filter(disposition=Disposition.CONFIRMED)
    assert set(decided.values_list("pk", flat=True)) == {v.pk for v in vs[:4]}
    assert Violation.objects.get(pk=vs[4].pk).disposition == Disposition.PENDING
    assert Violation.objects.get(pk=other.pk).disposition == Disposition.PENDING
    for v in decided:
        last = v.history.first()
        assert last.history_user == world.user("reg_staff_a")
        assert last.history_change_reason == "核实属实" and last.disposition == Disposition.CONFIRMED
        assert v.disposed_by == world.user("reg_staff_a") and v.disposition_reason == "核实属实"


def test_excusing_needs_a_reason_and_utilities_may_not_decide(world, calendar, client_for):
    vs = make_violations(world, 2)
    ids = [v.pk for v in vs]
    client_for(world.user("reg_staff_a")).post(reverse("violation-bulk"), {"ids": ids, "disposition": "excused"})
    assert not Violation.objects.exclude(disposition=Disposition.PENDING).exists()
    response = client_for(world.user("manager_x")).post(
        reverse("violation-bulk"), {"ids": ids, "disposition": "confirmed", "reason": "x"}
    )
    assert response.status_code == 403
    response = client_for(world.user("reg_staff_a")).post(reverse("violation-bulk"), {"disposition": "confirmed"})
    assert response.status_code == 302 and not Violation.objects.exclude(disposition=Disposition.PENDING).exists()


def test_the_register_links_the_record_names_the_rule_and_says_the_shortfall_in_words(world, calendar, client_for):
    v = make_violations(world, 1, shortfall=timedelta(days=2, hours=5))[0]
    rule = Rule.objects.filter(code=CODE).first()
    html = (
        client_for(world.user("reg_staff_a"))
        .get(reverse("violations"), HTTP_ACCEPT_LANGUAGE="zh-hans")
        .content.decode()
    )
    assert f'href="{v.subject.get_absolute_url()}"' in html
    assert f'title="{CODE}">{rule.title}</span>' in html
    assert "2天5小时" in html and " h</td>" not in html
    assert 'name="ids"' in html
    # a utility reads the register, without the decision controls
    html = client_for(world.user("manager_x")).get(reverse("violations")).content.decode()
    assert rule.title in html and 'id="bulk-form"' not in html


def test_duration_in_words():
    with translation.override("en"):
        assert duration(3 * 3600) == "3 hours"
        assert duration(86400 + 60) == "1 day"
        assert duration(45 * 60 + 5) == "45 minutes"
        assert duration(20) == "less than a minute"
        assert duration(3600 + 120) == "1 hour 2 minutes"
