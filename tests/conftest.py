"""Shared fixtures: a small world with two regulator offices, two utility companies and a user of every
role, so every test can check the permission matrix, not just the happy path."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from portal.choices import OrgLevel, Role
from portal.models import Organisation, Province, User
from tests.factories import RegulatorFactory, UserFactory, UtilityFactory


@dataclass
class World:
    province_x: Province
    province_y: Province
    province_b: Province
    national: Organisation
    office_a: Organisation  # jurisdiction: provinces X and Y
    office_b: Organisation  # jurisdiction: province B only
    company_x: Organisation  # utility in province X
    city_x: Organisation
    county_x: Organisation
    company_y: Organisation  # utility in province Y (same office A)
    company_b: Organisation  # utility in province B (office B)
    users: dict[str, User]

    def user(self, name: str) -> User:
        return self.users[name]


@pytest.fixture
def reference_data(db):
    """Provinces, rules and the calendar come from data migrations; a transactional test's flush removes them."""
    ensure_reference_data()


def ensure_reference_data() -> None:
    from portal.calendar import calendar_seed
    from portal.models import CalendarYear, Rule
    from portal.reference import load_reference_data

    if not Province.objects.exists():
        load_reference_data(Province, Rule)
    if not CalendarYear.objects.exists():
        calendar_seed()


@pytest.fixture
def world(reference_data) -> World:
    px = Province.objects.get(code="37")
    py = Province.objects.get(code="13")
    pb = Province.objects.get(code="41")
    national = RegulatorFactory(code="T-NEA", name="国家能源局", level=OrgLevel.NATIONAL)
    office_a = RegulatorFactory(code="T-REG-A", name="华北监管局", parent=national, jurisdiction=[px, py])
    office_b = RegulatorFactory(code="T-REG-B", name="华中监管局", parent=national, jurisdiction=[pb])
    company_x = UtilityFactory(code="T-X", name="国网山东省电力公司", province=px)
    city_x = UtilityFactory(code="T-X-C", name="国网泰安供电公司", parent=company_x, province=px, level=OrgLevel.CITY)
    county_x = UtilityFactory(
        code="T-X-C-K", name="国网汶源县供电公司", parent=city_x, province=px, level=OrgLevel.COUNTY
    )
    company_y = UtilityFactory(code="T-Y", name="国网河北省电力有限公司", province=py)
    company_b = UtilityFactory(code="T-B", name="国网河南省电力公司", province=pb)
    spec = {
        "national_admin": (national, Role.REGULATOR_ADMIN),
        "reg_admin_a": (office_a, Role.REGULATOR_ADMIN),
        "reg_staff_a": (office_a, Role.REGULATOR_STAFF),
        "reg_staff_b": (office_b, Role.REGULATOR_STAFF),
        "manager_x": (company_x, Role.UTILITY_MANAGER),
        "submitter_x": (county_x, Role.UTILITY_SUBMITTER),
        "manager_y": (company_y, Role.UTILITY_MANAGER),
        "submitter_y": (company_y, Role.UTILITY_SUBMITTER),
        "manager_b": (company_b, Role.UTILITY_MANAGER),
        "system_x": (company_x, Role.SYSTEM),
        "system_a": (office_a, Role.SYSTEM),
    }
    users = {name: UserFactory(username=name, organisation=org, role=role) for name, (org, role) in spec.items()}
    users["operator"] = User.objects.create_superuser("operator", "op@example.org", "pw-for-tests-1")
    return World(px, py, pb, national, office_a, office_b, company_x, city_x, county_x, company_y, company_b, users)


@pytest.fixture
def calendar(reference_data):
    """The calendar as `migrate` ships it (every year chinesecalendar has: 2004–2026)."""


@pytest.fixture
def api():
    def make(user: User | None = None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def client_for(client):
    """A Django test client signed in as `user` (session login, as a browser would be)."""

    def make(user: User | None):
        from django.test import Client

        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never `playwright install`: no downloads here)."""
    import os

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_as(chromium, live_server, request):
    """`page = browser_as(user)`: a signed-in page on the live server; `page.shot(name)` saves a
    screenshot under test-artifacts/<test name>/ (kept as CI artefacts)."""
    contexts = []

    def make(user: User | None):
        # Reduced motion: no smooth scrolling or transitions, so what a test reads is where things stay.
        context = chromium.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN", reduced_motion="reduce")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        if user is not None:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", "pw-for-tests-1")
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_server.url}/")
        folder = ARTIFACTS / request.node.name
        counter = iter(range(1, 1000))

        def shot(name: str) -> None:
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"{next(counter):02d}-{name}.png"), full_page=True)

        page.shot = shot
        page.base = live_server.url
        return page

    yield make
    for context in contexts:
        context.close()
