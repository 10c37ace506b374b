"""The permission matrix: every role against every page and endpoint, in one table.

Statuses: 200 ok (201 created), 302 redirect to sign-in (anonymous pages, and every page for a system account:
it holds no browser session, only its API token) or, after a page's write, back to the page; 401/403 refused,
409 a step the record's state refuses (whatever the body), 404 for objects of other organisations (so their
existence does not leak). Objects below belong to company X's county company. A row may name the data it
posts (a dict, or a function of the records); the campaign records a row names are made when it names them.
Derived records (deadline, violation, history, notification) of an unforwarded 12398 item answer as their
subject does: the regulator sees them, no utility role does.
"""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns import services
from campaigns.choices import RectificationStatus
from portal.models import ImportJob, SavedView, Violation
from portal.services import attachment_add, deadline_set, violation_record
from tests.campaigns.factories import attach_evidence, filled_report, make_campaign
from tests.complaints.factories import recent, ticket_data
from tests.outages.factories import register

ROLES = [
    "anonymous",
    "reg_admin_a",
    "reg_staff_a",
    "reg_staff_b",
    "manager_x",
    "submitter_x",
    "manager_y",
    "submitter_y",
    "system_x",
]
ALL_IN = dict.fromkeys(ROLES[1:], 200) | {"anonymous": 302, "system_x": 302}
REG_A_AND_X = {
    "anonymous": 302,
    "reg_admin_a": 200,
    "reg_staff_a": 200,
    "reg_staff_b": 404,
    "manager_x": 200,
    "submitter_x": 200,
    "manager_y": 404,
    "submitter_y": 404,
    "system_x": 302,
}
API_REG_A_AND_X = REG_A_AND_X | {"anonymous": 401, "system_x": 200}
API_ALL_IN = dict.fromkeys(ROLES[1:], 200) | {"anonymous": 401}
# An unforwarded 12398 item of county X and what is derived from it: office A only.
REG_A_ONLY = dict.fromkeys(ROLES, 404) | {"anonymous": 302, "reg_admin_a": 200, "reg_staff_a": 200, "system_x": 302}
API_REG_A_ONLY = REG_A_ONLY | {"anonymous": 401, "system_x": 404}
# Token custody of company X's system account: only its own organisation's manager holds the key.
TOKEN_KEY = {
    "anonymous": 302,
    "reg_admin_a": 403,
    "reg_staff_a": 403,
    "reg_staff_b": 403,
    "manager_x": 302,
    "submitter_x": 403,
    "manager_y": 404,
    "submitter_y": 403,
    "system_x": 302,
}
# Suspending (resuming) its integration: the supervising regulator admin only.
TOKEN_SUSPEND = TOKEN_KEY | {"reg_admin_a": 302, "manager_x": 403}
# Office A's campaign has county X and company Y in scope: both utilities see it, office B does not.
CAMPAIGN = ALL_IN | {"reg_staff_b": 404}
# Campaign writes: the utility files county X's report and rectifies its items, office A manages the campaign
# and reviews. A page answers a write (or a refusal by the service, as a message) with 302 back to the page.
UTILITY_WRITES = REG_A_AND_X | {"reg_admin_a": 403, "reg_staff_a": 403, "manager_x": 302, "submitter_x": 302}
REGULATOR_WRITES = REG_A_AND_X | {"reg_admin_a": 302, "reg_staff_a": 302, "manager_x": 403, "submitter_x": 403}
IN_SCOPE = ("manager_x", "submitter_x", "manager_y", "submitter_y")  # people of the utilities in scope
OFFICE_A = ("reg_admin_a", "reg_staff_a")
MANAGES = CAMPAIGN | dict.fromkeys(OFFICE_A, 302) | dict.fromkeys(IN_SCOPE, 403)
# Any regulator office creates its own (a campaign, a checklist).
OFFICES_WRITE = dict.fromkeys(ROLES, 403) | {"anonymous": 302, "system_x": 302} | dict.fromkeys(ROLES[1:4], 302)
# Each utility in scope starts its own report (county X's exists: the page says so).
STARTS_REPORT = CAMPAIGN | dict.fromkeys(OFFICE_A, 403) | dict.fromkeys(IN_SCOPE, 302)
API_UTILITY_WRITES = API_REG_A_AND_X | {"reg_admin_a": 403, "reg_staff_a": 403}
API_UTILITY_CREATES = API_UTILITY_WRITES | {"manager_x": 201, "submitter_x": 201, "system_x": 201}
# ... where the viewset's roles refuse a regulator before the record is looked up.
API_UTILITY_ROLE_CREATES = API_UTILITY_CREATES | {"reg_staff_b": 403}
API_REGULATOR_WRITES = API_REG_A_AND_X | {"manager_x": 403, "submitter_x": 403, "system_x": 403}
API_MANAGES = dict.fromkeys(ROLES, 403) | {"anonymous": 401, "reg_admin_a": 200, "reg_staff_a": 200, "reg_staff_b": 404}
API_OFFICES_CREATE = dict.fromkeys(ROLES, 403) | {"anonymous": 401} | dict.fromkeys(ROLES[1:4], 201)


@pytest.fixture
def objects(world, calendar):
    county = world.county_x
    deadline = deadline_set(
        subject=county, utility=county, code="test.matrix", label="矩阵", due=timezone.now() - timedelta(days=1)
    )
    violation = violation_record(
        subject=county,
        utility=county,
        rule=None,
        code="test.matrix",
        source_class="commitment",
        occurred_at=timezone.now(),
        shortfall=timedelta(hours=1),
    )
    attachment = attachment_add(
        owner=county,
        utility=county,
        file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
        acting_user=world.user("submitter_x"),
    )
    job = ImportJob.objects.create(
        kind="complaints.tickets",
        organisation=county,
        created_by=world.user("submitter_x"),
        filename="x.xlsx",
        sha256="0" * 64,
    )
    campaign = make_campaign(world)
    report = filled_report(world, campaign)
    notice = register(world.user("submitter_x"), county)
    from complaints.services import complaint_create
    from tests.complaints.factories import ticket_data

    complaint, _ = complaint_create(data=ticket_data(), acting_user=world.user("system_x"))
    report_job = _report_job(county, world.user("submitter_x"), report)
    hidden = _unforwarded_12398(world)
    # Issue 13: a 12398 举报 of county X, the regulator's own case (never forwarded).
    jb_report, _ = complaint_create(
        data=ticket_data(channel="12398", kind="report", external_id="12398-JB-MATRIX", received_at=recent(1)),
        acting_user=world.user("reg_staff_a"),
    )
    from datetime import date as _date

    from reporting.publication import publication_prepare

    # Issue 13: office A's bulletin prepared for the public column, not approved.
    publication = publication_prepare(
        office=world.office_a, month=_date(2026, 10, 1), acting_user=world.user("reg_staff_a")
    )
    return {
        "publication": publication,
        "jb_report": jb_report,
        **hidden,
        "system": world.user("system_x"),
        "report_job": report_job,
        "county": county,
        "deadline": deadline,
        "violation": violation,
        "attachment": attachment,
        "job": job,
        "campaign": campaign,
        "report": report,
        "notice": notice,
        "complaint": complaint,
        # issue 20: company X's manager's view, shared within company X
        "saved_view": SavedView.objects.create(
            owner=world.user("manager_x"), organisation=world.company_x, page="violations", name="矩阵", shared=True
        ),
    }


def _unforwarded_12398(world) -> dict:
    """A 12398 item of county X the regulator has not forwarded, supervised (a deadline), with a violation
    recorded and a notification naming it."""
    from django.contrib.contenttypes.models import ContentType

    from complaints.lifecycle import complaint_supervise
    from complaints.models import Complaint
    from complaints.services import complaint_create
    from portal.models import Notification, TrackedDeadline
    from tests.complaints.factories import recent, ticket_data

    regulator = world.user("reg_staff_a")
    ticket, _ = complaint_create(
        data=ticket_data(channel="12398", external_id="12398-MATRIX", received_at=recent(1)), acting_user=regulator
    )
    complaint_supervise(ticket=ticket, acting_user=regulator, note="督办", due=timezone.now() + timedelta(hours=1))
    ct = ContentType.objects.get_for_model(Complaint)
    return {
        "hidden": ticket,
        "hidden_deadline": TrackedDeadline.objects.get(
            content_type=ct, object_id=ticket.pk, code="complaint.supervision"
        ),
        "hidden_violation": violation_record(
            subject=ticket,
            utility=ticket.utility,
            rule=None,
            code="complaint.supervision",
            source_class="regulator_rule",
            occurred_at=timezone.now(),
            shortfall=timedelta(hours=1),
        ),
        # `notify` sends county X nothing about it; a row naming it anyway must stay unread.
        "hidden_notification": Notification.objects.create(
            organisation=world.county_x, key="matrix", subject="督办", content_type=ct, object_id=ticket.pk
        ),
    }


def _report_job(county, user, report):
    """A generated report of county X (a stored file, without rendering it: this table is about access)."""
    import hashlib
    from pathlib import Path

    from django.conf import settings

    from reporting.models import ReportJob

    pdf = b"%PDF-1.4\n%%EOF\n"
    job = ReportJob.objects.create(
        kind="self_check",
        params={"report": report.pk},
        series_key="matrix",
        title="矩阵",
        organisation=county,
        created_by=user,
        status="done",
        progress=100,
        sha256=hashlib.sha256(pdf).hexdigest(),
        file="reports/matrix.pdf",
    )
    path = Path(settings.MEDIA_ROOT) / job.file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    return job


def _future(**_objects) -> str:
    return (timezone.now() + timedelta(days=1)).isoformat()


def _file(**_objects):
    return SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


HANDLER_X = {"reg_admin_a": 403, "reg_staff_a": 403}  # the utility's step: office A supervises, it does not handle
REGULATOR_A = {"manager_x": 403, "submitter_x": 403}  # the regulator's step


def _complaint_rows() -> list:
    ticket, hidden = "/complaints/{complaint.pk}", "/complaints/{hidden.pk}"
    api, api_hidden = "/api/v1/complaints/{complaint.pk}", "/api/v1/complaints/{hidden.pk}"
    html_ok = {r: 302 for r in ROLES if REG_A_AND_X[r] == 200}
    api_400 = {r: 400 for r in ROLES if API_REG_A_AND_X[r] == 200}
    steps = [
        # (step, data, API answer to the roles that may take it, who may take it)
        ("accept", {}, 200, HANDLER_X),
        ("contact", {}, 200, HANDLER_X),
        ("reply", {"opinion": "已处理", "note": "首次来电即答复"}, 200, HANDLER_X),
        # 409: the ticket's state refuses the step, whatever the body (portal.workflow.StepRefused)
        ("visit", {"satisfaction": "satisfied"}, 409, HANDLER_X),
        ("close", {}, 409, HANDLER_X),
        ("reopen", {"note": "矩阵"}, 409, HANDLER_X),
        ("appeal", {"note": "矩阵"}, 409, HANDLER_X),
        ("forward", {}, 409, REGULATOR_A),  # a 95598 ticket is not forwarded
        ("supervise", {"note": "督办", "due": _future}, 200, REGULATOR_A),
    ]
    rows = []
    for step, data, answer, refused in steps:
        rows.append(("post", f"{ticket}/{step}/", REG_A_AND_X | html_ok | refused, data))
        api_ok = {r: answer for r in ROLES if API_REG_A_AND_X[r] == 200}
        system = {"system_x": 403} if refused is REGULATOR_A else {}  # company X's system account is the utility
        rows.append(("post", f"{api}/{step}/", API_REG_A_AND_X | api_ok | refused | system, data))
    # The unforwarded 12398 item: office A forwards it (and could handle it itself); no utility sees it.
    rows += [
        ("post", f"{hidden}/forward/", REG_A_ONLY | {"reg_admin_a": 302, "reg_staff_a": 302}, {}),
        ("post", f"{api_hidden}/forward/", API_REG_A_ONLY, {}),
        ("post", f"{api_hidden}/contact/", API_REG_A_ONLY, {}),
        ("post", f"{api_hidden}/attachments/", API_REG_A_ONLY, {"file": _file}),
    ]
    # Linking (here: to itself, refused as such once the role may link it) and files: both sides.
    rows += [
        ("post", f"{ticket}/link/", REG_A_AND_X | html_ok, {"other": "{complaint.pk}"}),
        ("post", f"{api}/link/", API_REG_A_AND_X | api_400, {"other": "{complaint.pk}"}),
        ("post", f"{ticket}/attachments/", REG_A_AND_X | html_ok, {"file": _file}),
        ("post", f"{api}/attachments/", API_REG_A_AND_X, {"file": _file}),
    ]
    # Intake: the utility's own systems and people register 95598 tickets of their subtree only.
    rows.append(
        (
            "post",
            "/api/v1/complaints/",
            dict.fromkeys(ROLES, 403) | {"anonymous": 401, "manager_x": 201, "submitter_x": 201, "system_x": 201},
            {"__json__": True, **ticket_data(external_id="95598-MATRIX-NEW", received_at=recent(0.5))},
        )
    )
    return rows


def _complaint_outcome_rows() -> list:
    """Issue 13: 不予受理 and the finding. The received 95598 ticket: its utility declines it (office A only
    supervises); a finding waits for acceptance (409 to those who may record it). The unforwarded 12398
    item is office A's to decline, but the fixture's is supervised (409); no utility sees it."""
    ticket, hidden = "/complaints/{complaint.pk}", "/complaints/{hidden.pk}"
    api, api_hidden = "/api/v1/complaints/{complaint.pk}", "/api/v1/complaints/{hidden.pk}"
    html_ok = {r: 302 for r in ROLES if REG_A_AND_X[r] == 200}
    rows = []
    for step, data, answer in (
        ("decline", {"note": "无过失，不予受理"}, 200),
        ("finding", {"finding": "founded", "responsible_department": "营业厅"}, 409),
    ):
        api_ok = {r: answer for r in ROLES if API_REG_A_AND_X[r] == 200}
        rows.append(("post", f"{ticket}/{step}/", REG_A_AND_X | html_ok | HANDLER_X, data))
        rows.append(("post", f"{api}/{step}/", API_REG_A_AND_X | api_ok | HANDLER_X, data))
    rows += [
        ("post", f"{hidden}/decline/", REG_A_ONLY | {"reg_admin_a": 302, "reg_staff_a": 302}, {"note": "不予受理"}),
        # ... here refused by its state (409): the fixture's item is supervised, and is answered, not declined.
        (
            "post",
            f"{api_hidden}/decline/",
            API_REG_A_ONLY | {"reg_admin_a": 409, "reg_staff_a": 409},
            {"note": "不予受理"},
        ),
        ("post", f"{api_hidden}/finding/", API_REG_A_ONLY | {"reg_admin_a": 400, "reg_staff_a": 400}, {}),
    ]
    return rows


def _complaint_escalation_rows() -> list:
    """Issue 13: 约谈 is office A's step (here refused by the state: the ticket is not at the third level of
    督办, 409); the follow-up of a talk is the utility's (here none awaits one, 409). The sweep's escalation
    has no door. Nothing of the unforwarded 12398 item reaches a utility."""
    ticket, hidden = "/complaints/{complaint.pk}", "/complaints/{hidden.pk}"
    api, api_hidden = "/api/v1/complaints/{complaint.pk}", "/api/v1/complaints/{hidden.pk}"
    html_ok = {r: 302 for r in ROLES if REG_A_AND_X[r] == 200}
    api_409 = {r: 409 for r in ROLES if API_REG_A_AND_X[r] == 200}
    talk = {"held_at": _past, "attendees": "总经理", "agreement": "一周内整改", "follow_up_due": _future}
    decision = {"outcome": "rejected", "decision": "原处理正确"}
    return [
        ("post", f"{ticket}/talk/", REG_A_AND_X | html_ok | REGULATOR_A, talk),
        ("post", f"{api}/talk/", API_REG_A_AND_X | api_409 | REGULATOR_A | {"system_x": 403}, talk),
        ("post", f"{ticket}/follow_up/", REG_A_AND_X | html_ok | HANDLER_X, {"note": "已整改"}),
        ("post", f"{api}/follow_up/", API_REG_A_AND_X | api_409 | HANDLER_X, {"note": "已整改"}),
        ("post", f"{ticket}/escalate/", REG_A_AND_X | {r: 403 for r in ROLES if REG_A_AND_X[r] == 200}, {}),
        ("post", f"{api_hidden}/talk/", API_REG_A_ONLY | {"reg_admin_a": 409, "reg_staff_a": 409}, talk),
        # Deciding an appeal (申诉) is office A's: here none awaits a decision (409).
        ("post", f"{ticket}/decide_appeal/", REG_A_AND_X | html_ok | REGULATOR_A, decision),
        ("post", f"{api}/decide_appeal/", API_REG_A_AND_X | api_409 | REGULATOR_A | {"system_x": 403}, decision),
        ("post", f"{api_hidden}/decide_appeal/", API_REG_A_ONLY | {"reg_admin_a": 409, "reg_staff_a": 409}, decision),
        ("post", f"{hidden}/talk/", REG_A_ONLY | {"reg_admin_a": 302, "reg_staff_a": 302}, talk),
    ]


def _complaint_report_rows() -> list:
    """Issue 13: a 12398 举报 is office A's own case: only office A sees it, assigns it to its officer
    (200), investigates it once assigned (409 before) and never forwards it (409); no utility role, nor
    company X's system account, ever sees it (404)."""
    html, api = "/complaints/{jb_report.pk}", "/api/v1/complaints/{jb_report.pk}"
    html_regs = {"reg_admin_a": 302, "reg_staff_a": 302}
    api_409 = {"reg_admin_a": 409, "reg_staff_a": 409}  # refused by the report's state
    return [
        ("get", f"{html}/", REG_A_ONLY),
        ("get", f"{api}/", API_REG_A_ONLY),
        ("post", f"{html}/assign/", REG_A_ONLY | html_regs, {"officer": "reg_staff_a"}),
        ("post", f"{api}/assign/", API_REG_A_ONLY, {"officer": "reg_staff_a"}),
        ("post", f"{api}/investigate/", API_REG_A_ONLY | api_409, {"method": "现场核查", "findings": "属实"}),
        ("post", f"{api}/conclude/", API_REG_A_ONLY | api_409, {"finding": "founded", "conclusion": "属实"}),
        ("post", f"{api}/forward/", API_REG_A_ONLY | api_409, {}),
        ("post", f"{html}/forward/", REG_A_ONLY | html_regs, {}),
    ]


def _publication_rows() -> list:
    """Issue 13: office A's bulletin draft. Regulators prepare their own office's (302 back to the page);
    utilities have no such page (403); the draft is office A's alone (404 elsewhere) and never public (404 to
    all, signed in or not); only office A's administrator approves (the state refuses a draft: 302 with the
    message), its staff is refused (403)."""
    page, public = "/reports/bulletins/{publication.pk}", "/public/bulletins/{publication.pk}/"
    api = "/api/v1/bulletin-publications/{publication.pk}"
    api_office_a = dict.fromkeys(ROLES, 404) | {"anonymous": 401, "reg_admin_a": 200, "reg_staff_a": 200}
    api_utility_refused = dict.fromkeys(("manager_x", "submitter_x", "manager_y", "submitter_y", "system_x"), 403)
    regulators = dict.fromkeys(ROLES, 403) | {"anonymous": 302, "system_x": 302} | dict.fromkeys(ROLES[1:4], 200)
    office_a = dict.fromkeys(ROLES, 404) | {"anonymous": 302, "system_x": 302, "reg_admin_a": 200, "reg_staff_a": 200}
    return [
        ("get", "/public/bulletins/", dict.fromkeys(ROLES, 200)),
        ("get", public, dict.fromkeys(ROLES, 404)),
        ("get", "/reports/bulletins/", regulators),
        ("post", "/reports/bulletins/", regulators | dict.fromkeys(ROLES[1:4], 302), {"month": "2026-11"}),
        ("get", f"{page}/", office_a),
        ("post", f"{page}/submit/", office_a | {"reg_admin_a": 302, "reg_staff_a": 302}, {}),
        ("post", f"{page}/approve/", office_a | {"reg_admin_a": 302, "reg_staff_a": 403}, {}),
        # The API: read by whoever sees office A's records; the steps are the regulators' (403 to other roles
        # before the record is looked up), approving an administrator's (the draft is refused by its state: 409).
        ("get", "/api/v1/bulletin-publications/", API_ALL_IN),
        ("get", f"{api}/", api_office_a),
        ("post", f"{api}/submit/", api_office_a | api_utility_refused, {}),
        ("post", f"{api}/approve/", api_office_a | api_utility_refused | {"reg_admin_a": 409, "reg_staff_a": 403}, {}),
    ]


def _past(**_objects) -> str:
    return (timezone.now() - timedelta(hours=1)).isoformat()


def _outage_rows() -> list:
    """The notice is a scheduled planned outage of county X (published 03-01, 03-10 08:00–18:00). Its utility's
    subtree writes (a form posted back to the notice: 302), regulators read only (403), the others do not see it
    (404). Each row's data lets a permitted role succeed."""
    notice, api = "/outages/{notice.pk}", "/api/v1/outage-notices/{notice.pk}"
    html_ok = REG_A_AND_X | {"reg_admin_a": 403, "reg_staff_a": 403, "manager_x": 302, "submitter_x": 302}
    api_ok = API_REG_A_AND_X | {"reg_admin_a": 403, "reg_staff_a": 403, "reg_staff_b": 403}  # roles first
    steps = {  # the form's data (local times); the API takes the same with the zone
        "publish": {"published_at": "2026-03-02T09:00", "channels": ["sms"]},
        "reschedule": {"start_at": "2026-03-11T08:00", "end_at": "2026-03-11T18:00", "reason": "矩阵"},
        "start": {"at": "2026-03-10T08:05"},
        "restore": {"at": "2026-03-10T17:30"},
        "cancel": {"reason": "矩阵"},
    }
    rows = []
    for step, form in steps.items():
        rows.append(("post", f"{notice}/{step}/", html_ok, form))
        instants = {k: f"{v}:00+08:00" for k, v in form.items() if k.endswith("at")}
        rows.append(("post", f"{api}/{step}/", api_ok, {"__json__": True, **form, **instants}))
    item = {
        "utility": "T-X-C-K",
        "kind": "planned",
        "external_id": "TA-2026-0001",
        "area": "矩阵村",
        "start_at": "2026-03-10T08:00:00+08:00",
        "end_at": "2026-03-10T18:00:00+08:00",
        "published_at": "2026-03-01T09:00:00+08:00",
        "channels": ["sms"],
    }
    form = {k: v[:16] if k.endswith("at") else v for k, v in item.items() if k != "utility"}
    # Creating: company Y's roles may not name county X (the form answers its errors: 200; the API: 400).
    rows += [
        (
            "post",
            "/outages/new/",
            html_ok | {"reg_staff_b": 403, "manager_y": 200, "submitter_y": 200},
            form | {"utility": "{county.pk}", "external_id": "MATRIX-NEW"},
        ),
        ("post", f"{notice}/edit/", html_ok, form),
        (
            "post",
            "/api/v1/outage-notices/",
            api_ok
            | dict.fromkeys(("manager_x", "submitter_x", "system_x"), 201)
            | {"manager_y": 400, "submitter_y": 400},
            {"__json__": True, **item, "external_id": "MATRIX-NEW"},
        ),
        ("put", f"{api}/", api_ok, {"__json__": True, **item}),
        # Bulk answers 200 and reports each item (company Y's item: a 400 of its own).
        (
            "post",
            "/api/v1/outage-notices/bulk/",
            api_ok | {"manager_y": 200, "submitter_y": 200},
            {"__json__": True, "items": [item | {"external_id": "MATRIX-B"}]},
        ),
    ]
    return rows


def _issue12_records(world) -> dict:
    """Issue 12's records, made when a row names them: a 4-step residential connection application of county
    X, applied two days ago (pushed by company X's system)."""

    def connection(_records):
        from complaints.connections import connection_create

        data = {
            "source": "营销系统",
            "external_id": "YK-MATRIX",
            "utility": "T-X-C-K",
            "customer_class": "residential",
            "capacity_kva": "8",
            "applied_at": (timezone.now() - timedelta(days=2)).isoformat(),
        }
        return connection_create(data=data, acting_user=world.user("system_x"))[0]

    def meter_request(_records):
        from complaints.meters import meter_create

        data = {
            "source": "营销系统",
            "external_id": "JL-MATRIX",
            "utility": "T-X-C-K",
            "kind": "test",
            "requested_at": (timezone.now() - timedelta(days=2)).isoformat(),
        }
        return meter_create(data=data, acting_user=world.user("system_x"))[0]

    def arrears_case(_records):
        from outages.arrears import arrears_create

        data = {
            "source": "营销系统",
            "external_id": "QF-MATRIX",
            "utility": "T-X-C-K",
            "amount_yuan": "200",
            "overdue_since": (timezone.now() - timedelta(days=40)).isoformat(),
        }
        return arrears_create(data=data, acting_user=world.user("system_x"))[0]

    return {"connection": connection, "meter_request": meter_request, "arrears_case": arrears_case}


def _an_hour_ago_local(**_objects) -> str:
    return timezone.localtime(timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def _an_hour_ago(**_objects) -> str:
    return (timezone.now() - timedelta(hours=1)).isoformat()


def _connection_rows() -> list:
    """The application is county X's (applied): its utility's subtree takes the steps (a page answers 302 back
    to the application; the API 200, or 409 when the state refuses), office A reads only (403), the others do
    not see it (404). Applications are pushed by the utilities' systems and people, never by a regulator."""
    page, api = "/complaints/connections/{connection.pk}", "/api/v1/connections/{connection.pk}"
    html_ok = REG_A_AND_X | {"reg_admin_a": 403, "reg_staff_a": 403, "manager_x": 302, "submitter_x": 302}
    steps = [  # (step, extra data, API answer to county X's roles)
        ("reply_scheme", {}, 200),
        ("accept", {}, 409),  # an applied application has no scheme reply yet
        ("power_on", {}, 409),  # four steps: power-on follows the acceptance
        ("withdraw", {"note": "客户撤回申请"}, 200),
    ]
    rows = [
        ("get", "/complaints/connections/", ALL_IN),
        ("get", "/complaints/connections/{connection.pk}/", REG_A_AND_X),
        ("get", "/api/v1/connections/", API_ALL_IN),
        ("get", "/api/v1/connections/{connection.pk}/", API_REG_A_AND_X),
    ]
    for step, extra, answer in steps:
        rows.append(("post", f"{page}/{step}/", html_ok, {"at": _an_hour_ago_local, **extra}))
        api_ok = dict.fromkeys(("manager_x", "submitter_x", "system_x"), answer)
        rows.append(
            (
                "post",
                f"{api}/{step}/",
                API_REG_A_AND_X | {"reg_admin_a": 403, "reg_staff_a": 403} | api_ok,
                {"__json__": True, "at": _an_hour_ago, **extra},
            )
        )
    item = {
        "source": "营销系统",
        "external_id": "YK-MATRIX-NEW",
        "utility": "T-X-C-K",
        "customer_class": "小微企业",
        "capacity_kva": "100",
        "applied_at": "2026-03-02T10:00:00+08:00",
    }
    rows += [
        (
            "post",
            "/api/v1/connections/",
            dict.fromkeys(ROLES, 403) | {"anonymous": 401, "manager_x": 201, "submitter_x": 201, "system_x": 201},
            {"__json__": True, **item},
        ),
        # Bulk answers 200 and reports each item (a regulator's or company Y's item: an error of its own).
        ("post", "/api/v1/connections/bulk/", API_ALL_IN, {"__json__": True, "items": [item]}),
    ]
    return rows


def _meter_rows() -> list:
    """The request is a meter test of county X, awaiting its result: as the connection application."""
    page, api = "/complaints/meters/{meter_request.pk}", "/api/v1/meter-requests/{meter_request.pk}"
    html_ok = REG_A_AND_X | {"reg_admin_a": 403, "reg_staff_a": 403, "manager_x": 302, "submitter_x": 302}
    api_ok = API_REG_A_AND_X | {"reg_admin_a": 403, "reg_staff_a": 403}
    result = {"within_tolerance": "no", "error_percent": "2.5", "refund_yuan": "12.00"}
    item = {
        "source": "营销系统",
        "external_id": "JL-MATRIX-NEW",
        "utility": "T-X-C-K",
        "kind": "抄表数据异常",
        "requested_at": "2026-03-02T10:00:00+08:00",
    }
    return [
        ("get", "/complaints/meters/", ALL_IN),
        ("get", "/complaints/meters/{meter_request.pk}/", REG_A_AND_X),
        ("get", "/api/v1/meter-requests/", API_ALL_IN),
        ("get", "/api/v1/meter-requests/{meter_request.pk}/", API_REG_A_AND_X),
        ("post", f"{page}/answer/", html_ok, {"at": _an_hour_ago_local, **result}),
        ("post", f"{api}/answer/", api_ok, {"__json__": True, "at": _an_hour_ago, **result}),
        ("post", f"{page}/withdraw/", html_ok, {"at": _an_hour_ago_local, "note": "客户撤回"}),
        ("post", f"{api}/withdraw/", api_ok, {"__json__": True, "at": _an_hour_ago, "note": "客户撤回"}),
        (
            "post",
            "/api/v1/meter-requests/",
            dict.fromkeys(ROLES, 403) | {"anonymous": 401, "manager_x": 201, "submitter_x": 201, "system_x": 201},
            {"__json__": True, **item},
        ),
        ("post", "/api/v1/meter-requests/bulk/", API_ALL_IN, {"__json__": True, "items": [item]}),
    ]


def _arrears_rows() -> list:
    """The case is county X's arrears, 40 days overdue, nothing done yet: as the connection application."""
    page, api = "/outages/arrears/{arrears_case.pk}", "/api/v1/arrears-cases/{arrears_case.pk}"
    html_ok = REG_A_AND_X | {"reg_admin_a": 403, "reg_staff_a": 403, "manager_x": 302, "submitter_x": 302}
    api_ok = API_REG_A_AND_X | {"reg_admin_a": 403, "reg_staff_a": 403}
    api_409 = api_ok | dict.fromkeys(("manager_x", "submitter_x", "system_x"), 409)
    steps = [  # (step, extra data, the API's answer: 409 where the state refuses)
        ("remind", {}, api_ok),
        ("notify", {"announced_cut_at": _future}, api_ok),
        ("renotice", {}, api_409),  # no notice yet
        ("disconnect", {}, api_ok),
        ("pay", {}, api_ok),
        ("reconnect", {}, api_409),  # not paid
    ]
    rows = [
        ("get", "/outages/arrears/", ALL_IN),
        ("get", "/outages/arrears/{arrears_case.pk}/", REG_A_AND_X),
        ("get", "/api/v1/arrears-cases/", API_ALL_IN),
        ("get", "/api/v1/arrears-cases/{arrears_case.pk}/", API_REG_A_AND_X),
    ]
    for step, extra, answer in steps:
        form = {"at": _an_hour_ago_local, **extra}
        if "announced_cut_at" in extra:
            form["announced_cut_at"] = lambda **_o: timezone.localtime(timezone.now() + timedelta(days=8)).strftime(
                "%Y-%m-%dT%H:%M"
            )
        rows.append(("post", f"{page}/{step}/", html_ok, form))
        rows.append(("post", f"{api}/{step}/", answer, {"__json__": True, "at": _an_hour_ago, **extra}))
    item = {
        "source": "营销系统",
        "external_id": "QF-MATRIX-NEW",
        "utility": "T-X-C-K",
        "amount_yuan": "88.50",
        "overdue_since": "2026-03-01T00:00:00+08:00",
    }
    rows += [
        (
            "post",
            "/api/v1/arrears-cases/",
            dict.fromkeys(ROLES, 403) | {"anonymous": 401, "manager_x": 201, "submitter_x": 201, "system_x": 201},
            {"__json__": True, **item},
        ),
        ("post", "/api/v1/arrears-cases/bulk/", API_ALL_IN, {"__json__": True, "items": [item]}),
    ]
    return rows


# --------------------------------------------------------------------------- issue 12: large customers


def _large_customer_records(world) -> dict:
    """County X's large customer (a 110 kV hospital, first class) with a spring inspection, a hazard notice just
    issued from it (not signed) and county X's filing to the government due — made through the services."""
    from campaigns.services import large_customers as lcs

    def customer(_records):
        return lcs.large_customer_register(
            utility=world.county_x,
            acting_user=world.user("submitter_x"),
            name="汶源县人民医院",
            account_number="0301000001",
            importance="first",
            voltage_kv=110,
            registered_on=date(2026, 1, 5),
        )

    def inspection(records):
        return lcs.large_customer_inspect(
            customer=records["lc_customer"],
            inspected_on=date(2026, 3, 20),
            inspector="王建国",
            season="spring",
            acting_user=world.user("submitter_x"),
        )

    def notice(records):
        return lcs.hazard_notice_issue(
            inspection=records["lc_inspection"],
            hazard="主变渗油",
            measures="停电处理",
            deadline=date(2099, 4, 30),
            inspector="王建国",
            acting_user=world.user("submitter_x"),
        )

    def filing(records):
        from campaigns.models import GovernmentFiling

        assert records["lc_customer"].pk  # registering the customer opens county X's filing
        return GovernmentFiling.objects.get(utility=world.county_x, status="due")

    return {"lc_customer": customer, "lc_inspection": inspection, "lc_notice": notice, "lc_filing": filing}


def _yesterday(**_objects) -> str:
    return (timezone.localdate() - timedelta(days=1)).isoformat()


def _large_customer_rows() -> list:
    """County X's utility subtree maintains its register, records inspections, issues and takes the notices
    through their steps and files to the government (a page answers 302 back to the record; the API 200/201, or
    409 where the state refuses); office A reads (its pages 200, its writes 403); office B and company Y do not
    see county X's records (404). The register page and its new-entry form are every utility's."""
    page_c, api_c = "/campaigns/large-customers/{lc_customer.pk}", "/api/v1/large-customers/{lc_customer.pk}"
    page_n, api_n = "/campaigns/hazard-notices/{lc_notice.pk}", "/api/v1/hazard-notices/{lc_notice.pk}"
    page_f, api_f = "/campaigns/large-customer-filings/{lc_filing.pk}", "/api/v1/large-customer-filings/{lc_filing.pk}"
    html_ok = REG_A_AND_X | {"reg_admin_a": 403, "reg_staff_a": 403, "manager_x": 302, "submitter_x": 302}
    api_x = dict.fromkeys(("manager_x", "submitter_x", "system_x"))
    api_write = API_REG_A_AND_X | dict.fromkeys(("reg_admin_a", "reg_staff_a", "reg_staff_b"), 403)
    api_step = API_REG_A_AND_X | {"reg_admin_a": 403, "reg_staff_a": 403}
    utility_people = ("manager_x", "submitter_x", "manager_y", "submitter_y")
    visit = {"inspected_on": _yesterday, "inspector": "李明", "season": "routine"}
    new_notice = {"hazard": "电缆沟积水", "measures": "排水并封堵", "deadline": "2099-06-30", "inspector": "李明"}
    sign = {"signatory": "院办 李主任"}
    entry = {
        "utility": "T-X-C-K",
        "name": "泰山化工有限公司",
        "account_number": "0301000099",
        "importance": "second",
        "voltage_kv": "35",
        "high_risk": True,
        "registered_on": "2026-01-05",
    }
    filed = {"filed_on": _yesterday, "authority": "汶源县应急管理局"}
    return [
        ("get", "/campaigns/large-customers/", ALL_IN),
        ("get", "/campaigns/large-customer-filings/", ALL_IN),
        ("get", f"{page_c}/", REG_A_AND_X),
        ("get", f"{page_n}/", REG_A_AND_X),
        ("get", f"{page_f}/", REG_A_AND_X),
        (
            "get",
            "/campaigns/large-customers/new/",
            dict.fromkeys(ROLES, 403) | {"anonymous": 302, "system_x": 302} | dict.fromkeys(utility_people, 200),
        ),
        ("get", f"{page_c}/edit/", REG_A_AND_X | {"reg_admin_a": 403, "reg_staff_a": 403}),
        (
            "post",
            f"{page_c}/edit/",
            html_ok,
            {
                "name": "汶源县人民医院（新院区）",
                "account_number": "0301000001",
                "importance": "first",
                "voltage_kv": "110",
                "source_count": "2",
                "registered_on": "2026-01-05",
                "status": "active",
            },
        ),
        ("post", f"{page_c}/inspections/", html_ok, visit),
        ("post", f"{page_c}/emergency-plan/", html_ok, {"file": _file}),
        ("post", "/campaigns/large-customer-inspections/{lc_inspection.pk}/notices/", html_ok, new_notice),
        ("post", f"{page_n}/sign/", html_ok, {"at": _an_hour_ago_local, **sign}),
        ("post", f"{page_n}/close/", html_ok, {}),  # not received yet: the page says why (302 back)
        (
            "post",
            f"{page_n}/renotice/",
            html_ok,
            {"deadline": "2099-12-31", "refiled_on": _yesterday, "note": "再梳理"},
        ),
        ("post", f"{page_f}/file/", html_ok, filed),
        ("get", "/api/v1/large-customers/", API_ALL_IN),
        ("get", f"{api_c}/", API_REG_A_AND_X),
        ("get", "/api/v1/large-customer-inspections/", API_ALL_IN),
        ("get", "/api/v1/large-customer-inspections/{lc_inspection.pk}/", API_REG_A_AND_X),
        ("get", "/api/v1/hazard-notices/", API_ALL_IN),
        ("get", f"{api_n}/", API_REG_A_AND_X),
        ("get", "/api/v1/large-customer-filings/", API_ALL_IN),
        ("get", f"{api_f}/", API_REG_A_AND_X),
        # The register: county X's subtree creates (company Y's people are refused county X's utility: 403).
        (
            "post",
            "/api/v1/large-customers/",
            dict.fromkeys(ROLES, 403) | {"anonymous": 401} | dict.fromkeys(api_x, 201),
            {"__json__": True, **entry},
        ),
        # Bulk answers 200 with a result per entry (company Y's people: an error of their own); regulators 403.
        (
            "post",
            "/api/v1/large-customers/bulk/",
            API_ALL_IN | dict.fromkeys(("reg_admin_a", "reg_staff_a", "reg_staff_b"), 403),
            {"__json__": True, "items": [entry | {"source": "营销系统", "external_id": "DK-MATRIX"}]},
        ),
        ("patch", f"{api_c}/", api_write, {"__json__": True, "high_risk": True}),
        ("post", f"{api_c}/inspections/", api_write | dict.fromkeys(api_x, 201), {"__json__": True, **visit}),
        ("post", f"{api_c}/emergency-plan/", api_write, {"file": _file}),
        (
            "post",
            "/api/v1/hazard-notices/",
            api_write | dict.fromkeys(api_x, 201),
            {"__json__": True, "inspection": "{lc_inspection.pk}", **new_notice},
        ),
        ("post", f"{api_n}/sign/", api_step, {"__json__": True, "at": _an_hour_ago, **sign}),
        ("post", f"{api_n}/close/", api_step | dict.fromkeys(api_x, 409), {"__json__": True}),
        (
            "post",
            f"{api_n}/renotice/",
            api_step | dict.fromkeys(api_x, 409),  # not overdue
            {"__json__": True, "deadline": "2099-12-31", "refiled_on": _yesterday, "note": "再梳理"},
        ),
        ("post", f"{api_f}/file/", api_step, {"__json__": True, **filed}),
    ]


class _Records(dict):
    """The objects above, and the campaign records a row names ({finding.pk} …), made when it names them."""

    def __init__(self, objects: dict, builders: dict):
        super().__init__(objects)
        self.builders = builders

    def __missing__(self, key):
        self[key] = value = self.builders[key](self)
        return value


def _with_evidence(item, user):
    attach_evidence(item, user)
    return item


def _campaign_records(world) -> dict:
    """How each campaign record of the write rows is made (through the services): office A's campaign with
    county X's draft report (the objects above), a finding and rectification items of it, a small checklist
    answered, an inspection; reports of county X under review and returned (in campaigns of their own)."""
    reg, sub = world.user("reg_admin_a"), world.user("submitter_x")

    def reviewed(records):
        campaign = make_campaign(world, code="T-2026-R")
        report = filled_report(world, campaign)
        return services.report_submit(report=report, acting_user=sub)

    def checklist_item(records):
        template = services.checklist_create(
            code="T-MATRIX",
            title="矩阵检查表",
            items=[{"group": "查制度", "number": 1, "text": "查制度执行。"}],
            acting_user=reg,
        )
        services.checklist_attach(focus_item=records["focus"], checklist=template, acting_user=reg)
        return template.items.get()

    return {
        "finding": lambda r: services.finding_add(report=r["report"], text="矩阵问题", acting_user=sub),
        # With its completion evidence (issue 11: completion needs a file), so that completing it can succeed.
        "item": lambda r: _with_evidence(
            services.rectification_add(
                finding=r["finding"],
                measure="矩阵措施",
                department="运检部",
                person="",
                due_date=date(2026, 12, 20),
                acting_user=sub,
            ),
            sub,
        ),
        "done_item": lambda r: services.rectification_transition(
            item=r["item"], to=RectificationStatus.DONE_PENDING_VERIFICATION, acting_user=sub, note="已完成"
        ),
        "submitted": reviewed,
        "returned": lambda r: services.report_return(report=r["submitted"], comment="补充", acting_user=reg),
        "focus": lambda r: services.focus_item_save(campaign=r["campaign"], acting_user=reg, title="矩阵重点"),
        "checklist_item": checklist_item,
        "answer": lambda r: services.answer_save(
            report=r["report"], item=r["checklist_item"], answer="non_compliant", acting_user=sub
        ),
        "inspected_on": lambda r: r["campaign"].phases.get(kind="inspection").start_date,
        "inspection": lambda r: services.inspection_create(
            campaign=r["campaign"], utility=world.county_x, inspected_on=r["inspected_on"], acting_user=reg
        ),
        "first_phase": lambda r: r["campaign"].phases.get(kind="deployment"),
    }


def _campaign_rows() -> list:
    """Office A's campaign (county X and company Y in scope) with county X's draft report: office A manages the
    campaign and reviews, county X's utility files and rectifies. The records a row names beyond the objects
    ({finding.pk} …) are made for it (`_campaign_records`). Each row's data lets a permitted role succeed."""
    report, item, done = "/campaigns/reports/{report.pk}", "/campaigns/rectification/{item.pk}", "{done_item.pk}"
    api_report, api_item = "/api/v1/self-check-reports", "/api/v1/rectification-items"
    new_campaign = {"code": "M-1", "title": "矩阵", "start_date": "2026-01-01", "end_date": "2026-12-31"}
    filed = {"declared_organisation": "国网汶源县供电公司", "period_start": "2025-01-01", "period_end": "2026-04-30"}
    return [
        # ... the campaign (its issuing office; any regulator office creates its own)
        ("post", "/campaigns/", OFFICES_WRITE, {f"new-{k}": v for k, v in new_campaign.items()}),
        ("post", "/campaigns/{campaign.pk}/edit/", MANAGES, {"title": "矩阵专项行动", "is_public": "on"}),
        ("post", "/campaigns/{campaign.pk}/scope/", MANAGES, {"organisations": "{county.pk}"}),
        (
            "post",
            "/campaigns/{campaign.pk}/phases/",
            MANAGES,
            {"name": "补充", "kind": "other", "start_date": "2026-06-01", "end_date": "2026-06-10"},
        ),
        ("post", "/campaigns/{campaign.pk}/phase-override/", MANAGES, {"action": "hold", "reason": "矩阵"}),
        ("post", "/campaigns/{campaign.pk}/focus-items/", MANAGES, {"title": "矩阵重点"}),
        ("post", "/campaigns/{campaign.pk}/focus-items/{focus.pk}/checklist/", MANAGES, {"checklist": ""}),
        (
            "post",
            "/campaigns/{campaign.pk}/deliverables/",
            MANAGES,
            {"title": "矩阵材料", "kind": "other", "due_date": "2026-12-20", "per_utility": "on"},
        ),
        ("post", "/campaigns/{campaign.pk}/highlights/", MANAGES, {"title": "矩阵", "body": "矩阵"}),
        ("post", "/campaigns/{campaign.pk}/documents/", MANAGES, {"file": _file}),
        (
            "post",
            "/campaigns/{campaign.pk}/inspections/",
            MANAGES,
            {"utility": "{county.pk}", "inspected_on": "{inspected_on}"},
        ),
        ("post", "/campaigns/inspections/{inspection.pk}/", REGULATOR_WRITES, {"text": "矩阵问题"}),
        (
            "post",
            "/campaigns/checklists/",
            OFFICES_WRITE,
            {"code": "M-C", "title": "矩阵", "lines": "查制度|1|查制度。|要点"},
        ),
        ("post", "/api/v1/campaigns/", API_OFFICES_CREATE, {"__json__": True, **new_campaign}),
        ("patch", "/api/v1/campaigns/{campaign.pk}/", API_MANAGES, {"__json__": True, "title": "矩阵专项行动"}),
        ("post", "/api/v1/campaigns/{campaign.pk}/scope/", API_MANAGES, {"__json__": True, "organisations": ["T-X"]}),
        (
            "post",
            "/api/v1/campaigns/{campaign.pk}/phase-override/",
            API_MANAGES,
            {"__json__": True, "action": "hold", "reason": "矩阵"},
        ),
        (
            "post",
            "/api/v1/campaigns/{campaign.pk}/attach-checklist/",
            API_MANAGES,
            {"__json__": True, "focus_item": "{focus.pk}", "checklist": None},
        ),
        ("delete", "/api/v1/campaign-phases/{first_phase.pk}/", API_MANAGES | dict.fromkeys(OFFICE_A, 204)),
        (
            "post",
            "/api/v1/campaign-deliverables/",
            API_OFFICES_CREATE | {"reg_staff_b": 400},  # office B's people do not see the campaign named
            {"__json__": True, "campaign": "T-2026", "title": "矩阵材料", "kind": "other", "due_date": "2026-12-20"},
        ),
        (
            "post",
            "/api/v1/campaign-inspections/",
            API_OFFICES_CREATE | {"reg_staff_b": 400},
            {"__json__": True, "campaign": "T-2026", "utility": "T-X-C-K", "inspected_on": "{inspected_on}"},
        ),
        (
            "post",
            "/api/v1/checklists/",
            API_OFFICES_CREATE,
            {"__json__": True, "code": "M-C", "title": "矩阵", "items": [{"group": "查", "number": 1, "text": "查。"}]},
        ),
        # ... the self-check report (county X's: its utility files, office A reviews)
        ("post", "/campaigns/{campaign.pk}/report/", STARTS_REPORT, {}),
        ("post", f"{report}/", UTILITY_WRITES, {"title": "矩阵自查报告", **filed}),
        ("post", f"{report}/answers/", UTILITY_WRITES, {"answer_{checklist_item.pk}": "compliant"}),
        ("post", f"{report}/answers/{{answer.pk}}/evidence/", UTILITY_WRITES, {"file": _file}),
        ("post", f"{report}/findings/", UTILITY_WRITES, {"text": "矩阵问题"}),
        ("post", f"{report}/submit/", UTILITY_WRITES, {}),
        ("post", "/campaigns/reports/{submitted.pk}/return/", REGULATOR_WRITES, {"comment": "补充"}),
        ("post", "/campaigns/reports/{returned.pk}/resubmit/", UTILITY_WRITES, {}),
        ("post", "/campaigns/reports/{submitted.pk}/accept/", REGULATOR_WRITES, {"comment": ""}),
        (
            "post",
            f"{api_report}/",
            API_UTILITY_ROLE_CREATES
            | {"manager_x": 400, "submitter_x": 409, "manager_y": 201, "submitter_y": 201, "system_x": 400},
            {"__json__": True, "campaign": "T-2026", **filed},
        ),
        (
            "patch",
            f"{api_report}/{{report.pk}}/",
            API_UTILITY_ROLE_CREATES | {"manager_x": 200, "submitter_x": 200, "system_x": 200},
            {"__json__": True, "summary": "矩阵"},
        ),
        (
            "post",
            f"{api_report}/{{report.pk}}/answers/",
            API_UTILITY_ROLE_CREATES,
            {"__json__": True, "item": "{checklist_item.pk}", "answer": "compliant"},
        ),
        (
            "post",
            f"{api_report}/{{report.pk}}/answers/{{answer.pk}}/evidence/",
            API_UTILITY_ROLE_CREATES,
            {"file": _file},
        ),
        (
            "post",
            "/api/v1/campaign-findings/",
            API_UTILITY_CREATES,
            {"__json__": True, "report": "{report.pk}", "text": "矩阵"},
        ),
        ("post", f"{api_report}/{{report.pk}}/submit/", API_UTILITY_WRITES, {"__json__": True}),
        ("post", f"{api_report}/{{submitted.pk}}/return/", API_REGULATOR_WRITES, {"__json__": True, "comment": "补充"}),
        ("post", f"{api_report}/{{returned.pk}}/resubmit/", API_UTILITY_WRITES, {"__json__": True}),
        ("post", f"{api_report}/{{submitted.pk}}/accept/", API_REGULATOR_WRITES, {"__json__": True}),
        # ... rectification (county X's items: its utility rectifies, office A verifies)
        (
            "post",
            "/campaigns/findings/{finding.pk}/items/",
            UTILITY_WRITES,
            {"measure": "矩阵", "department": "运检部"},
        ),
        ("post", f"{item}/start/", UTILITY_WRITES, {}),
        ("post", f"{item}/complete/", UTILITY_WRITES, {"note": "已完成"}),
        ("post", f"{item}/evidence/", UTILITY_WRITES, {"file": _file}),
        ("post", f"/campaigns/rectification/{done}/verify/", REGULATOR_WRITES, {"note": "核实"}),
        ("post", f"/campaigns/rectification/{done}/reject/", REGULATOR_WRITES, {"note": "未整改到位"}),
        (
            "post",
            f"{api_item}/",
            API_UTILITY_CREATES,
            {"__json__": True, "finding": "{finding.pk}", "measure": "矩阵", "department": "运检部"},
        ),
        ("post", f"{api_item}/{{item.pk}}/start/", API_UTILITY_WRITES, {"__json__": True}),
        ("post", f"{api_item}/{{item.pk}}/complete/", API_UTILITY_WRITES, {"__json__": True, "note": "已完成"}),
        ("post", f"{api_item}/{{item.pk}}/evidence/", API_UTILITY_ROLE_CREATES, {"file": _file}),
        ("post", f"{api_item}/{done}/verify/", API_REGULATOR_WRITES, {"__json__": True, "note": "核实"}),
        ("post", f"{api_item}/{done}/reject/", API_REGULATOR_WRITES, {"__json__": True, "note": "未整改到位"}),
    ]


OWN_VIEW = dict.fromkeys(ROLES, 404) | {"anonymous": 302, "system_x": 302, "manager_x": 302}


def _issue20_rows() -> list:
    """Issue 20: 我的待办 (each role reads its own items), the violations' bulk decision."""
    return [
        ("get", "/worklist/", ALL_IN),
        ("get", "/worklist/?kind=deliverable", ALL_IN),
        ("get", "/worklist/?kind=violation", ALL_IN),
        ("get", "/violations/", ALL_IN),
        # One decision for many: a regulator's, and only for what its office supervises (office B's choice of
        # office A's violation changes nothing and says so); utilities are refused.
        (
            "post",
            "/violations/bulk/",
            ALL_IN | dict.fromkeys(ROLES[1:4], 302) | dict.fromkeys(IN_SCOPE, 403),
            {"ids": "{violation.pk}", "disposition": "confirmed", "reason": "matrix"},
        ),
        # Saved views: anyone signed in saves their own; a view opens for its owner and, shared, for the
        # people of the owner's organisation (company X: its manager only here); only the owner deletes it.
        ("post", "/views/", ALL_IN | dict.fromkeys(ROLES, 302), {"page": "complaints:list", "name": "m", "query": ""}),
        ("get", "/views/{saved_view.pk}/", OWN_VIEW),
        ("post", "/views/{saved_view.pk}/delete/", OWN_VIEW, {}),
        # Long forms: a rectification item of county X's draft report gets its responsible person (its utility).
        ("post", "/campaigns/rectification/{item.pk}/owner/", UTILITY_WRITES, {"person": "矩阵"}),
    ]


def _submission_records(world) -> dict:
    """Issue 11: a progress report of office A's campaign, county X's filing of it (under review) and a filing
    of another one returned for revision."""
    reg, sub = world.user("reg_admin_a"), world.user("submitter_x")

    def deliverable(title, due):
        return lambda r: services.deliverable_save(
            campaign=r["campaign"], acting_user=reg, kind="progress_report", title=title, due_date=due
        )

    def filed(key, due):
        return lambda r: services.submission_file(
            deliverable=r[key], utility=world.county_x, occurrence=due, text="矩阵", acting_user=sub
        )

    return {
        "deliverable": deliverable("矩阵进度报告", date(2026, 10, 10)),
        "filed": filed("deliverable", date(2026, 10, 10)),
        "deliverable2": deliverable("矩阵进度报告二", date(2026, 11, 20)),
        "sub_returned": lambda r: services.submission_return(
            submission=filed("deliverable2", date(2026, 11, 20))(r), comment="补充", acting_user=reg
        ),
    }


def _submission_rows() -> list:
    """Issue 11: deliverable submissions. The utilities in scope file their own; office A reviews."""
    api = "/api/v1/deliverable-submissions"
    filing = {"occurrence": "2026-10-10", "text": "矩阵"}
    return [
        ("get", "/campaigns/deliverables/{deliverable.pk}/", CAMPAIGN),
        ("get", "/campaigns/deliverables/{deliverable.pk}/export.xlsx", CAMPAIGN),
        ("get", "/campaigns/submissions/", ALL_IN),
        ("get", "/campaigns/submissions/{filed.pk}/", REG_A_AND_X),
        ("post", "/campaigns/deliverables/{deliverable.pk}/file/", STARTS_REPORT, filing),
        ("post", "/campaigns/submissions/{sub_returned.pk}/", UTILITY_WRITES, {"text": "矩阵修改"}),
        ("post", "/campaigns/submissions/{filed.pk}/documents/", UTILITY_WRITES, {"file": _file}),
        ("post", "/campaigns/submissions/{filed.pk}/submit/", UTILITY_WRITES, {}),  # filed already: a message
        ("post", "/campaigns/submissions/{filed.pk}/return/", REGULATOR_WRITES, {"comment": "补充"}),
        ("post", "/campaigns/submissions/{filed.pk}/accept/", REGULATOR_WRITES, {"comment": ""}),
        ("post", "/campaigns/submissions/{sub_returned.pk}/resubmit/", UTILITY_WRITES, {}),
        ("get", f"{api}/", API_ALL_IN),
        ("get", f"{api}/{{filed.pk}}/", API_REG_A_AND_X),
        (
            "get",
            "/api/v1/campaign-deliverables/{deliverable.pk}/filings/",
            {**CAMPAIGN, "anonymous": 401, "system_x": 200},
        ),
        (
            "post",
            f"{api}/",
            API_UTILITY_ROLE_CREATES | {"manager_x": 400, "system_x": 400, "manager_y": 201, "submitter_y": 201},
            {"__json__": True, "deliverable": "{deliverable.pk}", **filing},
        ),
        (
            "patch",
            f"{api}/{{sub_returned.pk}}/",
            API_UTILITY_ROLE_CREATES | {"manager_x": 200, "submitter_x": 200, "system_x": 200},
            {"__json__": True, "text": "矩阵修改"},
        ),
        ("post", f"{api}/{{filed.pk}}/documents/", API_UTILITY_ROLE_CREATES, {"file": _file}),
        (
            "post",
            f"{api}/{{filed.pk}}/submit/",
            API_UTILITY_WRITES | {"manager_x": 409, "submitter_x": 409, "system_x": 409},  # filed already
            {"__json__": True},
        ),
        ("post", f"{api}/{{filed.pk}}/return/", API_REGULATOR_WRITES, {"__json__": True, "comment": "补充"}),
        ("post", f"{api}/{{filed.pk}}/accept/", API_REGULATOR_WRITES, {"__json__": True}),
        ("post", f"{api}/{{sub_returned.pk}}/resubmit/", API_UTILITY_WRITES, {"__json__": True}),
    ]


def _people_records(world) -> dict:
    """Issue 11: a leading group of office A's campaign with a member and an office duty, and a zone."""
    admin = world.user("reg_admin_a")
    return {
        "group": lambda r: services.group_save(
            campaign=r["campaign"], acting_user=admin, kind="regulator", name="矩阵"
        ),
        "member": lambda r: services.member_save(group=r["group"], acting_user=admin, role="member", name="矩阵"),
        "duty": lambda r: services.duty_save(group=r["group"], acting_user=admin, department="综合处", duties="矩阵"),
        "zone": lambda r: services.zone_save(campaign=r["campaign"], acting_user=admin, kind="示范区", name="矩阵"),
    }


# Issue 11: the regulator admins of the issuing office maintain groups and zones (its staff do not).
GROUP_ADMIN = MANAGES | {"reg_staff_a": 403}
API_GROUP_ADMIN = API_MANAGES | {"reg_staff_a": 403}
API_GROUP_ADMIN_CREATES = API_OFFICES_CREATE | {"reg_staff_a": 403, "reg_staff_b": 400}


def _people_rows() -> list:
    member = {"member-role": "member", "member-name": "矩阵"}
    zone = {"zone-kind": "示范区", "zone-name": "矩阵", "zone-status": "designated"}
    review = {"source": "consumer_review", "utility": "{county.pk}", "text": "矩阵"}
    return [
        ("post", "/campaigns/{campaign.pk}/findings/", MANAGES, review),
        (
            "post",
            "/api/v1/campaign-findings/",
            API_OFFICES_CREATE | {"reg_staff_b": 400, "manager_x": 403, "submitter_x": 403, "system_x": 403},
            {"__json__": True, "campaign": "T-2026", "utility": "T-X-C-K", "source": "consumer_review", "text": "矩阵"},
        ),
        ("get", "/campaigns/{campaign.pk}/groups/", CAMPAIGN),
        ("post", "/campaigns/{campaign.pk}/groups/add/", GROUP_ADMIN, {"group-kind": "joint", "group-name": "矩阵"}),
        ("post", "/campaigns/groups/{group.pk}/", GROUP_ADMIN, {"group-kind": "regulator", "group-name": "矩阵二"}),
        ("post", "/campaigns/groups/{group.pk}/members/", GROUP_ADMIN, member),
        ("post", "/campaigns/members/{member.pk}/remove/", GROUP_ADMIN, {}),
        (
            "post",
            "/campaigns/groups/{group.pk}/duties/",
            GROUP_ADMIN,
            {"duty-department": "稽查处", "duty-duties": "矩阵"},
        ),
        ("post", "/campaigns/duties/{duty.pk}/remove/", GROUP_ADMIN, {}),
        ("post", "/campaigns/{campaign.pk}/zones/", GROUP_ADMIN, zone),
        ("post", "/campaigns/zones/{zone.pk}/", GROUP_ADMIN, zone),
        (
            "post",
            "/api/v1/campaign-leading-groups/",
            API_GROUP_ADMIN_CREATES,
            {"__json__": True, "campaign": "T-2026", "kind": "joint", "name": "矩阵"},
        ),
        ("patch", "/api/v1/campaign-leading-groups/{group.pk}/", API_GROUP_ADMIN, {"__json__": True, "name": "矩阵二"}),
        (
            "post",
            "/api/v1/campaign-group-members/",
            API_GROUP_ADMIN_CREATES,
            {"__json__": True, "group": "{group.pk}", "role": "member", "name": "矩阵"},
        ),
        ("patch", "/api/v1/campaign-group-members/{member.pk}/", API_GROUP_ADMIN, {"__json__": True, "title": "处长"}),
        ("delete", "/api/v1/campaign-group-members/{member.pk}/", API_GROUP_ADMIN | {"reg_admin_a": 204}),
        (
            "post",
            "/api/v1/campaign-office-duties/",
            API_GROUP_ADMIN_CREATES,
            {"__json__": True, "group": "{group.pk}", "department": "稽查处", "duties": "矩阵"},
        ),
        ("patch", "/api/v1/campaign-office-duties/{duty.pk}/", API_GROUP_ADMIN, {"__json__": True, "duties": "矩阵二"}),
        ("delete", "/api/v1/campaign-office-duties/{duty.pk}/", API_GROUP_ADMIN | {"reg_admin_a": 204}),
        (
            "post",
            "/api/v1/campaign-zones/",
            API_GROUP_ADMIN_CREATES,
            {"__json__": True, "campaign": "T-2026", "kind": "示范区", "name": "矩阵"},
        ),
        ("patch", "/api/v1/campaign-zones/{zone.pk}/", API_GROUP_ADMIN, {"__json__": True, "status": "building"}),
    ]


def _programme_records(world) -> dict:
    """Issue 11: office A's rectification programme in force with a consumer-review finding of county X (so
    county X's people see it), a measure county X proposed, one returned, items escalated to a talk and to an
    audit; and a draft programme with no finding (office A only)."""
    admin, staff, sub = world.user("reg_admin_a"), world.user("reg_staff_a"), world.user("submitter_x")

    def programme(records):
        p = services.programme_create(
            owner=world.office_a,
            code="M-PROG",
            title="矩阵整改方案",
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            acting_user=admin,
        )
        services.finding_add(
            programme=p, utility=world.county_x, source="consumer_review", text="矩阵", acting_user=staff
        )
        return services.programme_issue(programme=p, acting_user=admin)

    def escalated(level):
        def build(records):
            item = services.rectification_add(
                finding=records["prog_finding"], measure="矩阵", department="营销部", acting_user=staff
            )
            return services.RECTIFICATION_WORKFLOW.transition(item, "escalate", None, level=level)

        return build

    def proposed(records):
        return services.rectification_add(
            finding=records["prog_finding"],
            measure="矩阵",
            department="营销部",
            due_date=date(2027, 6, 30),
            acting_user=sub,
        )

    return {
        "programme": programme,
        "draft_programme": lambda r: services.programme_create(
            owner=world.office_a,
            code="M-DRAFT",
            title="矩阵草稿",
            start_date=date(2026, 1, 1),
            end_date=date(2026, 12, 31),
            acting_user=admin,
        ),
        "prog_finding": lambda r: r["programme"].findings.get(),
        "proposed": proposed,
        "returned_item": lambda r: services.RECTIFICATION_WORKFLOW.transition(
            proposed(r), "return", staff, note="补充责任人"
        ),
        "talk_item": escalated("talk"),
        "audit_item": escalated("audit"),
    }


# Issue 11: a programme with county X's finding: office A and county X's people see it; office A's regulator
# admins create and change it, its regulators record findings and review measures, county X proposes them.
PROGRAMME = REG_A_AND_X
PROGRAMME_ADMIN = dict.fromkeys(ROLES, 403) | {
    "anonymous": 302,
    "system_x": 302,
    "reg_admin_a": 302,
    "reg_staff_b": 404,
    "manager_y": 404,
    "submitter_y": 404,
}
PROGRAMME_CREATE = dict.fromkeys(ROLES, 403) | {"anonymous": 302, "system_x": 302, "reg_admin_a": 302}
DRAFT_STEP = dict.fromkeys(ROLES, 404) | {"anonymous": 302, "system_x": 302, "reg_admin_a": 302, "reg_staff_a": 403}
ADDS_ITEMS = REG_A_AND_X | dict.fromkeys(("reg_admin_a", "reg_staff_a", "manager_x", "submitter_x"), 302)
API_PROGRAMME_ADMIN = dict.fromkeys(ROLES, 403) | {
    "anonymous": 401,
    "reg_admin_a": 200,
    "reg_staff_b": 404,
    "manager_y": 404,
    "submitter_y": 404,
}
API_DRAFT_STEP = dict.fromkeys(ROLES, 404) | {"anonymous": 401, "reg_admin_a": 200, "reg_staff_a": 403}


def _programme_rows() -> list:
    new = {"code": "M-NEW", "title": "矩阵", "source": "consumer_review", "start_date": "2026-01-01"}
    new["end_date"] = "2027-12-31"
    edit = {"title": "矩阵二", "source": "consumer_review", "start_date": "2026-01-01", "end_date": "2028-12-31"}
    finding = {"source": "unannounced_check", "utility": "{county.pk}", "text": "矩阵"}
    item, api_prog, api_item = (
        "/campaigns/rectification",
        "/api/v1/rectification-programmes",
        "/api/v1/rectification-items",
    )
    held = {"held_on": "2026-10-21", "note": "矩阵"}
    return [
        ("get", "/campaigns/programmes/", ALL_IN),
        ("get", "/campaigns/programmes/{programme.pk}/", PROGRAMME),
        ("post", "/campaigns/programmes/", PROGRAMME_CREATE, {f"new-{k}": v for k, v in new.items()}),
        (
            "post",
            "/campaigns/programmes/{programme.pk}/edit/",
            PROGRAMME_ADMIN,
            {f"edit-{k}": v for k, v in edit.items()},
        ),
        ("post", "/campaigns/programmes/{programme.pk}/findings/", REGULATOR_WRITES, finding),
        ("post", "/campaigns/programmes/{draft_programme.pk}/issue/", DRAFT_STEP, {}),
        ("post", "/campaigns/programmes/{programme.pk}/close/", PROGRAMME_ADMIN, {}),
        ("post", "/campaigns/programmes/{programme.pk}/reopen/", PROGRAMME_ADMIN, {"note": "矩阵"}),
        (
            "post",
            "/campaigns/findings/{prog_finding.pk}/items/",
            ADDS_ITEMS,
            {"measure": "矩阵", "department": "营销部", "due_date": "2027-06-30"},
        ),
        ("post", f"{item}/{{proposed.pk}}/approve/", REGULATOR_WRITES, {}),
        ("post", f"{item}/{{proposed.pk}}/return/", REGULATOR_WRITES, {"note": "补充"}),
        ("post", f"{item}/{{returned_item.pk}}/resubmit/", UTILITY_WRITES, {"person": "矩阵"}),
        ("post", f"{item}/{{talk_item.pk}}/talk/", REGULATOR_WRITES, held),
        ("post", f"{item}/{{audit_item.pk}}/audit/", REGULATOR_WRITES, held),
        ("get", f"{item}/?escalated=true", ALL_IN),
        ("get", f"{api_prog}/", API_ALL_IN),
        ("get", f"{api_prog}/{{programme.pk}}/", API_REG_A_AND_X),
        (
            "post",
            f"{api_prog}/",
            dict.fromkeys(ROLES, 403) | {"anonymous": 401, "reg_admin_a": 201},
            {"__json__": True, **new},
        ),
        # (the viewset's roles refuse a utility before the record is looked up)
        (
            "patch",
            f"{api_prog}/{{programme.pk}}/",
            API_PROGRAMME_ADMIN | {"manager_y": 403, "submitter_y": 403},
            {"__json__": True, "title": "矩阵二"},
        ),
        ("post", f"{api_prog}/{{draft_programme.pk}}/issue/", API_DRAFT_STEP, {"__json__": True}),
        ("post", f"{api_prog}/{{programme.pk}}/close/", API_PROGRAMME_ADMIN, {"__json__": True}),
        (
            "post",
            f"{api_prog}/{{programme.pk}}/reopen/",
            API_PROGRAMME_ADMIN | {"reg_admin_a": 409},
            {"__json__": True, "note": "矩阵"},
        ),
        (
            "post",
            "/api/v1/campaign-findings/",
            dict.fromkeys(ROLES, 403)
            | {"anonymous": 401, "reg_admin_a": 201, "reg_staff_a": 201, "reg_staff_b": 400}
            | {"manager_y": 400, "submitter_y": 400},
            {
                "__json__": True,
                "programme": "{programme.code}",
                "utility": "T-X-C-K",
                "source": "inspection",
                "text": "矩阵",
            },
        ),
        ("get", f"{api_item}/?escalated=true&programme={{programme.code}}", API_ALL_IN),
        ("post", f"{api_item}/{{proposed.pk}}/approve/", API_REGULATOR_WRITES, {"__json__": True}),
        ("post", f"{api_item}/{{proposed.pk}}/return/", API_REGULATOR_WRITES, {"__json__": True, "note": "补充"}),
        (
            "post",
            f"{api_item}/{{returned_item.pk}}/resubmit/",
            API_UTILITY_WRITES,
            {"__json__": True, "person": "矩阵"},
        ),
        ("post", f"{api_item}/{{talk_item.pk}}/talk/", API_REGULATOR_WRITES, {"__json__": True, **held}),
        ("post", f"{api_item}/{{audit_item.pk}}/audit/", API_REGULATOR_WRITES, {"__json__": True, **held}),
    ]


MATRIX = [
    # (method, url template, expected statuses by role[, data posted])
    ("get", "/", ALL_IN),
    ("get", "/calendar/", ALL_IN),
    # Only regulator admins enter a year's arrangement; a blank POST re-renders the form with its errors.
    # (A system account holds no browser session: it is sent to sign in, like an anonymous visitor.)
    (
        "get",
        "/calendar/2027/edit/",
        dict.fromkeys(ROLES[1:], 403) | {"anonymous": 302, "system_x": 302, "reg_admin_a": 200},
    ),
    (
        "post",
        "/calendar/2027/edit/",
        dict.fromkeys(ROLES[1:], 403) | {"anonymous": 302, "system_x": 302, "reg_admin_a": 200},
    ),
    ("get", "/deadlines/", ALL_IN),
    ("get", "/violations/", ALL_IN),
    ("get", "/notifications/", ALL_IN),
    ("get", "/public/", dict.fromkeys(ROLES, 200)),
    ("get", "/history/portal/organisation/{county.pk}/", REG_A_AND_X),
    ("get", "/attachments/{attachment.pk}/", REG_A_AND_X),
    ("get", "/imports/{job.pk}/", REG_A_AND_X),
    (
        "get",
        "/accounts/tokens/",
        {
            "anonymous": 302,
            "reg_admin_a": 200,
            "reg_staff_a": 403,
            "reg_staff_b": 403,
            "manager_x": 200,
            "submitter_x": 403,
            "manager_y": 200,
            "submitter_y": 403,
            "system_x": 302,
        },
    ),
    ("post", "/accounts/tokens/{system.pk}/issue/", TOKEN_KEY),
    ("post", "/accounts/tokens/{system.pk}/revoke/", TOKEN_KEY),
    ("post", "/accounts/tokens/{system.pk}/suspend/", TOKEN_SUSPEND),
    ("post", "/accounts/tokens/{system.pk}/resume/", TOKEN_SUSPEND),
    # Derived records of an unforwarded 12398 item follow their subject.
    ("get", "/complaints/{hidden.pk}/", REG_A_ONLY),
    ("get", "/api/v1/complaints/{hidden.pk}/", API_REG_A_ONLY),
    ("get", "/api/v1/deadlines/{hidden_deadline.pk}/", API_REG_A_ONLY),
    ("get", "/api/v1/violations/{hidden_violation.pk}/", API_REG_A_ONLY),
    ("get", "/history/complaints/complaint/{hidden.pk}/", REG_A_ONLY),
    ("get", "/history/portal/trackeddeadline/{hidden_deadline.pk}/", REG_A_ONLY),
    ("get", "/history/portal/violation/{hidden_violation.pk}/", REG_A_ONLY),
    (
        "post",
        "/violations/{violation.pk}/dispose/",
        {
            "anonymous": 302,
            "reg_admin_a": 302,
            "reg_staff_a": 302,
            "reg_staff_b": 404,
            "manager_x": 403,
            "submitter_x": 403,
            "manager_y": 404,
            "submitter_y": 404,
            "system_x": 302,
        },
    ),
    ("get", "/campaigns/", ALL_IN),
    ("get", "/campaigns/{campaign.pk}/", CAMPAIGN),
    ("get", "/campaigns/reports/{report.pk}/", REG_A_AND_X),
    ("get", "/campaigns/rectification/", ALL_IN),
    # campaigns: every write verb (the campaign and its parts, the self-check report, rectification)
    *_campaign_rows(),
    *_submission_rows(),
    *_people_rows(),
    *_programme_rows(),
    ("get", "/outages/", ALL_IN),
    ("get", "/outages/{notice.pk}/", REG_A_AND_X),
    ("get", "/outages/export.xlsx", ALL_IN),
    ("get", "/outages/dashboard/", ALL_IN),
    ("get", "/api/v1/organisations/{county.pk}/", API_REG_A_AND_X),
    ("get", "/api/v1/campaigns/{campaign.pk}/", {**CAMPAIGN, "anonymous": 401, "system_x": 200}),
    ("get", "/api/v1/self-check-reports/{report.pk}/", API_REG_A_AND_X),
    ("get", "/api/v1/outage-notices/{notice.pk}/", API_REG_A_AND_X),
    ("get", "/api/v1/deadlines/", API_ALL_IN),
    ("get", "/api/v1/deadlines/{deadline.pk}/", API_REG_A_AND_X),
    ("get", "/api/v1/violations/{violation.pk}/", API_REG_A_AND_X),
    (
        "post",
        "/api/v1/violations/{violation.pk}/dispose/",
        {
            "anonymous": 401,
            "reg_admin_a": 200,
            "reg_staff_a": 200,
            "reg_staff_b": 404,
            "manager_x": 403,
            "submitter_x": 403,
            "manager_y": 403,
            "submitter_y": 403,
            "system_x": 403,
        },
    ),
    ("get", "/complaints/", ALL_IN),
    ("get", "/complaints/export.xlsx", ALL_IN),
    ("get", "/complaints/{complaint.pk}/", REG_A_AND_X),
    (
        "get",
        "/complaints/queue/",
        dict.fromkeys(ROLES[1:], 403)
        | {"anonymous": 302, "reg_admin_a": 200, "reg_staff_a": 200, "reg_staff_b": 200, "system_x": 302},
    ),
    (
        "post",
        "/complaints/{complaint.pk}/contact/",
        REG_A_AND_X | {"reg_admin_a": 403, "reg_staff_a": 403, "manager_x": 302, "submitter_x": 302, "system_x": 302},
    ),
    ("get", "/api/v1/complaints/", API_ALL_IN),
    ("get", "/api/v1/complaints/{complaint.pk}/", API_REG_A_AND_X),
    (
        "post",
        "/api/v1/complaints/{complaint.pk}/contact/",
        API_REG_A_AND_X | {"reg_admin_a": 403, "reg_staff_a": 403},
    ),
    ("get", "/reports/", ALL_IN),
    ("get", "/reports/dashboard/", ALL_IN),
    ("get", "/reports/export.xlsx", ALL_IN),
    ("get", "/reports/{report_job.pk}/", REG_A_AND_X),
    ("get", "/reports/{report_job.pk}/status/", REG_A_AND_X),
    ("get", "/reports/{report_job.pk}/pdf/", REG_A_AND_X),
    ("post", "/reports/{report_job.pk}/retry/", REG_A_AND_X | {r: 302 for r in ROLES if REG_A_AND_X[r] == 200}),
    ("get", "/api/v1/reports/", API_ALL_IN),
    ("get", "/api/v1/reports/{report_job.pk}/", API_REG_A_AND_X),
    ("get", "/api/v1/reports/{report_job.pk}/pdf/", API_REG_A_AND_X),
    (
        "post",
        "/api/v1/reports/{report_job.pk}/retry/",
        API_REG_A_AND_X | {r: 400 for r in ROLES if API_REG_A_AND_X[r] == 200},
    ),
    # complaints: every write verb. The ticket is a 95598 ticket of county X (received): its utility
    # handles it, office A supervises it; a step the role may take but the state refuses answers 400.
    *_complaint_rows(),
    *_complaint_outcome_rows(),
    *_complaint_escalation_rows(),
    *_complaint_report_rows(),
    *_publication_rows(),
    # the shared core's writes: notifications read, imports, generated reports (their requests are judged by kind)
    ("post", "/notifications/", ALL_IN | dict.fromkeys(ROLES, 302), {}),
    ("post", "/api/v1/notifications/mark-read/", API_ALL_IN, {}),
    (
        "post",
        "/imports/new/complaints.tickets/",
        ALL_IN | {"reg_staff_b": 200, "manager_y": 200, "submitter_y": 200},
        {},
    ),
    ("post", "/imports/{job.pk}/retry/", REG_A_AND_X | dict.fromkeys(ROLES[1:-1], 404) | {"submitter_x": 302}, {}),
    ("post", "/reports/new/", ALL_IN | dict.fromkeys(ROLES, 302), {}),
    (
        "post",
        "/reports/{report_job.pk}/regenerate/",
        REG_A_AND_X | {r: 302 for r in ROLES if REG_A_AND_X[r] == 200},
        {},
    ),
    ("post", "/api/v1/reports/", API_ALL_IN | dict.fromkeys(ROLES[1:], 400), {}),
    # outages: every write verb (publish, reschedule, start, restore, cancel, create, edit/PUT, bulk)
    *_outage_rows(),
    # issue 12: connection applications (95598 service work orders)
    *_connection_rows(),
    *_meter_rows(),
    *_arrears_rows(),
    *_large_customer_rows(),  # issue 12: large customers (seed 002)
    ("get", "/api/v1/rules/", API_ALL_IN),
    ("get", "/api/v1/notifications/", API_ALL_IN),
    ("get", "/api/v1/schema/", API_ALL_IN),
    *_issue20_rows(),
]

# (method, url, role, status, data): a row without data posts the generic body below.
CASES = [(row[0], row[1], role, row[2][role], row[3] if len(row) > 3 else None) for row in MATRIX for role in ROLES]


def _body(data: dict | None, objects: dict):
    """A row's request body: keys and values may name objects ("{complaint.pk}") or be made per request
    (callables)."""
    if data is None:
        return {"disposition": "confirmed", "reason": "matrix"}, None
    out = {}
    for key, value in data.items():
        if key == "__json__":
            continue
        value = value(**objects) if callable(value) else value
        out[key.format_map(objects)] = value.format_map(objects) if isinstance(value, str) else value
    return out, ("json" if data.get("__json__") else None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url", "role", "status", "data"), CASES, ids=[f"{m} {u} {r}" for m, u, r, _s, _d in CASES]
)
def test_permission_matrix(world, objects, client_for, method, url, role, status, data):
    from rest_framework.authtoken.models import Token

    builders = _campaign_records(world) | _issue12_records(world) | _submission_records(world) | _people_records(world)
    builders |= _programme_records(world)
    builders |= _large_customer_records(world)
    records = _Records(objects, builders)
    path = url.format_map(records)
    user = None if role == "anonymous" else world.user(role)
    if path.startswith("/api/"):
        from rest_framework.test import APIClient

        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    else:
        client = client_for(user)
    body, fmt = _body(data, records) if method in ("post", "put", "patch") else (None, None)
    response = getattr(client, method)(path, body, **({"format": fmt} if fmt else {}))
    assert response.status_code == status, f"{role} {method.upper()} {path}: {response.status_code}"
    if status == 302 and (user is None or user.is_system):
        assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_lists_contain_only_what_the_role_may_see(world, objects, api):
    deadline_set(subject=world.company_y, utility=world.company_y, code="test.y", label="y", due=timezone.now())
    deadline_set(subject=world.company_b, utility=world.company_b, code="test.b", label="b", due=timezone.now())
    seen = {
        u: {d["utility"] for d in api(world.user(u)).get("/api/v1/deadlines/").json()["results"]}
        for u in ("reg_staff_a", "reg_staff_b", "manager_x", "manager_y")
    }
    assert seen == {
        "reg_staff_a": {"T-X-C-K", "T-Y"},
        "reg_staff_b": {"T-B"},
        "manager_x": {"T-X-C-K"},
        "manager_y": {"T-Y"},
    }
    assert Violation.objects.visible_to(world.user("manager_y")).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees"),
    [("reg_staff_a", True), ("manager_x", True), ("reg_staff_b", False), ("manager_y", False), ("submitter_y", False)],
)
def test_exports_contain_only_what_the_role_may_see(world, objects, client_for, role, sees):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(world.user(role)).get("/outages/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content if response.streaming else [response.content])))
    cells = {str(c.value) for row in sheet.active.iter_rows() for c in row}
    assert (objects["notice"].external_id in cells) is sees


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES[1:])
def test_derived_records_are_listed_exactly_where_their_subject_is(world, objects, api, role):
    """The lists behind the rows above: deadlines, violations and notifications of the unforwarded 12398
    item appear for office A (and the national office) only — never for a utility role."""
    user = world.user(role)
    sees_subject = role in ("reg_admin_a", "reg_staff_a")
    client = api(user)
    for url, key in (("/api/v1/deadlines/", "hidden_deadline"), ("/api/v1/violations/", "hidden_violation")):
        ids = {r["id"] for r in client.get(url, {"page_size": 500}).json()["results"]}
        assert (objects[key].pk in ids) is sees_subject, (url, role)
    notes = {r["id"] for r in client.get("/api/v1/notifications/").json()["results"]}
    assert objects["hidden_notification"].pk not in notes  # addressed to county X, which may not read it yet
