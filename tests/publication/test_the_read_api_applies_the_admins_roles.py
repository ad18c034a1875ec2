"""The read API asks what the admin asks: a login, one of the three roles, and the model's
view permission; every role reads everything, nobody writes, and the schema describes it."""

import pytest

from tests.factories import StatusReportFactory, UserFactory

pytestmark = pytest.mark.django_db
ENDPOINTS = ["/api/aftaler", "/api/forpligtelser", "/api/statusrapporter", "/api/parter"]


@pytest.fixture
def data(agreement, obligation, kl_obligation):
    StatusReportFactory(obligation=obligation, status="faerdiggjort", text="Anmeldt færdig.")
    return agreement


def test_anonymous_visitors_get_nothing(client, data):
    for url in [*ENDPOINTS, f"/api/aftaler/{data.slug}", "/api/openapi.json"]:
        response = client.get(url)
        assert response.status_code in (401, 302), url
        assert b"kraeftplan-iv" not in response.content, url


def test_a_staff_user_without_a_role_gets_nothing(client, data):
    client.force_login(UserFactory(username="uden-rolle", is_staff=True))
    for url in ENDPOINTS:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "ingen rolle" in response.json()["detail"], url
    assert client.get("/api/docs").status_code == 403


@pytest.mark.parametrize(
    "user", ["superuser", "secretariat_member", "region_coordinator", "observer"]
)
def test_each_role_reads_what_the_admin_shows_it(client, data, user, request):
    member = request.getfixturevalue(user)
    client.force_login(member)
    for url in ENDPOINTS:
        assert client.get(url).status_code == 200, (user, url)
    obligations = client.get("/api/forpligtelser?aftale=kraeftplan-iv").json()
    assert obligations["count"] == 2
    # Unlike the public pages, the API shows claims awaiting review, as the admin does.
    reports = client.get("/api/statusrapporter").json()["items"]
    assert reports[0]["status_label"] == "Færdiggjort (anmeldt)"
    parties = {p["slug"]: p for p in client.get("/api/parter").json()}
    assert parties["danske-regioner"]["contacts"][0]["email"] == "rikke@regioner.example.org"
    kl_owned = client.get("/api/forpligtelser?ansvarlig=kl").json()["items"]
    assert [o["key"] for o in kl_owned] == ["kl-opgave"]


@pytest.mark.parametrize("user", ["observer", "region_coordinator", "secretariat_member"])
def test_nobody_changes_anything_through_the_api(client, data, user, request):
    client.force_login(request.getfixturevalue(user))
    for url in ENDPOINTS:
        assert client.post(url, {}).status_code in (403, 405), url
        assert client.delete(url).status_code in (403, 405), url


def test_the_openapi_schema_describes_every_endpoint_as_read_only(client, data, observer):
    client.force_login(observer)
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Kræftplan-tracker API"
    for path in [
        "/api/aftaler",
        "/api/aftaler/{slug}",
        "/api/forpligtelser",
        "/api/forpligtelser/{obligation_id}",
        "/api/statusrapporter",
        "/api/parter",
    ]:
        assert set(schema["paths"][path]) == {"get"}, path
    assert client.get("/api/docs").status_code == 200
