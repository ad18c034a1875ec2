import os
import subprocess
import sys

import pytest

from tests.paths import ROOT

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "roduction-secret-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "tracker.example.org",
    "DATABASE_URL": "sqlite:////tmp/check-deploy.sqlite3",
}


def test_check_deploy_gives_no_warnings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(PRODUCTION)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_every_page_has_a_strict_content_security_policy(client, secretariat_member):
    client.force_login(secretariat_member)
    response = client.get("/admin/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
