"""Logins are throttled per address too, and the address is the one the client connects
from unless a proxy in front of the web server is trusted."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
GUESSER = "198.51.100.7"
COLLEAGUE = "198.51.100.8"
PASSWORD = "den-rigtige-adgangskode-9"
ADDRESS_LIMIT = 20  # LOGIN_ADDRESS_FAILURE_LIMIT's default


def login(client, username, password, address, **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


def test_failures_over_many_user_names_lock_the_address_out(client):
    # One failure per name, far below the per-name limit: only the address adds them up.
    for n in range(ADDRESS_LIMIT - 1):
        assert login(client, f"navn{n}", "forkert", GUESSER).status_code == 200
    locked = login(client, f"navn{ADDRESS_LIMIT - 1}", "forkert", GUESSER)
    assert locked.status_code == 429
    assert "For mange forkerte loginforsøg" in locked.content.decode()

    UserFactory(username="kollega", password=PASSWORD)
    # Even a user with the right password is refused from that address...
    assert login(client, "kollega", PASSWORD, GUESSER).status_code == 429
    # ...and logs in from another.
    assert login(client, "kollega", PASSWORD, COLLEAGUE).status_code == 302


def test_a_user_names_own_limit_stays_lower(client):
    UserFactory(username="gaet", password=PASSWORD)
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "gaet", f"forkert-{attempt}", GUESSER).status_code == 200
    assert login(client, "gaet", "forkert-sidste", GUESSER).status_code == 429
    # The address is not locked for other names.
    UserFactory(username="kollega", password=PASSWORD)
    assert login(client, "kollega", PASSWORD, GUESSER).status_code == 302


def lock_out_gaet(client, address, **headers):
    UserFactory(username="gaet", password=PASSWORD)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, "gaet", f"forkert-{attempt}", address, **headers)
    assert login(client, "gaet", PASSWORD, address, **headers).status_code == 429


def test_x_forwarded_for_does_not_move_the_client_when_no_proxy_is_trusted(client):
    lock_out_gaet(client, GUESSER)
    response = login(client, "gaet", PASSWORD, GUESSER, HTTP_X_FORWARDED_FOR=COLLEAGUE)
    assert response.status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_client_is_the_address_it_forwarded(client):
    proxy = "10.0.0.2"
    lock_out_gaet(client, proxy, HTTP_X_FORWARDED_FOR=GUESSER)
    # The guesser cannot move away by writing another address in front of its own...
    spoofed = {"HTTP_X_FORWARDED_FOR": f"{COLLEAGUE}, {GUESSER}"}
    assert login(client, "gaet", PASSWORD, proxy, **spoofed).status_code == 429
    # ...while a colleague behind the same proxy is another client.
    colleague = {"HTTP_X_FORWARDED_FOR": COLLEAGUE}
    assert login(client, "gaet", PASSWORD, proxy, **colleague).status_code == 302
