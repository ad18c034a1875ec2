import datetime
from zoneinfo import ZoneInfo

import time_machine

from tests.commands import send_reminders
from tests.factories import DatedObligationFactory
from tracker.models import Reminder

TODAY = datetime.date(2024, 6, 27)
CLAIMED = datetime.datetime(2024, 6, 27, 7, tzinfo=ZoneInfo("Europe/Copenhagen"))


def test_a_reminder_left_sending_by_a_dead_run_is_sent_after_the_timeout(
    agreement, regions, smtp_server, settings
):
    settings.REMINDER_SENDING_TIMEOUT = 600
    obligation = DatedObligationFactory(
        agreement=agreement, lead_owner=regions, due_end=datetime.date(2024, 6, 30)
    )
    # A run claimed the reminder and died before the mail server accepted it.
    Reminder.objects.create(
        obligation=obligation,
        recipient="rikke@regioner.example.org",
        step="before-3",
        deadline=obligation.due_end,
        status=Reminder.Status.SENDING,
        next_attempt_at=CLAIMED,
        claimed_at=CLAIMED,
        claimed_by="a-run-that-died",
    )

    with time_machine.travel(CLAIMED + datetime.timedelta(seconds=599), tick=False):
        # It may still be sending: leave it alone.
        assert send_reminders(TODAY) == "Ingen påmindelser at sende.\n"
    with time_machine.travel(CLAIMED + datetime.timedelta(seconds=600), tick=False):
        send_reminders(TODAY)
        send_reminders(TODAY)

    assert len(smtp_server.to("rikke@regioner.example.org")) == 1
    assert Reminder.objects.get().status == Reminder.Status.SENT
