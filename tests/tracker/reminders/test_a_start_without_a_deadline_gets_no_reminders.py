"""A window with a start and no end ("tidligst fra 2026") has no deadline to remind of."""

import datetime

from tests.commands import send_reminders, send_reminders_at
from tests.factories import ObligationFactory
from tests.servers import free_port
from tracker.models import Reminder


def test_it_gets_no_reminders_before_or_after_its_start(agreement, regions, smtp_server):
    ObligationFactory(agreement=agreement, lead_owner=regions, phrase="tidligst fra 2026")

    for day in (datetime.date(2025, 12, 1), datetime.date(2026, 1, 1), datetime.date(2031, 1, 6)):
        assert send_reminders(day) == "Ingen påmindelser at sende.\n"
    assert smtp_server.messages == []
    assert not Reminder.objects.exists()


def test_a_deadline_that_becomes_a_start_only_cancels_its_waiting_reminder(
    agreement, regions, smtp_server, settings
):
    obligation = ObligationFactory(agreement=agreement, lead_owner=regions, phrase="1. juli 2024")
    # The reminder three days before could not be sent: the mail server was down.
    settings.EMAIL_PORT = free_port()
    send_reminders_at(datetime.date(2024, 6, 28))
    assert Reminder.objects.get().status == Reminder.Status.PENDING

    obligation.phrase = "tidligst 1. juli 2024"
    obligation.save()
    settings.EMAIL_PORT = smtp_server.port
    send_reminders_at(datetime.date(2024, 6, 29))
    send_reminders_at(datetime.date(2024, 7, 8))

    assert smtp_server.messages == []
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.last_error) == ("cancelled", "Fristen er flyttet.")
