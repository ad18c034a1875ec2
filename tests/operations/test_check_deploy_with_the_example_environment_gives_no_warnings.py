"""`manage.py check --deploy` with the production environment of deploy/tracker.env.example
(PostgreSQL, Redis, DEBUG off) and single sign-on, Sentry and JSON logs on: no warning."""

import shlex
import subprocess
import sys

from tests.paths import ROOT


def example_environment() -> dict[str, str]:
    env = {}
    for line in (ROOT / "deploy" / "tracker.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = " ".join(shlex.split(value))
    return env


def test_the_example_environment_passes_check_deploy_without_a_warning():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **example_environment(),
        "SECRET_KEY": "p" * 20 + "roduction-secret-key-with-enough-entropy-0123456789",
        "OIDC_ISSUER": "https://login.example.org",
        "OIDC_CLIENT_ID": "tracker",
        "OIDC_CLIENT_SECRET": "hemmelig",
        "SENTRY_DSN": "https://offentlig@sentry.example.org/1",
    }
    assert env["DEBUG"] == "0"
    assert env["DATABASE_URL"].startswith("postgres")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
