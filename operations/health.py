"""Is the tracker healthy? One check per part it needs, each answering in a few seconds.

The answer names the parts and says what is wrong in plain words; it never holds an
exception's text, an address or a setting, so that it can be shown without a login.
"""

import datetime
import time
from dataclasses import dataclass

import redis
from celery import Celery
from django.conf import settings
from django.db import connection
from django.utils import timezone

from operations.models import JobRun
from tracker.models import Reminder

DAILY_JOB = "tracker.tasks.send_reminders"
# The worker's last answer to a ping is kept here, so that one missed ping is no failure.
WORKER_SEEN_KEY = "tracker:health:worker-answered"
# Seconds the check waits for a worker to answer.
PING_TIMEOUT = 1.0


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def _redis() -> redis.Redis:
    return redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2, retry_on_timeout=False
    )


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return Check("database", False, "databasen svarer ikke")
    return Check("database", True, "svarer")


def check_redis() -> Check:
    try:
        with _redis() as client:
            client.ping()
    except redis.RedisError:
        return Check("redis", False, "Redis svarer ikke")
    return Check("redis", True, "svarer")


def check_worker(now: float | None = None) -> Check:
    """A worker answered a ping now, or within HEALTH_WORKER_WITHIN seconds."""
    now = time.time() if now is None else now
    try:
        # A client of its own, so that the check asks the broker the settings name now.
        with _redis() as client, Celery(broker=settings.REDIS_URL, set_as_current=False) as app:
            if app.control.ping(timeout=PING_TIMEOUT):
                client.set(WORKER_SEEN_KEY, str(now))
                return Check("worker", True, "svarede nu")
            seen = client.get(WORKER_SEEN_KEY)
    except Exception:
        return Check("worker", False, "ingen Celery-worker kan nås")
    if seen is not None and now - float(seen) <= settings.HEALTH_WORKER_WITHIN:
        return Check("worker", True, f"svarede for {int(now - float(seen))} sekunder siden")
    return Check("worker", False, "ingen Celery-worker har svaret")


def last_due(now: datetime.datetime) -> datetime.datetime:
    """When the daily job was last due (Celery beat's time, Europe/Copenhagen)."""
    local = timezone.localtime(now)
    due = local.replace(
        hour=settings.REMINDER_HOUR, minute=settings.REMINDER_MINUTE, second=0, microsecond=0
    )
    return due if due <= local else due - datetime.timedelta(days=1)


def check_beat(now: datetime.datetime | None = None) -> Check:
    """The daily job finished after it was last due, allowing HEALTH_BEAT_GRACE seconds.

    Watching starts at the first check, so a new installation is not unhealthy before its
    first day.
    """
    now = now or timezone.now()
    try:
        run, _ = JobRun.objects.get_or_create(task=DAILY_JOB)
    except Exception:
        return Check("beat", False, "kan ikke læses fra databasen")
    due = last_due(now)
    if now - due < datetime.timedelta(seconds=settings.HEALTH_BEAT_GRACE):
        due = last_due(due - datetime.timedelta(seconds=1))
    if run.finished_at is not None and run.finished_at >= due:
        return Check(
            "beat", True, f"dagens job kørte {timezone.localtime(run.finished_at):%d.%m.%Y %H:%M}"
        )
    if run.watched_since >= due:
        return Check("beat", True, "dagens job er ikke forfaldent endnu")
    return Check(
        "beat", False, f"dagens job har ikke kørt siden {timezone.localtime(due):%d.%m.%Y %H:%M}"
    )


def check_outbox(now: datetime.datetime | None = None) -> Check:
    """No reminder held in sending longer than REMINDER_SENDING_TIMEOUT (a dead run's)."""
    now = now or timezone.now()
    stuck_before = now - datetime.timedelta(seconds=settings.REMINDER_SENDING_TIMEOUT)
    try:
        stuck = Reminder.objects.filter(
            status=Reminder.Status.SENDING, claimed_at__lt=stuck_before
        ).count()
    except Exception:
        return Check("outbox", False, "kan ikke læses fra databasen")
    if stuck:
        return Check("outbox", False, f"{stuck} påmindelser hænger i afsendelse")
    return Check("outbox", True, "intet hænger i afsendelse")


def check_all() -> list[Check]:
    database, broker = check_database(), check_redis()
    # Without Redis no worker can be asked (and Celery would retry the broker for seconds).
    worker = check_worker() if broker.ok else Check("worker", False, "kan ikke spørges uden Redis")
    checks = [database, broker, worker]
    if database.ok:
        checks += [check_beat(), check_outbox()]
    else:
        checks += [
            Check("beat", False, "databasen svarer ikke"),
            Check("outbox", False, "databasen svarer ikke"),
        ]
    return checks


def report(checks: list[Check]) -> dict:
    failing = [check.name for check in checks if not check.ok]
    return {
        "status": "fejl" if failing else "ok",
        "failing": failing,
        "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
    }


def record_run(task: str) -> None:
    """Called by the worker after a scheduled task finished."""
    JobRun.objects.update_or_create(task=task, defaults={"finished_at": timezone.now()})
