import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


def try_login(client, password):
    return client.post(LOGIN, {"username": "gaet", "password": password, "next": "/admin/"})


def test_guessing_a_password_is_locked_out(client):
    UserFactory(username="gaet", password="den-rigtige-adgangskode-9")
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert try_login(client, f"forkert-{attempt}").status_code == 200
    locked = try_login(client, "forkert-sidste")
    assert locked.status_code == 429
    assert "For mange forkerte loginforsøg" in locked.content.decode()
    # Even the right password is refused while locked out.
    assert try_login(client, "den-rigtige-adgangskode-9").status_code == 429


def test_the_right_password_logs_in(client):
    UserFactory(username="gaet", password="den-rigtige-adgangskode-9")
    try_login(client, "forkert")
    assert try_login(client, "den-rigtige-adgangskode-9").status_code == 302


def test_sessions_expire_after_a_working_day_and_with_the_browser():
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678", "password", "kort"):
        with pytest.raises(ValidationError):
            validate_password(weak)
