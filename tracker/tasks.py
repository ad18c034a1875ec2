"""Celery tasks: thin wrappers around tracker.reminders, which the commands also call."""

import datetime

from celery import shared_task

from tracker import reminders


@shared_task
def send_reminders(today: str | None = None) -> None:
    """The daily job (Celery beat, REMINDER_HOUR:REMINDER_MINUTE): plan and send."""
    reminders.run_reminders(datetime.date.fromisoformat(today) if today else None)


@shared_task
def deliver_reminders() -> None:
    """Every few minutes: send what is due again after a failure or a dead worker."""
    reminders.deliver_reminders()
