"""Campaign fixtures built through the services, so tests exercise the same paths as the UI and API."""

from datetime import date

import pytest

from campaigns import services
from campaigns.checklists import load_checklist
from campaigns.choices import DeliverableKind
from campaigns.models import ChecklistTemplate


def make_campaign(world, *, code="T-2026", start=date(2026, 3, 1), end=date(2026, 12, 31), scope=True, due=None):
    """Office A's campaign with the four template phases, county X and company Y in scope and a
    self-check report deliverable."""
    reg = world.user("reg_admin_a")
    campaign = services.campaign_create(
        owner=world.office_a,
        code=code,
        title="居民用电服务质量监管专项行动",
        short_title="测试专项行动",
        start_date=start,
        end_date=end,
        acting_user=reg,
    )
    if scope:
        services.campaign_set_scope(campaign=campaign, organisations=[world.county_x, world.company_y], acting_user=reg)
    phases = {p.kind: p for p in campaign.phases.all()}
    services.deliverable_save(
        campaign=campaign,
        acting_user=reg,
        phase=phases["self_check"],
        kind=DeliverableKind.SELF_CHECK_REPORT,
        title="自查报告",
        due_date=due or phases["self_check"].end_date,
    )
    return campaign


def checklist() -> ChecklistTemplate:
    template, _n = load_checklist()
    return template


def filled_report(world, campaign, utility=None, user=None, **extra):
    user = user or world.user("submitter_x")
    utility = utility or world.county_x
    fields = {
        "declared_organisation": utility.name,
        "period_start": date(2025, 1, 1),
        "period_end": date(2026, 4, 30),
        "indicator_year": 2025,
        "customers": 286412,
        "residential_customers": 261905,
        "staff": 960,
        "reliability_urban": "99.96",
        "reliability_rural": "99.81",
        "voltage_overall": "98.98",
        "voltage_a": "99.98",
        "voltage_b": "98.62",
        "voltage_c": "98.95",
        "voltage_d": "96.38",
        "complaints": 7,
        "satisfaction": "97.80",
    }
    fields.update(extra)
    return services.report_create(campaign=campaign, utility=utility, acting_user=user, **fields)


@pytest.fixture
def campaign(world, calendar):
    return make_campaign(world)


@pytest.fixture
def targets(reference_data):
    """The target catalogue as migrated (a transactional test's flush removes data migrations' rows)."""
    from campaigns.models import Target
    from campaigns.targets import load_targets
    from portal.models import Province

    if not Target.objects.exists():
        load_targets(Target, Province)


def answer_all(report, user, answer="compliant"):
    """Answer every checklist item the report has not answered yet (a report is filed only complete)."""
    from campaigns.selectors import report_checklist_items

    answered = set(report.answers.values_list("item_id", flat=True))
    for item in report_checklist_items(report).exclude(pk__in=answered):
        services.answer_save(report=report, item=item, answer=answer, acting_user=user)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def attach_evidence(item, user, name="整改完成佐证.pdf"):
    """A completion evidence file on a rectification item (completion needs one, issue 11)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return services.evidence_add(target=item, acting_user=user, file=SimpleUploadedFile(name, PDF))
