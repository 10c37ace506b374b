"""通报 to the public column (issue 13, part 5): a regulator prepares the monthly bulletin for publication,
an administrator approves it (and decides whether violations go out by name); the public page shows exactly
the approved figures, and nothing unpublished leaks through any public URL."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from complaints import lifecycle
from complaints.connections import connections_intake
from complaints.models import Complaint
from portal.models import Violation
from portal.services import violation_dispose
from reporting.models import BulletinPublication
from tests.reporting.factories import add_tickets

pytestmark = pytest.mark.django_db


def _public_paths(pk_values) -> list[str]:
    """Every route under /public/, with each id in `pk_values` filled in."""
    out = []

    def walk(patterns, prefix):
        for entry in patterns:
            text = str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + text)
            elif isinstance(entry, URLPattern):
                out.append(prefix + text)

    walk(get_resolver().url_patterns, "/")
    paths = set()
    for p in (p for p in out if p.startswith("/public/")):
        for value in pk_values:
            paths.add(re.sub(r"<(?:int:)?pk>", str(value), re.sub(r"<str:\w+>", "x", p)))
    return sorted(paths)


def _rows(html: str) -> list[list[str]]:
    body = html.split('id="bulletin-figures"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr class="figure-row"[^>]*>(.*?)</tr>', body, re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r'<td data-label="[^"]*">(.*?)</td>', r, re.S)]
        for r in rows
    ]


def _expected(figures) -> list[list[str]]:
    def pct(v):
        return "—" if v is None else f"{v}%"

    return [
        [
            f["utility"],
            str(f["due"]),
            str(f["on_time"]),
            pct(f["on_time_rate"]),
            str(f["appeals"]),
            pct(f["visit_rate"]),
            pct(f["satisfaction_rate"]),
        ]
        for f in figures
    ]


def test_the_public_page_shows_exactly_the_approved_figures_and_nothing_unpublished(
    world, calendar, client, client_for
):
    add_tickets(world)  # October 2026: county X and company Y, one appealed, violations swept
    admin, staff = world.user("reg_admin_a"), world.user("reg_staff_a")
    violation = Violation.objects.filter(utility=world.county_x).first()
    violation_dispose(violation=violation, disposition="confirmed", reason="", acting_user=admin)
    reg = client_for(staff)
    assert client_for(world.user("manager_x")).get("/reports/bulletins/").status_code == 403

    r = reg.post("/reports/bulletins/", {"month": "2026-10"})
    pub = BulletinPublication.objects.get(office=world.office_a, month="2026-10-01")
    assert r.status_code == 302 and pub.status == "draft"
    by_code = {f["code"]: f for f in pub.figures}
    assert by_code["T-Y"]["appeals"] == 1 and by_code["T-Y"]["on_time"] == 1
    assert by_code["T-X-C-K"]["due"] >= 1
    assert pub.violations and pub.violations[0]["utility"] == world.county_x.name
    # Another month, prepared and never approved: it must never show.
    reg.post("/reports/bulletins/", {"month": "2026-09"})
    draft = BulletinPublication.objects.get(office=world.office_a, month="2026-09-01")

    public_list = client.get("/public/bulletins/")
    assert public_list.status_code == 200 and pub.title not in public_list.content.decode()
    assert client.get(f"/public/bulletins/{pub.pk}/").status_code == 404

    # Submitted by the staff; only an administrator approves.
    assert reg.post(f"/reports/bulletins/{pub.pk}/submit/", {"note": "请审核"}).status_code == 302
    assert reg.post(f"/reports/bulletins/{pub.pk}/approve/", {}).status_code == 403
    assert client.get(f"/public/bulletins/{pub.pk}/").status_code == 404
    r = client_for(admin).post(f"/reports/bulletins/{pub.pk}/approve/", {"note": "同意发布"})
    assert r.status_code == 302
    pub.refresh_from_db()
    assert pub.status == "published" and pub.approved_by == admin and not pub.names_published
    audit = [
        (h.history_change_reason.split(":")[0], h.history_user.username) for h in pub.history.order_by("history_id")
    ]
    assert audit == [("prepare", "reg_staff_a"), ("submit", "reg_staff_a"), ("approve", "reg_admin_a")]

    # The tickets move on after approval: the published figures do not.
    frozen = list(pub.figures)
    ticket = Complaint.objects.get(external_id="A-2")
    lifecycle.complaint_reply(ticket=ticket, acting_user=world.user("submitter_x"), opinion="已处理", note="补录")
    page = client.get(f"/public/bulletins/{pub.pk}/").content.decode()
    assert _rows(page) == _expected(frozen)
    assert violation.rule is None or violation.rule.title not in page  # names not approved: not published
    assert "named-violations" not in page

    # No public URL or feed says anything of the draft (or of the names).
    for path in _public_paths([pub.pk, draft.pk, 1, 999]):
        response = client.get(path)
        assert response.status_code in (200, 301, 302, 404), path
        text = b"".join(response.streaming_content) if response.streaming else response.content
        assert draft.title.encode() not in text, path
        assert violation.code.encode() not in text or path.startswith("/public/outages"), path
    assert client.get(f"/public/bulletins/{draft.pk}/").status_code == 404

    # Withdrawn: gone from the public column.
    client_for(admin).post(f"/reports/bulletins/{pub.pk}/withdraw/", {"note": "数据复核"})
    assert client.get(f"/public/bulletins/{pub.pk}/").status_code == 404
    assert pub.title not in client.get("/public/bulletins/").content.decode()


def test_violations_are_published_by_name_only_with_the_approval(world, calendar, client, client_for):
    add_tickets(world)
    admin = world.user("reg_admin_a")
    violation = Violation.objects.filter(utility=world.county_x).first()
    violation_dispose(violation=violation, disposition="confirmed", reason="", acting_user=admin)
    client_for(admin).post("/reports/bulletins/", {"month": "2026-10"})
    pub = BulletinPublication.objects.get(office=world.office_a)
    client_for(admin).post(f"/reports/bulletins/{pub.pk}/submit/", {})
    client_for(admin).post(f"/reports/bulletins/{pub.pk}/approve/", {"publish_names": "on"})
    pub.refresh_from_db()
    assert pub.names_published
    page = client.get(f"/public/bulletins/{pub.pk}/").content.decode()
    assert "named-violations" in page and pub.violations[0]["rule"] in page
    assert pub.history.first().history_change_reason.startswith("approve: names published")


def test_the_bulletin_freezes_each_record_kinds_on_time_rate_per_utility(world, calendar, client, client_for):
    """Beside the tickets, the month's on-time rate of connection applications (and every kind pushed with its
    history) per utility, frozen when prepared and shown on the public page once approved (issue 12)."""
    add_tickets(world)
    base = {"source": "营销系统", "utility": "T-X-C-K", "customer_class": "居民", "capacity_kva": "8"}
    results = connections_intake(
        items=[  # scheme replies due in October 2026: one on time, one late
            {
                **base,
                "external_id": "OCT-1",
                "applied_at": "2026-10-12T10:00:00+08:00",
                "scheme_replied_at": "2026-10-13T10:00:00+08:00",
            },
            {
                **base,
                "external_id": "OCT-2",
                "applied_at": "2026-10-12T10:00:00+08:00",
                "scheme_replied_at": "2026-10-23T10:00:00+08:00",
            },
        ],
        acting_user=world.user("system_x"),
    )
    assert [r.status for r in results] == [201, 201]
    client_for(world.user("reg_staff_a")).post("/reports/bulletins/", {"month": "2026-10"})
    pub = BulletinPublication.objects.get(office=world.office_a, month="2026-10-01")
    by_code = {f["code"]: f for f in pub.figures}
    assert by_code["T-X-C-K"]["orders"]["connection"] == "50.0"
    assert by_code["T-Y"]["orders"]["connection"] is None  # no application of company Y fell due

    admin = world.user("reg_admin_a")
    client_for(world.user("reg_staff_a")).post(f"/reports/bulletins/{pub.pk}/submit/", {"note": "请审核"})
    client_for(admin).post(f"/reports/bulletins/{pub.pk}/approve/", {"note": "同意发布"})
    page = client.get(f"/public/bulletins/{pub.pk}/").content.decode()
    row = page.split('data-code="T-X-C-K"', 1)[1].split("</tr>", 1)[0]
    assert re.search(r'<td data-label="[^"]*" data-kind="connection">50.0%</td>', row)
