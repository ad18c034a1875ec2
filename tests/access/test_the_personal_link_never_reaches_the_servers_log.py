"""The token of a status round's personal link (/svar/<token>/) is the contact's credential:
a real server process (`manage.py runserver`) writes no log line holding it, whether the
request is answered, refused for want of a CSRF cookie, bad, of a wrong method or for a
link that does not exist. Each such line is there, with the token masked."""

import datetime
import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import ContactFactory, ForumFactory, PartyFactory
from tests.servers import database_url, free_port, wait_for
from tracker.models import StatusRound
from tracker.rounds import links

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def token():
    forum = ForumFactory()
    day = datetime.date(2025, 12, 9)
    status_round = StatusRound.objects.create(forum=forum, meeting_date=day, answer_by=day)
    contact = ContactFactory(party=PartyFactory(slug="kl-log"), email="k@kl.example.org")
    return links.mint(status_round, contact)[1]


@pytest.fixture
def server(tmp_path):
    """`manage.py runserver --noreload` on a free port against the test database; yields
    a function giving everything the process wrote to stderr and stdout once it is stopped."""
    port = free_port()
    log_path = tmp_path / "server.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "PYTHONUNBUFFERED": "1",
    }
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def up() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"The server exited:\n{log_path.read_text()}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/offentlig/data/")
            connection.getresponse().read()
            return True
        except OSError:
            return False

    wait_for(up, 60, "the server to start", interval=0.2)

    def request(method: str, path: str, body: str | None = None) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status

    def stopped_log() -> str:
        process.terminate()
        process.wait(20)
        return Path(log_path).read_text()

    try:
        yield request, stopped_log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_no_log_line_of_the_server_holds_the_token(server, token):
    request, stopped_log = server
    path = f"/svar/{token}/"
    statuses = [
        request("GET", path),
        request("POST", path, body="o-1-answer=forsinket"),  # no CSRF cookie
        request("GET", f"{path}?svar=%00"),
        request("OPTIONS", path),  # a method the page does not take
        request("GET", f"/svar/{token[:-3]}xyz/"),
    ]
    assert statuses == [200, 403, 400, 405, 404]
    # The last line is written after the response is sent.
    time.sleep(0.5)
    log = stopped_log()
    assert token not in log
    assert token[:20] not in log
    assert "CSRF" in log
    assert log.count("/svar/[skjult]") >= 5, log
