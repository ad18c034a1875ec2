"""Two-factor login for password accounts (common/twofactor.py): required for the secretariat
and superusers with REQUIRE_2FA, optional for others; enrolled on the user's own page with a
QR code, and recovery codes."""

import base64
import re
import time

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.roles import COORDINATOR, SECRETARIAT
from tests.browser import CHROMIUM  # noqa: F401 - the page fixture needs chromium
from tests.factories import UserFactory

PASSWORD = "en-lang-adgangskode-til-test"


def code(key: bytes, steps_ahead: int = 0) -> str:
    """The app's code now, or that many 30-second steps later (a code is used only once)."""
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def user_in(group: str, username: str):
    user = UserFactory(username=username)
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(client, username, otp_token=""):
    return client.post(
        "/admin/login/",
        {"username": username, "password": PASSWORD, "otp_token": otp_token, "next": "/admin/"},
    )


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True


@pytest.mark.django_db
def test_the_secretariat_must_enrol_then_logs_in_with_the_code_or_a_recovery_code(
    client, require_2fa
):
    user_in(SECRETARIAT, "sara")
    assert log_in(client, "sara").status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/tofaktor/"

    page = client.get("/admin/tofaktor/").content.decode()
    assert "<svg" in page
    assert "Din rolle kræver tofaktor-login" in page
    secret = re.search(r'id="otp-secret">([A-Z2-7]+)<', page).group(1)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    wrong = client.post("/admin/tofaktor/", {"otp_token": "000000"}).content.decode()
    assert "Koden passer ikke" in wrong
    # A wrong code makes the device wait before the next try (django-otp's throttling).
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    page = client.post("/admin/tofaktor/", {"otp_token": code(key)}).content.decode()
    codes = re.findall(r"<li><code>(\w+)</code></li>", page)
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200

    client.logout()
    response = log_in(client, "sara")
    assert "Skriv den gyldige engangskode" in response.content.decode()
    assert log_in(client, "sara", code(key, steps_ahead=1)).status_code == 302
    assert client.get("/admin/").status_code == 200

    client.logout()
    assert log_in(client, "sara", codes[0]).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    response = log_in(client, "sara", codes[0])
    assert response.status_code == 200, "a recovery code is good once"


@pytest.mark.django_db
def test_a_coordinator_may_log_in_without_a_second_factor_and_may_turn_it_on(client, require_2fa):
    user_in(COORDINATOR, "karl")
    assert log_in(client, "karl").status_code == 302
    assert client.get("/admin/").status_code == 200
    page = client.get("/admin/tofaktor/").content.decode()
    assert "Din rolle kræver" not in page
    assert 'id="otp-secret"' in page


@pytest.mark.django_db
def test_the_demo_needs_no_second_factor_and_says_so(client, settings):
    settings.DEBUG, settings.REQUIRE_2FA = True, False
    user_in(SECRETARIAT, "demo-sara")
    assert log_in(client, "demo-sara").status_code == 302
    assert client.get("/admin/").status_code == 200
    assert "kræver ikke tofaktor-login" in client.get("/admin/tofaktor/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_in_a_browser_the_secretariat_logs_in_with_a_password_and_a_totp_code(
    page, live_server, settings
):
    settings.REQUIRE_2FA = True
    user = user_in(SECRETARIAT, "sara-browser")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "sara-browser")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    assert "Skriv den gyldige engangskode" in page.inner_text(".errornote")

    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", code(device.bin_key))
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    assert page.url == f"{live_server.url}/admin/"
    assert "tofaktor-login" in page.inner_text("#user-tools").lower()
