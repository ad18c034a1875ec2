import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from operations.models import JobRun
from tests.factories import ObligationFactory
from tracker.models import Reminder

COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def healthy(celery_worker, redis_server, settings):
    """A worker running, Redis answering, the daily job run today."""
    settings.REDIS_URL = redis_server.url
    settings.HEALTH_WORKER_WITHIN = 0
    celery_worker.start()
    celery_worker.send("tracker.tasks.send_reminders")
    from tests.servers import wait_for

    wait_for(
        lambda: JobRun.objects.filter(
            task="tracker.tasks.send_reminders", finished_at__isnull=False
        ).exists(),
        30,
        "the worker to run the daily job",
    )
    return celery_worker


@pytest.mark.django_db(transaction=True)
def test_health_is_200_when_every_part_answers_and_names_redis_when_it_is_gone(
    client, healthy, redis_server
):
    response = client.get("/health/")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["status"] == "ok"
    assert set(answer["checks"]) == {"database", "redis", "worker", "beat", "outbox"}

    redis_server.process.terminate()
    redis_server.process.wait(10)
    response = client.get("/health/")
    assert response.status_code == 503
    assert "redis" in response.json()["failing"]


@pytest.mark.django_db(transaction=True)
def test_health_names_the_worker_when_none_answers(client, healthy):
    healthy.stop()
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]


@pytest.mark.django_db(transaction=True)
def test_health_names_beat_when_the_daily_job_is_late(client, healthy, settings):
    settings.REMINDER_HOUR, settings.REMINDER_MINUTE = 7, 0
    JobRun.objects.update(finished_at=timezone.now(), watched_since=timezone.now())
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=False):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["beat"]


@pytest.mark.django_db(transaction=True)
def test_health_names_the_outbox_when_mail_is_stuck_in_sending(client, healthy, settings):
    obligation = ObligationFactory()
    Reminder.objects.create(
        obligation=obligation,
        recipient="ejer@example.org",
        step="due",
        deadline=datetime.date(2030, 1, 1),
        status=Reminder.Status.SENDING,
        claimed_at=timezone.now()
        - datetime.timedelta(seconds=settings.REMINDER_SENDING_TIMEOUT + 1),
    )
    response = client.get("/health/")
    assert response.status_code == 503
    answer = response.json()
    assert answer["failing"] == ["outbox"]
    assert "1 påmindelser" in answer["checks"]["outbox"]["detail"]


@pytest.mark.django_db(transaction=True)
def test_the_health_command_prints_the_same_and_fails(healthy, capsys):
    healthy.stop()
    with pytest.raises(CommandError, match="worker"):
        call_command("health")
    answer = json.loads(capsys.readouterr().out)
    assert answer["failing"] == ["worker"]


@pytest.mark.django_db
def test_health_asks_for_the_token_when_one_is_set(client, settings):
    settings.HEALTH_TOKEN = "hemmelig-token"
    assert client.get("/health/").status_code == 403
    response = client.get("/health/", headers={"Authorization": "Bearer forkert"})
    assert response.status_code == 403
    response = client.get("/health/", headers={"Authorization": "Bearer hemmelig-token"})
    assert response.status_code in (200, 503)
    assert "hemmelig" not in response.content.decode()
