"""The `deadline` and `notice_check` commands as operators and scripts use them."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_deadline_json_across_national_day_2026(calendar):
    data = json.loads(run("deadline", "complaint.reply", "2026-09-30T14:00:00+08:00", "--json"))
    assert data["rule"] == "complaint.reply"
    assert data["due"] == "2026-10-15T23:59:59.999999+08:00"
    assert data["provisional"] is False
    assert data["at_risk"] == "2026-10-15T14:00:00+08:00"
    oct10 = next(s for s in data["trace"] if s["date"] == "2026-10-10")
    assert oct10["kind"] == "adjusted_workday" and oct10["counted"] == 3
    assert all(s["counted"] is None for s in data["trace"] if "2026-10-01" <= s["date"] <= "2026-10-07")


@pytest.mark.django_db
def test_deadline_contact_is_first_working_day_after_the_holiday(calendar):
    data = json.loads(run("deadline", "complaint.contact", "2026-09-30T14:00:00+08:00", "--json"))
    assert data["due"] == "2026-10-08T23:59:59.999999+08:00"


@pytest.mark.django_db
def test_deadline_into_an_unloaded_year_is_provisional(calendar):
    data = json.loads(run("deadline", "complaint.reply", "2026-12-28T10:00:00+08:00", "--json"))
    assert data["provisional"] is True
    assert data["due"].startswith("2027-01-06")  # weekends only: 29,30,31, Jan 1(Fri),4,5,6


@pytest.mark.django_db
def test_deadline_text_output_explains_the_count(calendar):
    text = run("deadline", "complaint.reply", "2026-09-30T14:00:00+08:00")
    assert "2026-10-10" in text and "调休" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("deadline", "complaint.nope", "2026-09-30T14:00:00+08:00"), "Unknown rule id"),
        (("deadline", "complaint.reply", "30/09/2026"), "ISO 8601"),
        (("notice_check", "fault", "--notice", "2026-03-03T09:00", "--start", "2026-03-10T08:00"), "Unknown kind"),
        (("notice_check", "planned", "--notice", "yesterday", "--start", "2026-03-10T08:00"), "ISO 8601"),
    ],
)
def test_bad_input_is_a_clear_error(calendar, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


@pytest.mark.django_db
def test_notice_check_borderline_planned(calendar):
    data = json.loads(
        run(
            "notice_check",
            "planned",
            "--notice",
            "2026-03-03T09:00:00+08:00",
            "--start",
            "2026-03-10T08:00:00+08:00",
            "--json",
        )
    )
    assert data["state"] == "borderline"
    assert data["lead_hours"] == 167.0
    assert {r["rule"] for r in data["rules"]} == {"outage.notice.planned", "outage.notice.planned.commitment"}
    assert {r["source_class"] for r in data["rules"]} == {"statute", "commitment"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "notice", "start", "state"),
    [
        ("temporary", "2026-03-09T09:00:00+08:00", "2026-03-10T08:00:00+08:00", "violation"),  # 23 h
        ("temporary", "2026-03-09T08:00:00+08:00", "2026-03-10T08:00:00+08:00", "compliant"),  # exactly 24 h
        ("planned", "2026-03-03T08:00:00+08:00", "2026-03-10T08:00:00+08:00", "compliant"),  # exactly 7 days
        ("planned", "2026-03-04T08:00:00+08:00", "2026-03-10T08:00:00+08:00", "violation"),
        ("restriction", "2026-03-09T07:00:00+08:00", "2026-03-10T08:00:00+08:00", "compliant"),
        # arrears: the statute asks 3 days, the commitment 7: the worst state wins
        ("arrears", "2026-03-05T08:00:00+08:00", "2026-03-10T08:00:00+08:00", "violation"),
    ],
)
def test_notice_check_states(calendar, kind, notice, start, state):
    data = json.loads(run("notice_check", kind, "--notice", notice, "--start", start, "--json"))
    assert data["state"] == state


@pytest.mark.django_db
def test_arrears_statute_and_commitment_reported_apart(calendar):
    data = json.loads(
        run(
            "notice_check",
            "arrears",
            "--notice",
            "2026-03-05T08:00:00+08:00",
            "--start",
            "2026-03-10T08:00:00+08:00",
            "--json",
        )
    )
    by_rule = {r["rule"]: r for r in data["rules"]}
    assert by_rule["outage.notice.arrears.statutory"]["state"] == "compliant"
    assert by_rule["outage.notice.arrears"]["state"] == "violation"
