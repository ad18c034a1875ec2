"""LOG_FORMAT=json: one JSON object a line, with the request's id, user and duration, or the
Celery task's id; never a personal answer link."""

import json
import subprocess
import sys

import pytest

from tests.paths import ROOT
from tests.servers import database_url, wait_for

REQUESTS = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client

user = get_user_model().objects.create_user("logget", password="x")
client = Client(HTTP_HOST="localhost")
client.force_login(user)
client.get("/svar/hemmeligtoken123/")
client.get("/oversigt/", headers={"X-Request-ID": "fra-proxyen-1"})
print("USER", user.pk)
"""


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


@pytest.mark.django_db(transaction=True)
def test_a_request_is_logged_as_json_with_its_id_user_path_and_duration():
    result = subprocess.run(
        [sys.executable, "-c", REQUESTS],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "LOG_FORMAT": "json",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    user_id = int(result.stdout.split("USER")[1])
    assert "hemmeligtoken123" not in result.stderr
    requests = [line for line in json_lines(result.stderr) if line["logger"] == "tracker.requests"]
    answer, overview = requests
    assert answer["path"] == "/svar/[skjult]/"
    assert answer["status"] == 404
    assert len(answer["request_id"]) == 32
    assert answer["user_id"] == user_id
    assert isinstance(answer["duration_ms"], float)
    assert overview["request_id"] == "fra-proxyen-1"
    assert overview["path"] == "/oversigt/"


@pytest.mark.django_db(transaction=True)
def test_a_celery_task_logs_json_lines_with_its_task_id(celery_worker):
    celery_worker.start(LOG_FORMAT="json")
    celery_worker.send("tracker.tasks.send_reminders")
    wait_for(lambda: "succeeded" in celery_worker.log(), 30, "the task to finish")
    lines = json_lines(celery_worker.log())
    in_task = [line for line in lines if "task_id" in line]
    assert in_task, celery_worker.log()
    assert {line["task"] for line in in_task} == {"tracker.tasks.send_reminders"}
