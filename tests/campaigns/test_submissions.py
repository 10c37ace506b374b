"""Deliverable submissions: filing every occurrence of a deliverable, review, lateness judged by the deadline
engine against the occurrence's due date, the utility's internal date a reminder only (seed 003)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns import services
from campaigns.choices import DeliverableKind, FigureSet, FilingState, SubmissionStatus
from campaigns.models import Deliverable, DeliverableSubmission
from campaigns.selectors import filing_rows, internal_date_of
from portal.models import TrackedDeadline, Violation
from portal.services import deadlines_sweep

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")

# Seed 003 三(三)(四): the company reports its progress by 6-10, 8-10, 10-10 and 11-20 (the supply units to the
# company two days earlier), its connection data by 1-15 and 7-15 (the units by 1-10 and 7-10).
PROGRESS = [(6, 10, 6, 8), (8, 10, 8, 8), (10, 10, 10, 8), (11, 20, 11, 18)]
CONNECTION = [(1, 15, 1, 10), (7, 15, 7, 10)]
FIGURES = {
    "high_voltage": {"applications": 12, "avg_working_days": "18.5", "steps": 4, "materials": 3, "cost_yuan": "0"},
    "small_micro": {"applications": 35, "avg_working_days": "9.2", "steps": 2, "materials": 2, "cost_yuan": "0"},
    "low_voltage_residential": {
        "applications": 410,
        "avg_working_days": "3.1",
        "steps": 2,
        "materials": 1,
        "cost_yuan": "0",
    },
}


def at(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=SH)


def seed_003_year(world):
    """A year of seed 003's recurring deliverables (2026-06 to 2027-05) for county X and company Y."""
    reg = world.user("reg_admin_a")
    campaign = services.campaign_create(
        owner=world.office_a,
        code="GDDL-2026",
        title="用户“获得电力”优质服务情况重点综合监管",
        short_title="获得电力",
        start_date=date(2026, 6, 1),
        end_date=date(2027, 5, 31),
        acting_user=reg,
        with_template_phases=False,
    )
    services.campaign_set_scope(campaign=campaign, organisations=[world.county_x, world.company_y], acting_user=reg)
    for month, day, im, iday in PROGRESS:
        services.deliverable_save(
            campaign=campaign,
            acting_user=reg,
            kind=DeliverableKind.PROGRESS_REPORT,
            title=f"工作开展情况报告（{month}月{day}日前）",
            due_month=month,
            due_day=day,
            internal_month=im,
            internal_day=iday,
        )
    for month, day, im, iday in CONNECTION:
        services.deliverable_save(
            campaign=campaign,
            acting_user=reg,
            kind=DeliverableKind.OTHER,
            title=f"用户报装信息（{month}月{day}日前）",
            due_month=month,
            due_day=day,
            internal_month=im,
            internal_day=iday,
            figure_set=FigureSet.CONNECTION,
        )
    return campaign


def file(world, d: Deliverable, utility, user, when):
    occurrence = filing_rows(d)[0].occurrence
    figures = FIGURES if d.figure_set else None
    return services.submission_file(
        deliverable=d,
        utility=utility,
        occurrence=occurrence,
        acting_user=world.user(user),
        text="本期工作开展情况：已按方案推进。",
        figures=figures,
        at=when,
    )


def test_seed_003_year_two_violations_none_for_internal_dates(world, calendar):
    campaign = seed_003_year(world)
    ds = {(d.due_month, d.due_day): d for d in campaign.deliverables.all()}
    assert len(ds) == 6
    occurrences = sorted(row.occurrence for d in ds.values() for row in filing_rows(d, utilities=[world.county_x]))
    assert occurrences == [
        date(2026, 6, 10),
        date(2026, 7, 15),
        date(2026, 8, 10),
        date(2026, 10, 10),
        date(2026, 11, 20),
        date(2027, 1, 15),
    ]
    assert internal_date_of(ds[(1, 15)], date(2027, 1, 15)) == date(2027, 1, 10)

    # Company Y files all six a day before its internal date; county X files four on time — each after its
    # internal date, which is only a reminder —, the 10-10 report two days late, and never the 1-15 data.
    for (m, d_), d in ds.items():
        year = 2027 if m == 1 else 2026
        internal = internal_date_of(d, date(year, m, d_))
        file(world, d, world.company_y, "submitter_y", at(internal.year, internal.month, internal.day - 1))
    sweeps = []
    for m, d_ in [(6, 10), (7, 15), (8, 10), (11, 20)]:
        deliverable = ds[(m, d_)]
        internal = internal_date_of(deliverable, date(2026, m, d_))
        sweeps.append(deadlines_sweep(now=at(2026, internal.month, internal.day + 1, 9)))  # past the internal date
        file(world, deliverable, world.county_x, "submitter_x", at(2026, m, d_, 16))
    sweeps.append(deadlines_sweep(now=at(2026, 10, 11, 9)))  # the 10-10 report went overdue unfiled
    late = file(world, ds[(10, 10)], world.county_x, "submitter_x", at(2026, 10, 12, 9))
    sweeps.append(deadlines_sweep(now=at(2027, 1, 11, 9)))  # past the 1-10 internal date: a reminder, no violation
    assert Violation.objects.filter(code__startswith="campaign.deliverable.").count() == 1
    sweeps.append(deadlines_sweep(now=at(2027, 2, 1, 9)))

    assert sum(s["reminded"] for s in sweeps) >= 5  # the internal dates reminded
    violations = Violation.objects.filter(code__startswith="campaign.deliverable.")
    assert sorted(violations.values_list("code", flat=True)) == [
        "campaign.deliverable.T-X-C-K.20261010",
        "campaign.deliverable.T-X-C-K.20270115",
    ]
    assert all(v.utility_id == world.county_x.pk for v in violations)
    assert late.is_late and late.status == SubmissionStatus.SUBMITTED
    on_time = DeliverableSubmission.objects.filter(utility=world.county_x, is_late=False)
    assert on_time.count() == 4
    states = dict(
        TrackedDeadline.objects.filter(code__startswith="campaign.deliverable.T-X-C-K").values_list("code", "status")
    )
    assert states["campaign.deliverable.T-X-C-K.20261010"] == "met_late"
    assert states["campaign.deliverable.T-X-C-K.20270115"] == "overdue"
    assert list(states.values()).count("met") == 4

    # The regulator's list: who has not filed the 1-15 connection data.
    missing = filing_rows(ds[(1, 15)], occurrence=date(2027, 1, 15), state=FilingState.MISSING, today=date(2027, 2, 1))
    assert [r.utility_code for r in missing] == ["T-X-C-K"]
    tenth = {r.utility_code: r.state for r in filing_rows(ds[(10, 10)], today=date(2027, 2, 1))}
    assert tenth == {"T-X-C-K": FilingState.LATE, "T-Y": FilingState.ON_TIME}


def test_review_return_resubmit_accept_with_history(world, calendar):
    campaign = seed_003_year(world)
    d = campaign.deliverables.get(due_month=7, due_day=15)
    sub = file(world, d, world.county_x, "submitter_x", at(2026, 7, 14))
    assert sub.figures["small_micro"] == {
        "applications": 35,
        "avg_working_days": "9.20",
        "steps": 2,
        "materials": 2,
        "cost_yuan": "0.00",
    }
    reg, utility = world.user("reg_admin_a"), world.user("submitter_x")
    with pytest.raises(PermissionDenied):
        services.submission_accept(submission=sub, acting_user=utility)
    with pytest.raises(ValidationError):
        services.submission_return(submission=sub, acting_user=reg, comment="")
    sub = services.submission_return(submission=sub, acting_user=reg, comment="小微企业平均接电时长请核实")
    assert sub.status == SubmissionStatus.RETURNED
    bad = {**FIGURES, "small_micro": {**FIGURES["small_micro"], "steps": "1.5"}}
    with pytest.raises(ValidationError) as exc:
        services.submission_update(submission=sub, acting_user=utility, figures=bad)
    assert "figures" in exc.value.message_dict
    services.submission_update(
        submission=sub,
        acting_user=utility,
        figures={**FIGURES, "small_micro": {**FIGURES["small_micro"], "avg_working_days": "8.7"}},
    )
    sub = services.submission_resubmit(submission=sub, acting_user=utility)
    sub = services.submission_accept(submission=sub, acting_user=reg, comment="")
    assert sub.status == SubmissionStatus.ACCEPTED and sub.figures["small_micro"]["avg_working_days"] == "8.70"
    assert not sub.is_late  # judged at the first filing, not the resubmission
    reasons = [h.history_change_reason for h in sub.history.order_by("history_id")]
    assert any(r and r.endswith("小微企业平均接电时长请核实") for r in reasons)  # the return, with its comment
    assert len([r for r in reasons if r and "→" in r]) == 4  # submit, return, resubmit, accept


def test_filing_is_refused_where_it_must_be(world, calendar):
    campaign = seed_003_year(world)
    d = campaign.deliverables.get(due_month=6, due_day=10)
    sub_x = world.user("submitter_x")
    with pytest.raises(ValidationError) as exc:  # no occurrence due that day
        services.submission_file(
            deliverable=d, utility=world.county_x, occurrence=date(2026, 6, 11), text="x", acting_user=sub_x
        )
    assert "occurrence" in exc.value.message_dict
    with pytest.raises(PermissionDenied):  # another utility's filing
        services.submission_file(
            deliverable=d, utility=world.company_y, occurrence=date(2026, 6, 10), text="x", acting_user=sub_x
        )
    with pytest.raises(PermissionDenied):  # the regulator does not file for a utility
        services.submission_file(
            deliverable=d,
            utility=world.county_x,
            occurrence=date(2026, 6, 10),
            text="x",
            acting_user=world.user("reg_admin_a"),
        )
    with pytest.raises(ValidationError) as exc:  # connection data needs its figures
        services.submission_file(
            deliverable=campaign.deliverables.get(due_month=7),
            utility=world.county_x,
            occurrence=date(2026, 7, 15),
            text="x",
            acting_user=sub_x,
        )
    assert "figures" in exc.value.message_dict
    services.submission_file(
        deliverable=d, utility=world.county_x, occurrence=date(2026, 6, 10), text="x", acting_user=sub_x
    )
    with pytest.raises(services.SubmissionExists):
        services.submission_file(
            deliverable=d, utility=world.county_x, occurrence=date(2026, 6, 10), text="y", acting_user=sub_x
        )


def test_pages_file_list_and_export(world, calendar, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    campaign = seed_003_year(world)
    d = campaign.deliverables.get(due_month=7, due_day=15)
    sub, reg = client_for(world.user("submitter_x")), client_for(world.user("reg_admin_a"))
    page = sub.get(f"/campaigns/deliverables/{d.pk}/").content.decode()
    assert 'id="file-form"' in page and "2026-07-15" in page
    data = {"occurrence": "2026-07-15", "text": "2026年1-6月用户报装信息"}
    for cls, row in FIGURES.items():
        data |= {f"fig__{cls}__{k}": v for k, v in row.items()}
    r = sub.post(f"/campaigns/deliverables/{d.pk}/file/", data)
    filed = DeliverableSubmission.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/campaigns/submissions/{filed.pk}/"
    assert filed.figures["low_voltage_residential"]["applications"] == 410
    # The regulator's page: who has not filed the 7-15 data (company Y), and the same as .xlsx.
    html = reg.get(f"/campaigns/deliverables/{d.pk}/?on=2026-07-15&state=missing").content.decode()
    assert 'data-utility="T-Y"' in html and 'data-utility="T-X-C-K"' not in html
    detail = reg.get(f"/campaigns/submissions/{filed.pk}/").content.decode()
    assert "410" in detail and 'id="action-return"' in detail
    xlsx = reg.get(f"/campaigns/deliverables/{d.pk}/export.xlsx?on=2026-07-15")
    rows = list(load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active.iter_rows(values_only=True))
    assert any(r and "T-Y" in r for r in rows) and any(r and "T-X-C-K" in r for r in rows)
    # Company Y's people see only their own rows; county X's list shows its submission.
    html_y = client_for(world.user("submitter_y")).get(f"/campaigns/deliverables/{d.pk}/").content.decode()
    assert 'data-utility="T-X-C-K"' not in html_y and 'data-utility="T-Y"' in html_y
    assert "2026年" not in client_for(world.user("submitter_y")).get("/campaigns/submissions/").content.decode()
    # Return with a reason, revise, resubmit, accept — from the pages.
    reg.post(f"/campaigns/submissions/{filed.pk}/return/", {"comment": "低压居民平均接电时长请核实"})
    revised = {k: v for k, v in data.items() if k.startswith("fig__")} | {
        "text": "已核实",
        "fig__low_voltage_residential__avg_working_days": "2.9",
    }
    sub.post(f"/campaigns/submissions/{filed.pk}/", revised)
    sub.post(f"/campaigns/submissions/{filed.pk}/resubmit/")
    reg.post(f"/campaigns/submissions/{filed.pk}/accept/", {"comment": ""})
    filed.refresh_from_db()
    assert filed.status == SubmissionStatus.ACCEPTED and filed.text == "已核实"
    assert filed.figures["low_voltage_residential"]["avg_working_days"] == "2.90"


def test_api_file_filings_and_review(world, calendar, api):
    campaign = seed_003_year(world)
    d = campaign.deliverables.get(due_month=10, due_day=10)
    system, reg = api(world.user("system_x")), api(world.user("reg_admin_a"))
    body = {"deliverable": d.pk, "occurrence": "2026-10-10", "utility": "T-X-C-K", "text": "三季度工作开展情况"}
    r = system.post("/api/v1/deliverable-submissions/", body, format="json")
    assert r.status_code == 201, r.content
    assert system.post("/api/v1/deliverable-submissions/", body, format="json").status_code == 409
    bad = system.post("/api/v1/deliverable-submissions/", {**body, "occurrence": "2026-10-11"}, format="json")
    assert bad.status_code == 400 and "occurrence" in bad.json()["errors"]
    connection = campaign.deliverables.get(due_month=1)
    r2 = system.post(
        "/api/v1/deliverable-submissions/",
        {"deliverable": connection.pk, "occurrence": "2027-01-15", "utility": "T-X-C-K", "figures": {"x": {}}},
        format="json",
    )
    assert r2.status_code == 400 and "figures" in r2.json()["errors"]
    rows = reg.get(f"/api/v1/campaign-deliverables/{d.pk}/filings/?occurrence=2026-10-10&state=missing").json()
    assert [row["utility"] for row in rows] == ["T-Y"]
    pk = r.json()["id"]
    assert api(world.user("submitter_x")).post(f"/api/v1/deliverable-submissions/{pk}/accept/", {}).status_code == 403
    assert reg.post(f"/api/v1/deliverable-submissions/{pk}/accept/", {}, format="json").json()["status"] == "accepted"
    assert api(world.user("reg_staff_b")).get(f"/api/v1/deliverable-submissions/{pk}/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "occurrence=",
        "state=",
        "occurrence=2026-10-10&occurrence=2026-07-15",
        "state=missing&state=late",
        "occurrence=x",
    ],
)
def test_filings_refuse_a_query_value_the_schema_excludes_like_every_list(world, calendar, api, query):
    """The filings action reads its query through a serializer, not the filter backend: an empty date or enum
    is a 400 naming it (DRF alone would read it as "not given"), and so is a parameter given twice."""
    d = seed_003_year(world).deliverables.get(due_month=10, due_day=10)
    reg = api(world.user("reg_admin_a"))
    response = reg.get(f"/api/v1/campaign-deliverables/{d.pk}/filings/?{query}")
    assert response.status_code == 400, response.content
    assert set(response.json()["errors"]) == {query.split("=")[0]}
    assert reg.get(f"/api/v1/campaign-deliverables/{d.pk}/filings/?occurrence=2026-10-10").status_code == 200


def test_an_operator_filing_without_naming_a_utility_is_asked_to_name_one_not_answered_500(world, calendar, api):
    d = seed_003_year(world).deliverables.get(due_month=10, due_day=10)
    operator = api(world.user("operator"))  # belongs to no organisation: no default utility
    body = {"deliverable": d.pk, "occurrence": "2026-10-10", "text": "三季度工作开展情况"}
    refused = operator.post("/api/v1/deliverable-submissions/", body, format="json")
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"utility"}
    named = operator.post("/api/v1/deliverable-submissions/", {**body, "utility": "T-X-C-K"}, format="json")
    assert named.status_code == 201, named.content


def test_scope_refuses_a_utility_outside_the_offices_jurisdiction(world, calendar, api):
    """Office A supervises provinces 37 and 13: company B (province 41) cannot be put in its campaign's scope."""
    campaign = seed_003_year(world)
    with pytest.raises(ValidationError) as exc:
        services.campaign_set_scope(
            campaign=campaign, organisations=[world.company_b], acting_user=world.user("reg_admin_a")
        )
    assert "国网河南省电力公司" in exc.value.message_dict["organisations"][0]
    r = api(world.user("reg_admin_a")).post(
        f"/api/v1/campaigns/{campaign.pk}/scope/", {"organisations": ["T-B"]}, format="json"
    )
    assert r.status_code == 400 and "organisations" in r.json()["errors"]
    assert not campaign.scope.filter(utility=world.company_b).exists()
