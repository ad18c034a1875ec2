import pytest

from tests.factories import UserFactory


@pytest.mark.django_db
def test_without_password_login_the_form_is_gone_and_a_posted_password_is_refused(client, settings):
    settings.PASSWORD_LOGIN = False
    UserFactory(username="sara", password="en-lang-adgangskode")
    page = client.get("/admin/login/").content.decode()
    assert 'id="login-form"' not in page
    response = client.post(
        "/admin/login/", {"username": "sara", "password": "en-lang-adgangskode", "next": "/admin/"}
    )
    assert response.status_code == 200
    assert "Log ind med organisationens konto" in response.content.decode()
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_with_password_login_the_page_is_as_before(client):
    page = client.get("/admin/login/").content.decode()
    assert 'id="login-form"' in page
    assert "Log ind med" not in page
