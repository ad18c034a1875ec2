"""gunicorn with the production settings (DEBUG off, PostgreSQL, Redis), as Procfile.production."""

import json
import subprocess
import urllib.error
import urllib.request

import pytest
from django.db import connection

from operations.models import JobRun
from tests.paths import ROOT
from tests.servers import database_url, free_port, wait_for

GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "roduction-secret-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1",
    "BEHIND_HTTPS_PROXY": "1",
    "HEALTH_WORKER_WITHIN": "0",
    "WEB_CONCURRENCY": "2",
}


def get(url: str) -> tuple[int, dict, bytes]:
    # As the reverse proxy (127.0.0.1, trusted) passes on an HTTPS request.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def gunicorn(celery_worker, redis_server, tmp_path):
    env = {
        **celery_worker.env,
        **PRODUCTION,
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_server.url,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [GUNICORN, "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"

    def answers():
        if process.poll() is not None:
            raise AssertionError((tmp_path / "gunicorn.log").read_text())
        try:
            return get(f"{url}/health/")[0] in (200, 503)
        except OSError:
            return False

    try:
        wait_for(answers, 30, "gunicorn to answer")
        yield url, tmp_path / "static", tmp_path / "gunicorn.log"
    finally:
        process.terminate()
        process.wait(20)
        log.close()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="production is PostgreSQL: the pass on it runs this"
)
@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_hashed_static_files_and_health_names_what_stops(
    gunicorn, celery_worker, redis_server
):
    url, static_root, log = gunicorn
    celery_worker.start()
    celery_worker.send("tracker.tasks.send_reminders")
    wait_for(
        lambda: JobRun.objects.filter(finished_at__isnull=False).exists(),
        30,
        "the worker to run the daily job",
    )

    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["admin/css/base.css"]
    assert hashed != "admin/css/base.css"
    status, headers, _ = get(f"{url}/static/{hashed}")
    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]

    status, _, body = get(f"{url}/health/")
    assert status == 200, body
    assert json.loads(body)["status"] == "ok"

    status, _, _ = get(f"{url}/svar/hemmelig-token-123/")
    assert status == 404
    wait_for(lambda: "/svar/[skjult]/" in log.read_text(), 10, "the access log line")
    assert "hemmelig-token-123" not in log.read_text()

    celery_worker.stop()
    status, _, body = get(f"{url}/health/")
    assert status == 503
    assert json.loads(body)["failing"] == ["worker"]

    redis_server.process.terminate()
    redis_server.process.wait(10)
    status, _, body = get(f"{url}/health/")
    assert status == 503
    assert "redis" in json.loads(body)["failing"]
