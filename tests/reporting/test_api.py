"""/api/v1/reports/: POST returns the job (202), GET shows status, progress and the PDF link."""

import pytest

from reporting.models import ReportJob

pytestmark = pytest.mark.django_db


def test_post_returns_the_job_and_get_shows_the_link(
    world, campaign_with_data, api, django_capture_on_commit_callbacks
):
    client = api(world.user("reg_staff_a"))
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/api/v1/reports/", {"kind": "campaign_special", "campaign": campaign_with_data.pk}, format="json"
        )
    assert r.status_code == 202, r.content
    job_id = r.json()["id"]
    body = client.get(f"/api/v1/reports/{job_id}/").json()
    assert body["status"] == "done" and body["progress"] == 100 and body["version"] == 1
    assert body["download_url"].endswith(f"/reports/{job_id}/pdf/")
    assert len(body["sha256"]) == 64 and body["pages"] >= 5 and body["created_by"] == "reg_staff_a"
    pdf = client.get(f"/api/v1/reports/{job_id}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content)
    assert content.startswith(b"%PDF") and pdf["X-Content-SHA256"] == body["sha256"]
    listing = client.get("/api/v1/reports/?kind=campaign_special&status=done").json()
    assert [j["id"] for j in listing["results"]] == [job_id]


def test_campaign_not_visible_is_404_and_bad_input_400(world, campaign_with_data, api):
    other = api(world.user("reg_staff_b"))
    r = other.post("/api/v1/reports/", {"kind": "campaign_special", "campaign": campaign_with_data.pk}, format="json")
    assert r.status_code == 404
    mine = api(world.user("reg_staff_a"))
    assert mine.post("/api/v1/reports/", {"kind": "campaign_special"}, format="json").status_code == 400
    assert mine.post("/api/v1/reports/", {"kind": "nonsense"}, format="json").status_code == 400
    r = mine.post("/api/v1/reports/", {"kind": "outage_compliance", "period": "2026-13"}, format="json")
    assert r.status_code == 400 and "period" in r.json()["errors"]
    r = mine.post("/api/v1/reports/", {"kind": "campaign_special", "campaign": 2**40}, format="json")
    assert r.status_code == 400
    utility = api(world.user("manager_x"))
    r = utility.post("/api/v1/reports/", {"kind": "campaign_special", "campaign": campaign_with_data.pk}, format="json")
    assert r.status_code == 403
    assert api().get("/api/v1/reports/").status_code == 401
    assert not ReportJob.objects.exists()


def test_jobs_and_files_of_other_offices_are_404(world, campaign_with_data, api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = api(world.user("reg_staff_a")).post(
            "/api/v1/reports/", {"kind": "outage_compliance", "period": "2026"}, format="json"
        )
    job_id = r.json()["id"]
    other = api(world.user("reg_staff_b"))
    assert other.get(f"/api/v1/reports/{job_id}/").status_code == 404
    assert other.get(f"/api/v1/reports/{job_id}/pdf/").status_code == 404
    assert other.get("/api/v1/reports/").json()["results"] == []
    # The utility's own self-check print is visible to the utility and its regulator, not the other office.
    with django_capture_on_commit_callbacks(execute=True):
        r = api(world.user("submitter_x")).post(
            "/api/v1/reports/",
            {"kind": "self_check", "campaign": campaign_with_data.pk, "utility": world.county_x.code},
            format="json",
        )
    sc = r.json()["id"]
    assert api(world.user("reg_staff_a")).get(f"/api/v1/reports/{sc}/").status_code == 200
    assert api(world.user("manager_x")).get(f"/api/v1/reports/{sc}/").status_code == 200
    assert api(world.user("manager_y")).get(f"/api/v1/reports/{sc}/").status_code == 404


def test_retry_only_failed(world, campaign_with_data, api, monkeypatch, django_capture_on_commit_callbacks):
    from reporting import render

    original = render.render_pdf
    monkeypatch.setattr(render, "render_pdf", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("disk full")))
    client = api(world.user("reg_admin_a"))
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/api/v1/reports/", {"kind": "campaign_special", "campaign": campaign_with_data.pk}, format="json"
        )
    assert r.status_code == 202 and r.json()["status"] == "queued"  # the worker runs after the commit
    body = client.get(f"/api/v1/reports/{r.json()['id']}/").json()
    assert body["status"] == "failed" and "disk full" in body["error"] and body["download_url"] is None
    monkeypatch.setattr(render, "render_pdf", original)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/api/v1/reports/{body['id']}/retry/")
    assert r.status_code == 202
    assert client.get(f"/api/v1/reports/{body['id']}/").json()["status"] == "done"
    assert client.post(f"/api/v1/reports/{body['id']}/retry/").status_code == 400
