"""The calendar is data that ships with `migrate`, a regulator admin enters next year's arrangement on a
page, and every change judges again exactly the deadlines it touches."""

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from portal.calendar import Day, calendar_missing_years, calendar_seed, calendar_year_save, get_calendar, library_years
from portal.checks import calendar_coverage_check
from portal.choices import DayKind, DeadlineStatus
from portal.deadlines import CalendarData, compute_deadline, local_date
from portal.models import CalendarChange, CalendarDay, CalendarYear, Rule, TrackedDeadline
from portal.services import deadline_values

SH = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parents[2]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SH)


@pytest.fixture
def frozen(monkeypatch):
    """`frozen(instant)`: the portal's clock (django.utils.timezone.now) stands at `instant`."""
    from django.utils import timezone

    def freeze(instant: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: instant)

    return freeze


# A plausible 2027 arrangement, as a notice would list it (the real one is not published yet).
ARRANGEMENT_2027 = {
    "year": 2027,
    "title": "国务院办公厅关于2027年部分节假日安排的通知",
    "number": "国办发明电〔2026〕9号",
    "date": "2026-11-20",
    "holidays": [
        {"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},
        {"name": "春节", "from": "2027-02-05", "to": "2027-02-13"},
        {"name": "清明节", "from": "2027-04-03", "to": "2027-04-05"},
        {"name": "劳动节", "from": "2027-05-01", "to": "2027-05-05"},
        {"name": "端午节", "from": "2027-06-09", "to": "2027-06-11"},
        {"name": "中秋节", "from": "2027-09-15", "to": "2027-09-17"},
        {"name": "国庆节", "from": "2027-10-01", "to": "2027-10-07"},
    ],
    "workdays": [
        {"name": "春节", "date": "2027-02-14"},
        {"name": "劳动节", "date": "2027-04-25"},
        {"name": "国庆节", "date": "2027-09-26"},
        {"name": "国庆节", "date": "2027-10-09"},
    ],
}


# --------------------------------------------------------------------------- shipped with migrate


@pytest.mark.django_db
def test_the_shipped_calendar_has_every_year_the_library_has(reference_data, capsys):
    assert sorted(CalendarYear.objects.values_list("year", flat=True)) == library_years()
    assert library_years()[0] == 2004 and 2026 in library_years()
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == DayKind.ADJUSTED_WORKDAY
    call_command("deadline", "complaint.contact", "2026-09-30T14:00:00+08:00", "--json")
    answer = json.loads(capsys.readouterr().out)
    assert answer["due"].startswith("2026-10-08") and answer["provisional"] is False


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database_url(request, tmp_path):
    """An empty database of each engine (PostgreSQL where DATABASE_URL points at one, as in CI)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("DATABASE_URL is not PostgreSQL")
    import psycopg2

    name = f"fresh_calendar_{os.getpid()}"
    admin = psycopg2.connect(url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name}")
        cur.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    try:
        yield url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def test_a_fresh_database_judges_correctly_after_only_migrate(fresh_database_url):
    """The operator's path: a new database, `migrate`, and the first deadline is right (calendar and rules)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.local", "DATABASE_URL": fresh_database_url}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    out = subprocess.run(
        [*manage, "deadline", "complaint.contact", "2026-09-30T14:00:00+08:00", "--json"],
        cwd=ROOT, env=env, check=True, timeout=120, capture_output=True, text=True,
    )  # fmt: skip
    answer = json.loads(out.stdout)
    assert answer["due"] == "2026-10-08T23:59:59.999999+08:00"
    assert answer["provisional"] is False
    # The rule catalogue the same database holds is the one shipped: every rule of portal/data/rules.json
    # came in by a migration (a rule added there without one would be missing here), with today's values.
    dump = (
        "import json; from portal.models import Rule; print(json.dumps(sorted([r.code, r.jurisdiction.code if"
        " r.jurisdiction else None, str(r.effective_from), r.value, r.unit, r.params] for r in Rule.objects"
        ".select_related('jurisdiction'))))"
    )
    out = subprocess.run(
        [*manage, "shell", "-c", dump], cwd=ROOT, env=env, check=True, timeout=120, capture_output=True, text=True
    )
    shipped = json.loads((ROOT / "portal/data/rules.json").read_text(encoding="utf-8"))
    expected = sorted(
        [r["code"], r["jurisdiction"], r["effective_from"], r["value"], r["unit"], r["params"]] for r in shipped
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == expected


@pytest.mark.django_db
def test_seed_adds_a_missing_year_and_never_overwrites_an_edited_one(reference_data):
    CalendarDay.objects.filter(date__year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    written = calendar_seed()
    assert list(written) == [2026] and written[2026] > 30
    assert CalendarYear.objects.get(year=2026).source.startswith("chinesecalendar")
    CalendarDay.objects.filter(date=date(2026, 10, 10)).update(name="edited")
    assert calendar_seed(years=[2026]) == {}
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).name == "edited"


@pytest.mark.django_db
def test_seed_command_is_idempotent(reference_data):
    n = CalendarDay.objects.count()
    call_command("seed_calendar", "2025", "2026")
    assert CalendarDay.objects.count() == n


@pytest.mark.django_db
def test_an_edited_day_changes_the_next_computation(calendar):
    rule = Rule.objects.get(code="complaint.contact")
    start = datetime(2026, 6, 1, 10, 0, tzinfo=SH)  # Monday
    assert compute_deadline(rule.spec(), start, get_calendar()).due.date() == date(2026, 6, 2)
    # The regulator records an extra holiday on 2 June (e.g. a local emergency arrangement).
    CalendarDay.objects.create(date=date(2026, 6, 2), kind=DayKind.HOLIDAY, name="临时调整")
    assert compute_deadline(rule.spec(), start, get_calendar()).due.date() == date(2026, 6, 3)


@pytest.mark.django_db
def test_without_any_calendar_everything_is_provisional(reference_data):
    CalendarDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    rule = Rule.objects.get(code="complaint.reply")
    result = compute_deadline(rule.spec(), datetime(2026, 9, 30, 14, tzinfo=SH), get_calendar())
    assert result.provisional is True


# --------------------------------------------------------------------------- next year's arrangement


def _dues(ticket) -> dict[str, tuple[date, bool]]:
    return {d.code: (local_date(d.due), d.provisional) for d in TrackedDeadline.objects.for_object(ticket)}


@pytest.mark.django_db
def test_entering_2027_on_the_page_rejudges_open_deadlines_in_one_task_run(
    world, client_for, frozen, django_capture_on_commit_callbacks
):
    from complaints.models import Complaint
    from tests.complaints.factories import push

    frozen(at("2026-12-30 12:00"))
    ticket = push(world.user("manager_x"), external_id="95598-20261230-0001", received_at="2026-12-30T10:00:00+08:00")
    before = _dues(ticket)
    # Weekends only in 2027: 1 January counts as a working day.
    assert before["complaint.reply"] == (date(2027, 1, 8), True)
    assert before["complaint.reply.provincial"] == (date(2027, 1, 5), True)
    assert before["complaint.contact"] == (date(2026, 12, 31), False)
    assert Complaint.objects.get(pk=ticket.pk).provisional is True

    admin = client_for(world.user("reg_admin_a"))
    page = admin.get("/calendar/2027/edit/")
    assert page.status_code == 200 and "国庆节" not in page.content.decode()
    upload = SimpleUploadedFile("2027.json", json.dumps(ARRANGEMENT_2027, ensure_ascii=False).encode())
    preview = admin.post("/calendar/2027/edit/", {"action": "upload", "file": upload})
    text = preview.content.decode()
    assert 'id="calendar-preview-box"' in text and 'id="calendar-save"' in text
    assert "国办发明电〔2026〕9号" in text and "春节" in text
    assert CalendarYear.objects.filter(year=2027).exists() is False  # a preview saves nothing

    form = _posted_form(ARRANGEMENT_2027) | {"action": "save"}
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin.post("/calendar/2027/edit/", form)
    assert saved.status_code == 302 and saved["Location"] == "/calendar/?year=2027"

    year = CalendarYear.objects.get(year=2027)
    assert (year.announcement_number, year.announcement_date) == ("国办发明电〔2026〕9号", date(2026, 11, 20))
    assert CalendarDay.objects.filter(date__year=2027, kind=DayKind.HOLIDAY).count() == 33
    assert CalendarDay.history.filter(date__year=2027, history_user=world.user("reg_admin_a")).count() == 37
    change = CalendarChange.objects.get(year=2027)
    assert change.status == "done" and change.moved == 3 and change.noted == 0
    after = _dues(ticket)
    assert after["complaint.reply"] == (date(2027, 1, 11), False)  # 元旦 1–3 January
    assert after["complaint.reply.statutory"] == (date(2027, 1, 14), False)
    assert after["complaint.reply.provincial"] == (date(2027, 1, 6), False)
    assert after["complaint.contact"] == before["complaint.contact"]
    ticket = Complaint.objects.get(pk=ticket.pk)
    assert ticket.provisional is False and local_date(ticket.reply_due) == date(2027, 1, 11)
    # The deadline's history says who moved it and why.
    moved = TrackedDeadline.objects.for_object(ticket).get(code="complaint.reply")
    last = moved.history.first()
    assert last.history_user == world.user("reg_admin_a") and last.history_change_reason


def _posted_form(arrangement: dict) -> dict:
    data = {
        "title": arrangement["title"],
        "number": arrangement["number"],
        "announced_on": arrangement["date"],
        "h-TOTAL_FORMS": str(len(arrangement["holidays"])),
        "h-INITIAL_FORMS": "0",
        "w-TOTAL_FORMS": str(len(arrangement["workdays"])),
        "w-INITIAL_FORMS": "0",
    }
    for i, h in enumerate(arrangement["holidays"]):
        data |= {f"h-{i}-name": h["name"], f"h-{i}-start": h["from"], f"h-{i}-end": h["to"]}
    for i, w in enumerate(arrangement["workdays"]):
        data |= {f"w-{i}-name": w["name"], f"w-{i}-date": w["date"]}
    return data


@pytest.mark.django_db
def test_a_wrong_arrangement_is_refused_whole_and_nothing_is_saved(world, client_for):
    admin = client_for(world.user("reg_admin_a"))
    wrong = json.loads(json.dumps(ARRANGEMENT_2027))
    wrong["workdays"].append({"name": "元旦", "date": "2027-01-04"})  # a Monday cannot be 调休上班
    response = admin.post("/calendar/2027/edit/", _posted_form(wrong) | {"action": "save"})
    assert response.status_code == 200
    assert "2027-01-04" in response.content.decode() and 'id="calendar-save"' not in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()
    no_title = _posted_form(ARRANGEMENT_2027) | {"title": "", "action": "save"}
    assert admin.post("/calendar/2027/edit/", no_title).status_code == 200
    assert not CalendarYear.objects.filter(year=2027).exists()
    with pytest.raises(ValidationError):
        calendar_year_save(
            year=2027,
            days=[Day(date(2027, 1, 1), DayKind.HOLIDAY, "元旦")],
            title="x",
            acting_user=world.user("reg_staff_a"),  # staff may read the calendar, not change it
        )


@pytest.mark.django_db
def test_a_csv_file_fills_the_page_as_the_notice_reads(world, client_for):
    csv = (
        "类型,节日,开始日期,结束日期\n"
        "放假,元旦,2027-01-01,2027-01-03\n上班,春节,2027-02-14,\n放假,春节,2027-02-05,2027-02-13\n"
    )
    admin = client_for(world.user("reg_admin_a"))
    response = admin.post(
        "/calendar/2027/edit/", {"action": "upload", "file": SimpleUploadedFile("2027.csv", csv.encode("utf-8-sig"))}
    )
    text = response.content.decode()
    assert 'value="2027-02-05"' in text and 'value="2027-02-14"' in text
    assert 'id="calendar-preview-box"' in text
    bad = "类型,节日,开始日期\n休息,元旦,2027-01-01\n"
    response = admin.post(
        "/calendar/2027/edit/", {"action": "upload", "file": SimpleUploadedFile("b.csv", bad.encode())}
    )
    assert "line 2" in response.content.decode() or "第 2 行" in response.content.decode()


# --------------------------------------------------------------------------- a change judges again


@pytest.mark.django_db
def test_moving_one_holiday_moves_exactly_the_deadlines_it_touches(world, frozen, django_capture_on_commit_callbacks):
    """1,000 open deadlines around 端午节 2026; the regulator moves the holiday from Friday 19 June to Monday
    22 June. Exactly the deadlines whose due changes under the new calendar move; met ones keep their
    judgement and get a note where the new calendar would judge them differently."""
    frozen(at("2026-06-01 08:00"))
    rule = Rule.objects.get(code="complaint.reply")
    cal = get_calendar()
    ct = ContentType.objects.get_for_model(world.county_x)
    rows = []
    for i in range(1000):
        start = at("2026-06-01 09:00") + timedelta(minutes=45 * i)
        values = deadline_values(
            utility_id=world.county_x.pk, rule=rule, start=start, result=compute_deadline(rule.spec(), start, cal)
        )
        rows.append(TrackedDeadline(content_type=ct, object_id=world.county_x.pk, **{**values, "code": f"t.{i}"}))
    met_early = TrackedDeadline(
        content_type=ct, object_id=world.county_x.pk, utility=world.county_x, rule=rule, code="t.met",
        source_class=rule.source_class, start=at("2026-06-10 09:00"), due=at("2026-06-22 23:59:59.999999"),
        status=DeadlineStatus.MET, met_at=at("2026-06-20 10:00"),
    )  # fmt: skip
    TrackedDeadline.objects.bulk_create([*rows, met_early])

    days = [Day(d.date, d.kind, d.name) for d in CalendarDay.objects.filter(date__year=2026)]
    days = [d for d in days if d.date != date(2026, 6, 19)] + [Day(date(2026, 6, 22), DayKind.HOLIDAY, "端午节")]
    new_cal = CalendarData(
        holidays={d.date: d.name for d in days if d.kind == DayKind.HOLIDAY},
        workdays={d.date: d.name for d in days if d.kind == DayKind.ADJUSTED_WORKDAY},
        years=cal.years,
    )
    expected = {r.code: compute_deadline(rule.spec(), r.start, new_cal).due for r in rows}
    should_move = {code for code, due in expected.items() if due != next(r.due for r in rows if r.code == code)}
    assert 0 < len(should_move) < 1000

    with django_capture_on_commit_callbacks(execute=True):
        change = calendar_year_save(
            year=2026, days=days, title="端午节调整（演练）", acting_user=world.user("reg_admin_a")
        )
    change.refresh_from_db()
    assert change.status == "done" and change.moved == len(should_move) and change.noted == 1
    assert sorted(change.dates) == ["2026-06-19", "2026-06-22"]
    stored = {d.code: d for d in TrackedDeadline.objects.filter(code__startswith="t.")}
    assert all(stored[code].due == due for code, due in expected.items())
    touched = set(
        TrackedDeadline.history.filter(code__startswith="t.", history_type="~").values_list("code", flat=True)
    )
    assert touched == should_move | {"t.met"}
    # Met on 20 June: on time by the old due (22 June), late by the new one (19 June). The verdict stands.
    met = stored["t.met"]
    assert met.status == DeadlineStatus.MET and local_date(met.due) == date(2026, 6, 22)
    note = met.history.first().history_change_reason
    assert "2026-06-19" in note


@pytest.mark.django_db
def test_a_change_whose_task_was_lost_is_finished_by_beat(world, frozen):
    from portal.tasks import calendar_rejudge_pending

    frozen(at("2026-06-01 08:00"))
    change = CalendarChange.objects.create(year=2026, dates=["2026-06-19"], reason="lost")
    CalendarChange.objects.filter(pk=change.pk).update(created_at=at("2026-06-01 07:00"))
    assert calendar_rejudge_pending() == 1
    change.refresh_from_db()
    assert change.status == "done"
    assert calendar_rejudge_pending() == 0


# --------------------------------------------------------------------------- never unnoticed


@pytest.mark.django_db
def test_check_and_banner_say_when_a_year_is_missing(world, client_for, frozen):
    frozen(at("2026-11-30 10:00"))
    assert calendar_missing_years() == [] and calendar_coverage_check() == []
    frozen(at("2026-12-01 10:00"))  # from December, next year's arrangement is due
    assert calendar_missing_years() == [2027]
    assert [m.id for m in calendar_coverage_check()] == ["portal.W002"]
    CalendarYear.objects.filter(year=2026).delete()
    assert [m.id for m in calendar_coverage_check()] == ["portal.W001", "portal.W002"]

    admin_page = client_for(world.user("reg_admin_a")).get("/").content.decode()
    assert 'id="calendar-banner-2027"' in admin_page and "/calendar/2027/edit/" in admin_page
    assert 'id="calendar-banner-2027"' not in client_for(world.user("manager_x")).get("/").content.decode()


@pytest.mark.django_db
def test_dashboard_counts_open_provisional_deadlines(world, client_for, frozen):
    from tests.complaints.factories import push

    frozen(at("2026-12-30 12:00"))
    push(world.user("manager_x"), external_id="95598-20261230-0002", received_at="2026-12-30T10:00:00+08:00")
    page = client_for(world.user("manager_x")).get("/").content.decode()
    assert 'id="stat-provisional"' in page
    assert "3" in page.split('id="stat-provisional"')[1].split("</p>")[0]
    other = client_for(world.user("manager_y")).get("/").content.decode()
    assert "0" in other.split('id="stat-provisional"')[1].split("</p>")[0]


@pytest.mark.django_db
def test_the_calendar_pages_history_links_show_who_changed_the_year(world, client_for, client):
    calendar_year_save(
        year=2027,
        days=[Day(date(2027, 1, 1), DayKind.HOLIDAY, "元旦")],
        title="国务院办公厅关于2027年部分节假日安排的通知",
        acting_user=world.user("reg_admin_a"),
    )
    reader = client_for(world.user("manager_y"))  # the calendar is everyone's reference data
    page = reader.get("/calendar/?year=2027").content.decode()
    day = CalendarDay.objects.get(date=date(2027, 1, 1))
    for url in ("/history/portal/calendaryear/2027/", f"/history/portal/calendarday/{day.pk}/"):
        assert url in page
        history = reader.get(url)
        assert history.status_code == 200 and "reg_admin_a" in history.content.decode()
        assert client.get(url).status_code == 302  # signed in only
