import datetime
import subprocess
import sys

import pytest
from celery.schedules import crontab

from config.celery import app
from tests.factories import DatedObligationFactory
from tests.servers import wait_for
from tracker.models import Reminder


def test_beat_runs_the_reminder_job_daily_and_retries_every_few_minutes():
    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule

    assert schedule["send-reminders"]["task"] == "tracker.tasks.send_reminders"
    assert schedule["send-reminders"]["schedule"] == crontab(hour=7, minute=0)
    assert schedule["deliver-reminders"]["schedule"] == crontab(minute="*/5")
    assert {"tracker.tasks.send_reminders", "tracker.tasks.deliver_reminders"} <= set(app.tasks)


def beat_schedule(**env: str) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CELERY_BEAT_SCHEDULE['send-reminders']['schedule'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
    )


def test_the_time_of_the_daily_job_comes_from_the_environment():
    result = beat_schedule(REMINDER_HOUR="6", REMINDER_MINUTE="30")
    assert result.returncode == 0, result.stderr
    assert "<crontab: 30 6 * * * (m/h/dM/MY/d)>" in result.stdout

    result = beat_schedule(REMINDER_HOUR="seks")
    assert result.returncode != 0
    assert "REMINDER_HOUR must be a whole number" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_the_daily_reminders(celery_worker, smtp_server, agreement, regions):
    obligation = DatedObligationFactory(
        agreement=agreement, lead_owner=regions, due_end=datetime.date(2024, 6, 30)
    )

    celery_worker.start()
    celery_worker.send("tracker.tasks.send_reminders", "2024-06-27")
    wait_for(lambda: smtp_server.messages, 30, "the reminder to arrive")
    wait_for(
        lambda: Reminder.objects.filter(status=Reminder.Status.SENT).exists(),
        10,
        "the reminder to be marked sent",
    )

    [mail] = smtp_server.messages
    assert mail.rcpt_tos == ["rikke@regioner.example.org"]
    assert mail.obligation_ids == [obligation.pk]
    assert "Frist: 30. juni 2024 (om 3 dage)" in mail.text
