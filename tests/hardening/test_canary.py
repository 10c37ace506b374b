"""The canary: a ticket a utility may not see, with a unique marker in every text field, and everything
derived from it (deadlines, violations, notifications, digests, attachment, events, history, figures).
Every URL the resolver knows is crawled as every utility role — HTML, API, exports (unzipped), PDFs (as
text), feeds, history, notifications — and neither the marker nor the ids of the hidden records may appear.

Two canaries: an unforwarded 12398 item of county X (hidden by the complaints app's own rule) and an
ordinary ticket of company B (hidden by the organisational scope). A control run as the regulator proves
the crawl does find the marker where it may be shown, so a silent crawl means something.
"""

import io
import re
import subprocess
import zipfile
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from complaints import lifecycle
from complaints import services as cs
from complaints.models import Complaint, ComplaintEvent
from portal.models import Attachment, Notification, TrackedDeadline, Violation
from portal.services import deadlines_sweep
from reporting.services import complaint_stats_refresh
from tests.complaints.factories import push, recent
from tests.hardening.test_every_url import PATHS

MARK = "ZQXCANARY"  # in every text field of the 12398 item
MARK_B = "ZQYOTHERORG"  # in every text field of company B's ticket
PHONE, PHONE_B = "13977665544", "13966554433"
UTILITY_ROLES = ["manager_x", "submitter_x", "system_x", "manager_y", "submitter_y", "manager_b"]
# Lists also asked to search and to filter for what is hidden (the search term is the marker less its last
# letter, so the page echoing the search box is not a leak, and a hit shows the whole marker).
QUERIES = ["", f"?q={MARK[:-1]}", "?channel=12398", f"?search={MARK[:-1]}", f"?q={MARK_B[:-1]}"]


def _start_ids_at(model, value: int) -> None:
    """Make the next id of `model` `value` + 1, so the hidden records' ids are numbers nothing else shows."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, value])
        else:
            cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, value])


def _fill(ticket: Complaint, mark: str) -> None:
    """The marker in the text fields intake does not take (handling texts), as if they had been written."""
    Complaint.objects.filter(pk=ticket.pk).update(reply_opinion=f"{mark}-opinion", supervision_note=f"{mark}-sup")


def _ticket(world, *, user, mark: str, phone: str, utility: str, channel: str, base: int) -> dict:
    for n, model in enumerate((Complaint, TrackedDeadline, Violation, Notification, Attachment, ComplaintEvent)):
        _start_ids_at(model, base + 1000 * n)
    ticket = push(
        user,
        channel=channel,
        utility=utility,
        external_id=f"{mark}-EXT",
        region=f"{mark}-region",
        content=f"{mark}-content",
        customer_name=f"{mark}-name",
        customer_phone=phone,
        address=f"{mark}-address",
        received_at=recent(1),
    )
    regulator = world.user("reg_staff_a" if channel == "12398" else "reg_staff_b")
    if channel == "12398":
        lifecycle.complaint_accept(ticket=ticket, acting_user=regulator, note=f"{mark}-accept")
    lifecycle.complaint_supervise(
        ticket=ticket, acting_user=regulator, note=f"{mark}-supervise", due=timezone.now() + timedelta(hours=1)
    )
    cs.complaint_attach(
        ticket=ticket,
        file=SimpleUploadedFile(f"{mark}-file.pdf", b"%PDF-1.4\n%%EOF\n"),
        acting_user=regulator,
        description=f"{mark}-attachment",
    )
    _fill(ticket, mark)
    # `notify` no longer addresses the utility about a record withheld from it; a row naming it anyway
    # (sent before that rule, or by code that bypasses it) must still stay unread.
    Notification.objects.create(
        organisation=ticket.utility,
        key=f"{mark}-legacy",
        subject=f"{mark}-notification",
        body=f"{mark}-body",
        url=ticket.get_absolute_url(),
        content_type=ContentType.objects.get_for_model(Complaint),
        object_id=ticket.pk,
    )
    return {"ticket": ticket}


def _collect(ticket: Complaint) -> dict[str, list]:
    """The hidden records by kind: (app label, model name, pk)."""
    ct = ContentType.objects.get_for_model(Complaint)
    derived = [
        *TrackedDeadline.objects.filter(content_type=ct, object_id=ticket.pk),
        *Violation.objects.filter(content_type=ct, object_id=ticket.pk),
        *Notification.objects.filter(content_type=ct, object_id=ticket.pk),
        *Attachment.objects.filter(content_type=ct, object_id=ticket.pk),
        *ComplaintEvent.objects.filter(complaint=ticket),
    ]
    return {"ticket": [ticket], "derived": derived, "visible": []}


def _utility_report(world):
    """A PDF county X's roles read (the outage report of its company), rendered for real: the crawl reads
    its text too."""
    from reporting.services import report_request, report_run

    job = report_request(
        kind="outage_compliance",
        raw={"period": "2026-01-01..2026-12-31", "utility": "T-X"},
        acting_user=world.user("manager_x"),
        enqueue=False,
    )
    return report_run(job.pk)


@pytest.fixture
def canaries(world, calendar):
    # Ordinary records every role sees, so the lists are not empty.
    for n in range(3):
        push(world.user("system_x"), external_id=f"VISIBLE-{n}", received_at=recent(n))
    hidden = _ticket(
        world, user=world.user("reg_staff_a"), mark=MARK, phone=PHONE, utility="T-X-C-K", channel="12398", base=870000
    )
    other = _ticket(
        world, user=world.user("operator"), mark=MARK_B, phone=PHONE_B, utility="T-B", channel="95598", base=930000
    )
    # A ticket county X sees, of the same customer, that the regulator links with the hidden item (one case
    # across channels): its page, timeline and duplicate suggestions must not name the hidden item.
    _start_ids_at(Complaint, 990000)
    twin = push(world.user("system_x"), external_id="TWIN-1", received_at=recent(1))
    cs.complaint_link(ticket=hidden["ticket"], other=twin, acting_user=world.user("reg_staff_a"))
    # Deadlines cross: overdue marks, violations (their description is the label) and the digests.
    deadlines_sweep(now=timezone.now() + timedelta(hours=2))
    complaint_stats_refresh()
    records = {"hidden": _collect(hidden["ticket"]), "other": _collect(other["ticket"])}
    records["hidden"]["visible"] = [twin, _utility_report(world)]
    assert len(records["hidden"]["derived"]) >= 6, records  # deadlines, violations, notification, file, events
    return records


def _text(response) -> str:
    """What a reader gets, decoded: an .xlsx unzipped, a PDF as its text, anything else as bytes."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    if body[:5] == b"%PDF-":
        out = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=False)
        return out.stdout.decode("utf-8", "replace") + body.decode("latin-1")
    return body.decode("utf-8", "replace")


def _urls(records: list) -> list[str]:
    """Every routed GET: lists with searches, and every route with an id filled with each id of `records`
    (the history route with each record's own model)."""
    ids = sorted({obj.pk for obj in records})
    urls = []
    for path in PATHS:
        if path.startswith("/accounts/logout"):
            continue
        if path.startswith("/history/"):
            urls += [f"/history/{o._meta.app_label}/{o._meta.model_name}/{o.pk}/" for o in records]
        elif "/1/" in path:
            urls += [path.replace("/1/", f"/{pk}/") for pk in ids]
        else:
            urls += [path + q for q in QUERIES] if path.endswith("/") else [path]
    return urls


def _leaks(user, canaries: list[dict], marks: tuple[str, ...]) -> list[str]:
    """One crawl for all the canaries `user` may not see: their markers and their records' ids."""
    hidden = [o for records in canaries for o in records["ticket"] + records["derived"]]
    visible = [o for records in canaries for o in records["visible"]]
    ids = re.compile(r"(?<![\w.-])(" + "|".join(str(o.pk) for o in hidden) + r")(?![\w-])")
    web = APIClient()
    web.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    found = []
    # The hidden records' own routes, and those of records the role sees that are related to them.
    for url in _urls(hidden + visible):
        response = (api if url.startswith("/api/") else web).get(url)
        assert response.status_code < 500, f"{url}: {response.status_code}"
        text = _text(response)
        for mark in marks:
            if mark in text:
                found.append(f"{url} shows {mark}")
        match = ids.search(text)
        if match and response.status_code == 200:
            found.append(f"{url} shows id {match.group(1)}")
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("role", UTILITY_ROLES)
def test_no_utility_role_sees_an_unforwarded_12398_item_or_another_organisations_ticket(world, canaries, role):
    """Both canaries in one crawl of every route: the unforwarded 12398 item is hidden from every utility
    role; company B's ticket from every role but company B's own manager."""
    hide, marks = [canaries["hidden"]], (MARK, PHONE)
    if role != "manager_b":
        hide, marks = [*hide, canaries["other"]], (*marks, MARK_B, PHONE_B)
    assert _leaks(world.user(role), hide, marks) == []


@pytest.mark.django_db
def test_the_crawl_finds_the_canary_where_it_may_be_seen(world, canaries):
    """The control: the supervising regulator reads the item, its deadlines, violations and history —
    so the crawl above is able to see a leak. And company B reads its own digest and notification."""
    found = _leaks(world.user("reg_staff_a"), [canaries["hidden"]], (MARK,))
    for must in ("/complaints/", "/api/v1/deadlines/", "/api/v1/violations/", "/history/portal/trackeddeadline/"):
        assert any(f.startswith(must) for f in found), (must, found)
    own = _leaks(world.user("manager_b"), [canaries["other"]], (MARK_B,))
    assert any(f.startswith("/notifications/") for f in own), own
    # The PDF the utility reads is crawled as text.
    job = canaries["hidden"]["visible"][1]
    web = APIClient()
    web.force_login(world.user("manager_x"))
    response = web.get(f"/reports/{job.pk}/pdf/")
    assert response.status_code == 200 and "停电" in _text(response).replace(" ", "")
