"""Saved views (issue 20): a list's filters and sort under a name, the owner's, shareable in the office."""

import pytest

from portal.models import SavedView

pytestmark = pytest.mark.django_db


def save(client, **data):
    body = {"page": "complaints:list", "name": "超期未办", "query": "deadline_state=overdue&sort=-due&before=9&n=2"}
    body.update(data)
    return client.post("/views/", body)


def test_a_view_keeps_filters_and_sort_not_the_page_position_and_reopens(world, client_for):
    client = client_for(world.user("reg_staff_a"))
    response = save(client)
    assert response.status_code == 302 and response["Location"] == "/complaints/?deadline_state=overdue&sort=-due"
    view = SavedView.objects.get()
    assert (view.owner, view.organisation, view.shared) == (world.user("reg_staff_a"), world.office_a, False)
    assert client.get(f"/views/{view.pk}/")["Location"] == "/complaints/?deadline_state=overdue&sort=-due"
    html = client.get("/complaints/?deadline_state=overdue").content.decode()
    assert f'href="/views/{view.pk}/"' in html and "超期未办" in html
    save(client, query="deadline_state=at_risk")  # the same name again: overwritten, not doubled
    assert SavedView.objects.get().query == "deadline_state=at_risk"
    assert view.history.count() == 2


def test_sharing_reaches_the_office_only_and_only_the_owner_deletes(world, client_for):
    save(client_for(world.user("reg_staff_a")), shared="on")
    view = SavedView.objects.get()
    colleague = client_for(world.user("reg_admin_a"))
    assert colleague.get(f"/views/{view.pk}/").status_code == 302
    assert "超期未办" in colleague.get("/complaints/").content.decode()
    assert client_for(world.user("reg_staff_b")).get(f"/views/{view.pk}/").status_code == 404
    assert "超期未办" not in client_for(world.user("reg_staff_b")).get("/complaints/").content.decode()
    assert colleague.post(f"/views/{view.pk}/delete/").status_code == 403
    assert client_for(world.user("reg_staff_a")).post(f"/views/{view.pk}/delete/").status_code == 302
    assert not SavedView.objects.exists()


def test_a_private_view_is_its_owners_and_odd_input_is_refused(world, client_for):
    save(client_for(world.user("reg_staff_a")))
    view = SavedView.objects.get()
    assert client_for(world.user("reg_admin_a")).get(f"/views/{view.pk}/").status_code == 404
    client = client_for(world.user("manager_x"))
    assert save(client, page="https://evil.example/").status_code == 302
    assert save(client, name="  ").status_code == 302
    assert SavedView.objects.count() == 1
