import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.commands import send_reminders
from tests.factories import DatedObligationFactory
from tests.servers import free_port
from tracker.models import Reminder

TODAY = datetime.date(2024, 6, 27)
MORNING = datetime.datetime(2024, 6, 27, 7, tzinfo=ZoneInfo("Europe/Copenhagen"))


@pytest.fixture
def smtp_down(settings, smtp_server):
    """The configured SMTP port has nothing listening; smtp_server is where it comes back."""
    settings.EMAIL_PORT = free_port()
    settings.REMINDER_RETRY_BASE = 300
    settings.REMINDER_RETRY_MAX = 1000
    settings.REMINDER_MAX_ATTEMPTS = 4
    return settings


@pytest.fixture
def reminder_due(agreement, regions):
    return DatedObligationFactory(
        agreement=agreement, lead_owner=regions, due_end=datetime.date(2024, 6, 30)
    )


def test_smtp_down_is_retried_with_backoff_and_shown_in_the_admin(
    reminder_due, smtp_down, smtp_server, admin_client
):
    with time_machine.travel(MORNING, tick=False) as clock:
        output = send_reminders(TODAY)

        assert "Prøves igen: rikke@regioner.example.org" in output
        reminder = Reminder.objects.get()
        assert reminder.status == Reminder.Status.PENDING
        assert reminder.attempts == 1
        assert reminder.last_error.startswith("Mailserveren kunne ikke nås:")
        assert reminder.next_attempt_at == MORNING + datetime.timedelta(seconds=300)

        page = admin_client.get(reverse("admin:tracker_reminder_changelist"))
        assert page.status_code == 200
        assert "rikke@regioner.example.org" in page.text
        assert "Mailserveren kunne ikke nås" in page.text
        assert "27.06.2024 07:05" in page.text

        # Not before its time.
        clock.shift(datetime.timedelta(seconds=299))
        send_reminders(TODAY)
        assert Reminder.objects.get().attempts == 1

        clock.shift(datetime.timedelta(seconds=1))
        send_reminders(TODAY)
        reminder.refresh_from_db()
        assert reminder.attempts == 2
        assert reminder.next_attempt_at == MORNING + datetime.timedelta(seconds=300 + 600)

        # The server is back: the next attempt delivers.
        smtp_down.EMAIL_PORT = smtp_server.port
        clock.shift(datetime.timedelta(seconds=600))
        send_reminders(TODAY)

    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.last_error) == ("sent", 3, "")
    assert len(smtp_server.to("rikke@regioner.example.org")) == 1


def test_a_reminder_that_keeps_failing_is_marked_failed_in_the_admin(
    reminder_due, smtp_down, admin_client
):
    waits = []
    with time_machine.travel(MORNING, tick=False) as clock:
        send_reminders(TODAY)
        for _ in range(3):
            reminder = Reminder.objects.get()
            waits.append(reminder.next_attempt_at - clock.time() if False else None)
            waits[-1] = (reminder.next_attempt_at - MORNING).total_seconds()
            clock.move_to(reminder.next_attempt_at)
            send_reminders(TODAY)

    reminder = Reminder.objects.get()
    # 300 s, then doubling, capped at 1000 s: 300, 900 (300 + 600), 1900 (900 + 1000).
    assert waits == [300, 900, 1900]
    assert (reminder.status, reminder.attempts) == (Reminder.Status.FAILED, 4)

    changelist = reverse("admin:tracker_reminder_changelist")
    failed = admin_client.get(changelist, {"status__exact": "failed"})
    assert "rikke@regioner.example.org" in failed.text
    assert "Fejlet" in failed.text
    pending = admin_client.get(changelist, {"status__exact": "pending"})
    assert "rikke@regioner.example.org" not in pending.text
    change = admin_client.get(reverse("admin:tracker_reminder_change", args=[reminder.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.text
