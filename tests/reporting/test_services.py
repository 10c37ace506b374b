"""Report jobs: versions never overwrite, stored PDF with SHA-256, failure with reason and retry,
scoping (404 for a campaign one may not see), honest empty reports."""

import hashlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from reporting import services
from reporting.choices import JobStatus, ReportKind
from reporting.models import ReportJob
from reporting.params import parse_period
from tests.reporting.factories import pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db


def test_special_report_is_versioned_stored_and_hashed(world, campaign_with_data, django_capture_on_commit_callbacks):
    reg = world.user("reg_staff_a")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.report_request(
            kind=ReportKind.CAMPAIGN_SPECIAL, raw={"campaign": campaign_with_data.pk}, acting_user=reg
        )
    first.refresh_from_db()
    assert first.status == JobStatus.DONE, first.error
    assert first.version == 1 and first.progress == 100 and first.created_by == reg
    path = services.report_file_path(first)
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == first.sha256 and first.size == len(data)
    assert first.pages >= 5
    assert first.document_number.endswith(f"专报{first.pk}号")
    fonts = pdf_fonts(path)
    assert "NotoSansCJK" in fonts.replace("-", "") and " yes " in fonts
    text = pdf_text(path)
    flat = text.replace(" ", "")
    for words in ("专项报告", "企业自查", "整改", "停电信息", "示范区", "经验做法", "第2页/共", "附件1", "目录"):
        assert words in flat, words
    assert "计划停电公告" in flat  # the finding, in the appendix
    assert "建立常态化监管机制" in text  # the regulator's proposals
    with django_capture_on_commit_callbacks(execute=True):
        second = services.report_request(
            kind=ReportKind.CAMPAIGN_SPECIAL, raw={"campaign": campaign_with_data.pk}, acting_user=reg
        )
    second.refresh_from_db()
    assert second.version == 2 and second.series_key == first.series_key
    assert services.report_file_path(first).read_bytes() == data  # the first version is untouched
    assert services.report_file_path(second) != path
    assert first.history.count() >= 2  # audit rows for the version


def test_special_report_tables_hold_the_figures(world, campaign_with_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_request(
            kind=ReportKind.CAMPAIGN_SPECIAL,
            raw={"campaign": campaign_with_data.pk},
            acting_user=world.user("reg_admin_a"),
        )
    job.refresh_from_db()
    tables = {t["key"]: t for t in job.tables}
    rows = {r[0]: r for r in tables["self_check"]["rows"]}
    county = rows[world.county_x.name]
    # problems (self-check), items, verified, overdue, completion rate
    assert county[3] == 2 and county[5] == 2 and county[6] == 1 and county[8] == 50.0
    assert rows[world.company_y.name][1] == "草稿"
    kinds = {r[0]: r for r in tables["outage_by_kind"]["rows"]}
    planned = kinds["计划检修"]
    assert planned[1] == 2 and planned[2] == 1 and planned[4] == 1  # 2 notices, 1 compliant, 1 violation
    assert len(tables["rectification"]["rows"]) == 2
    timely = {r[0]: r for r in tables["complaint_timeliness"]["rows"]}
    # due, closed on time, rate, contact rate, appeals, visit rate, satisfaction, statutory, commitment
    assert timely[world.county_x.name][1:4] == [2, 1, 50.0]
    assert timely[world.county_x.name][8] == 1 and timely[world.county_x.name][9] == 1
    # Y answered on time, then the appeal re-opened the reply, which nobody answered: both kinds breached.
    assert timely[world.company_y.name][1:10] == [1, 1, 100.0, 100.0, 1, 100.0, 0.0, 1, 1]
    channels = {r[0]: r[1] for r in tables["complaint_channels"]["rows"]}
    assert sorted(channels.values(), reverse=True)[:2] == [2, 1] and sum(channels.values()) == 3


def test_complaint_bulletin_per_office(world, campaign_with_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_request(
            kind=ReportKind.COMPLAINT_BULLETIN, raw={"period": "2026-10"}, acting_user=world.user("reg_staff_a")
        )
        other = services.report_request(
            kind=ReportKind.COMPLAINT_BULLETIN, raw={"period": "2026-10"}, acting_user=world.user("reg_staff_b")
        )
        empty = services.report_request(
            kind=ReportKind.COMPLAINT_BULLETIN, raw={"period": "2025-01"}, acting_user=world.user("reg_staff_a")
        )
    for j in (job, other, empty):
        j.refresh_from_db()
        assert j.status == JobStatus.DONE, j.error
    rows = {r[0]: r for r in job.tables[0]["rows"]}
    assert set(rows) == {world.county_x.name, world.company_y.name}
    assert other.tables[0]["rows"] == []  # office B supervises neither
    text = pdf_text(services.report_file_path(job)).replace(" ", "")
    assert "及时办结率" in text and "通报" in text
    assert "无可通报" in pdf_text(services.report_file_path(empty)).replace(" ", "")
    with pytest.raises(PermissionDenied):
        services.report_request(
            kind=ReportKind.COMPLAINT_BULLETIN, raw={"period": "2026-10"}, acting_user=world.user("manager_x")
        )


def test_campaign_the_user_may_not_see_is_404(world, campaign_with_data):
    with pytest.raises(Http404):
        services.report_request(
            kind=ReportKind.CAMPAIGN_SPECIAL,
            raw={"campaign": campaign_with_data.pk},
            acting_user=world.user("reg_staff_b"),
        )
    with pytest.raises(Http404):
        services.report_request(
            kind=ReportKind.CAMPAIGN_SPECIAL, raw={"campaign": 999999}, acting_user=world.user("reg_staff_a")
        )
    with pytest.raises(PermissionDenied):
        services.report_request(
            kind=ReportKind.CAMPAIGN_SPECIAL,
            raw={"campaign": campaign_with_data.pk},
            acting_user=world.user("manager_x"),
        )
    assert not ReportJob.objects.exists()


def test_failing_render_marks_the_job_failed_and_retry_completes(
    world, campaign_with_data, monkeypatch, django_capture_on_commit_callbacks
):
    from reporting import render

    original = render.render_pdf

    def broken(*args, **kwargs):
        raise OSError("font cache unreadable")

    monkeypatch.setattr(render, "render_pdf", broken)
    reg = world.user("reg_staff_a")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_request(
            kind=ReportKind.CAMPAIGN_SPECIAL, raw={"campaign": campaign_with_data.pk}, acting_user=reg
        )
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "font cache unreadable" in job.error and not job.file
    monkeypatch.setattr(render, "render_pdf", original)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(job=job, acting_user=reg)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2 and job.error == "" and job.version == 1
    with pytest.raises(ValidationError):
        services.report_retry(job=job, acting_user=reg)  # a done report is regenerated, not retried


def test_run_twice_leaves_a_done_job_alone(world, campaign_with_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_request(
            kind=ReportKind.CAMPAIGN_SPECIAL,
            raw={"campaign": campaign_with_data.pk},
            acting_user=world.user("reg_staff_a"),
        )
    job.refresh_from_db()
    again = services.report_run(job.pk)
    assert again.sha256 == job.sha256 and again.attempts == 1


def test_outage_report_for_an_empty_period_is_an_honest_empty_report(
    world, calendar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_request(
            kind=ReportKind.OUTAGE_COMPLIANCE, raw={"period": "2019-03"}, acting_user=world.user("reg_staff_a")
        )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    text = pdf_text(services.report_file_path(job))
    assert "本期间未登记停电" in text.replace(" ", "")
    assert job.params == {"start": "2019-03-01", "end": "2019-03-31", "office": world.office_a.pk}


def test_outage_report_counts_only_what_the_office_sees(world, campaign_with_data, django_capture_on_commit_callbacks):
    from tests.outages.factories import register

    register(world.user("manager_b"), world.company_b, external_id="B-1")
    with django_capture_on_commit_callbacks(execute=True):
        a = services.report_request(
            kind=ReportKind.OUTAGE_COMPLIANCE, raw={"period": "2026"}, acting_user=world.user("reg_staff_a")
        )
        b = services.report_request(
            kind=ReportKind.OUTAGE_COMPLIANCE, raw={"period": "2026"}, acting_user=world.user("reg_staff_b")
        )
    a.refresh_from_db()
    b.refresh_from_db()
    total = {j.pk: sum(r[1] for r in j.tables[0]["rows"]) for j in (a, b)}
    assert total == {a.pk: 2, b.pk: 1}
    assert a.series_key != b.series_key


def test_self_check_report_as_filed(world, campaign_with_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.report_request(
            kind=ReportKind.SELF_CHECK,
            raw={"campaign": campaign_with_data.pk, "utility": world.county_x.code},
            acting_user=world.user("submitter_x"),
        )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.organisation == world.county_x
    text = pdf_text(services.report_file_path(job))
    assert "盖章" in text and "欠费停电通知未送达" in text and "286,412" in text
    with pytest.raises(Http404):
        services.report_request(
            kind=ReportKind.SELF_CHECK,
            raw={"campaign": campaign_with_data.pk, "utility": world.county_x.code},
            acting_user=world.user("manager_y"),
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026", (date(2026, 1, 1), date(2026, 12, 31))),
        ("2026-02", (date(2026, 2, 1), date(2026, 2, 28))),
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
        ("2026Q4", (date(2026, 10, 1), date(2026, 12, 31))),
        ("2026-01-05..2026-01-05", (date(2026, 1, 5), date(2026, 1, 5))),
    ],
)
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text", ["", "2026-13", "2026Q5", "26", "2026-03-01..2026-02-01", "1900", "2020-01-01..2026-01-01"]
)
def test_parse_period_refuses(text):
    with pytest.raises(ValidationError):
        parse_period(text)


def test_a_stalled_job_may_be_retried(world, campaign_with_data, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    reg = world.user("reg_staff_a")
    job = services.report_request(
        kind=ReportKind.OUTAGE_COMPLIANCE, raw={"period": "2026"}, acting_user=reg, enqueue=False
    )
    assert not services.is_stalled(job)
    with pytest.raises(ValidationError):
        services.report_retry(job=job, acting_user=reg)  # queued a moment ago: the worker has it
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))
    job.refresh_from_db()
    assert services.is_stalled(job)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(job=job, acting_user=reg)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_a_waiting_report_shows_its_place_in_the_queue(world, client_for):
    from reporting.models import ReportJob
    from reporting.selectors import reports_ahead

    user = world.user("reg_staff_a")
    jobs = [
        ReportJob.objects.create(
            kind="self_check",
            params={"report": n},
            series_key=f"queue-{n}",
            title=f"队列{n}",
            organisation=user.organisation,
            created_by=user,
            status="queued",
        )
        for n in range(3)
    ]
    assert [reports_ahead(j) for j in jobs] == [0, 1, 2]
    jobs[0].status = "running"
    jobs[0].save()
    assert reports_ahead(jobs[2]) == 1 and reports_ahead(jobs[0]) == 0
    status = client_for(user).get(f"/reports/{jobs[2].pk}/status/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert status["status_display"] == "排队中：前面还有 1 份报告。"
