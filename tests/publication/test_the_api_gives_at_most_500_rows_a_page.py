"""The API's lists give at most 500 rows a page: a larger `limit` is refused with 400 and a
Danish sentence, and the OpenAPI schema says so."""

import pytest

from publication.api import PAGE_MAX

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, observer, obligation):
    client.force_login(observer)
    return client


@pytest.mark.parametrize("url", ["/api/forpligtelser", "/api/statusrapporter"])
@pytest.mark.parametrize("limit", ["501", "1000000000"])
def test_a_limit_over_the_cap_is_refused(reader, url, limit):
    response = reader.get(url, {"limit": limit})
    assert response.status_code == 400
    assert response.json()["detail"] == "»limit« må højst være 500."


@pytest.mark.parametrize("query", [{"limit": "0"}, {"offset": "-1"}, {"limit": "mange"}])
def test_a_limit_or_offset_that_is_no_count_is_refused(reader, query):
    response = reader.get("/api/forpligtelser", query)
    assert response.status_code == 400
    assert "»" in response.json()["detail"]


def test_a_page_of_the_cap_is_given(reader):
    response = reader.get("/api/forpligtelser", {"limit": str(PAGE_MAX)})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_the_schema_names_the_cap(reader):
    schema = reader.get("/api/openapi.json").json()
    for path in ("/api/forpligtelser", "/api/statusrapporter"):
        parameters = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        assert parameters["limit"]["schema"]["maximum"] == PAGE_MAX
        assert "højst 500" in parameters["limit"]["description"]
