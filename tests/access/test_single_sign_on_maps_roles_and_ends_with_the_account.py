"""Single sign-on through a real OpenID Connect provider (npm's oidc-provider, started here on
localhost), with the tracker configured only by the environment, as in production."""

import json
import shutil
import subprocess
import urllib.request

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session

from common.roles import COORDINATOR, SECRETARIAT
from tests.factories import PartyFactory, UserFactory
from tests.paths import ROOT
from tests.servers import database_url, free_port, wait_for

NODE = shutil.which("node") or "/usr/bin/node"
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
ACCOUNTS = {
    "sara": {
        "email": "sara@sundhed.example.org",
        "given_name": "Sara",
        "family_name": "Sekretær",
        "groups": ["tracker-sekretariat", "alle-ansatte"],
    },
    "karl": {"email": "karl@kl.example.org", "groups": ["tracker-kl"]},
}


def answers(url: str, process: subprocess.Popen, log) -> bool:
    if process.poll() is not None:
        raise AssertionError(log.read_text())
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@pytest.fixture
def provider_and_tracker(transactional_db, tmp_path):
    """The provider on localhost and the tracker (gunicorn, DEBUG on) pointed at it."""
    provider_port, tracker_port = free_port(), free_port()
    issuer = f"http://localhost:{provider_port}"
    tracker = f"http://127.0.0.1:{tracker_port}"
    processes = []
    try:
        provider_log = tmp_path / "provider.log"
        with provider_log.open("w") as log:
            provider = subprocess.Popen(
                [
                    *(NODE, "tests/access/oidc_provider.mjs", str(provider_port)),
                    *("tracker", "tracker-hemmelighed", f"{tracker}/oidc/callback/"),
                    json.dumps(ACCOUNTS),
                ],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        processes.append(provider)
        wait_for(
            lambda: answers(f"{issuer}/.well-known/openid-configuration", provider, provider_log),
            30,
            "the OpenID Connect provider",
        )
        tracker_log = tmp_path / "tracker.log"
        env = {
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "GUNICORN_BIND": f"127.0.0.1:{tracker_port}",
            "WEB_CONCURRENCY": "2",
            "OIDC_ISSUER": issuer,
            "OIDC_CLIENT_ID": "tracker",
            "OIDC_CLIENT_SECRET": "tracker-hemmelighed",
            "OIDC_PROVIDER_NAME": "Sundhedsdatastyrelsen",
            "OIDC_SCOPES": "openid,email,profile,groups",
            "OIDC_ROLE_GROUPS": "tracker-sekretariat=sekretariat,tracker-kl=koordinator:kl",
            "PASSWORD_LOGIN": "0",
        }
        with tracker_log.open("w") as log:
            web = subprocess.Popen(
                [GUNICORN, "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        processes.append(web)
        wait_for(lambda: answers(f"{tracker}/health/", web, tracker_log), 30, "the tracker")
        yield issuer, tracker
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                # gunicorn waits for the browser's kept-alive connections.
                process.kill()
                process.wait(10)


def sign_in_at_the_provider(page, tracker, login):
    page.goto(f"{tracker}/admin/")
    assert page.locator("#login-form").count() == 0, "PASSWORD_LOGIN=0: no password form"
    page.click("text=Log ind med Sundhedsdatastyrelsen")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "hvad-som-helst")
    page.click("button[type=submit]")


def test_a_user_signs_in_by_the_provider_with_the_mapped_role_until_disabled_there(
    page, provider_and_tracker
):
    issuer, tracker = provider_and_tracker
    existing = UserFactory(username="sara-lokal", email="Sara@sundhed.example.org")

    sign_in_at_the_provider(page, tracker, "sara")
    page.wait_for_selector("#user-tools")
    assert page.url == f"{tracker}/admin/"
    user = get_user_model().objects.get(email__iexact="sara@sundhed.example.org")
    assert user == existing, "matched by e-mail"
    assert list(user.groups.values_list("name", flat=True)) == [SECRETARIAT]
    assert user.is_staff

    urllib.request.urlopen(urllib.request.Request(f"{issuer}/test/disable?sub=sara", method="POST"))
    # The next refresh is due (the session's check with the provider is set to have expired).
    for session in Session.objects.all():
        data = session.get_decoded()
        data["oidc_id_token_expiration"] = 0
        Session.objects.save(session.session_key, data, session.expire_date)
    page.goto(f"{tracker}/admin/")
    page.wait_for_url(f"{tracker}/admin/login/**")
    assert page.locator("#user-tools").count() == 0
    assert "kontoen er lukket" in page.inner_text(".errornote")
    page.goto(f"{tracker}/admin/")
    assert "/admin/login/" in page.url


def test_a_new_user_is_created_as_a_coordinator_of_the_mapped_party(page, provider_and_tracker):
    _, tracker = provider_and_tracker
    kl = PartyFactory(name="KL", slug="kl", kind="kommune")

    sign_in_at_the_provider(page, tracker, "karl")
    page.wait_for_selector("#user-tools")
    user = get_user_model().objects.get(email="karl@kl.example.org")
    assert list(user.groups.values_list("name", flat=True)) == [COORDINATOR]
    assert list(kl.coordinators.all()) == [user]
    assert not user.has_usable_password()
