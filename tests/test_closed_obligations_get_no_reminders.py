import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agreements.status import Status
from tests.commands import send_reminders
from tests.factories import DatedObligationFactory, StatusReportFactory
from tests.servers import free_port
from tracker.models import Reminder

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


@pytest.mark.parametrize("status", [Status.DONE, Status.CONTINUED, Status.DROPPED])
def test_a_closed_obligation_gets_no_reminders(status, agreement, regions, smtp_server):
    obligation = DatedObligationFactory(
        agreement=agreement, lead_owner=regions, due_end=datetime.date(2024, 6, 1)
    )
    StatusReportFactory(obligation=obligation, status=status)

    assert send_reminders(datetime.date(2024, 7, 1)) == "Ingen påmindelser at sende.\n"
    assert smtp_server.messages == []
    assert not Reminder.objects.exists()


def test_a_reminder_waiting_for_a_retry_is_cancelled_when_the_obligation_is_done(
    agreement, regions, smtp_server, settings
):
    obligation = DatedObligationFactory(
        agreement=agreement, lead_owner=regions, due_end=datetime.date(2024, 6, 30)
    )
    settings.EMAIL_PORT = free_port()
    with time_machine.travel(datetime.datetime(2024, 6, 27, 7, tzinfo=COPENHAGEN), tick=False):
        send_reminders(datetime.date(2024, 6, 27))
    StatusReportFactory(obligation=obligation, status=Status.DONE)
    settings.EMAIL_PORT = smtp_server.port

    with time_machine.travel(datetime.datetime(2024, 6, 28, 7, tzinfo=COPENHAGEN), tick=False):
        send_reminders(datetime.date(2024, 6, 28))

    assert smtp_server.messages == []
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.last_error) == ("cancelled", "Forpligtelsen er afsluttet.")


def test_a_reopened_obligation_gets_its_cancelled_reminder_after_all(
    agreement, regions, smtp_server, settings
):
    obligation = DatedObligationFactory(
        agreement=agreement, lead_owner=regions, due_end=datetime.date(2024, 6, 30)
    )
    settings.EMAIL_PORT = free_port()
    with time_machine.travel(datetime.datetime(2024, 6, 27, 7, tzinfo=COPENHAGEN), tick=False):
        send_reminders(datetime.date(2024, 6, 27))
    StatusReportFactory(obligation=obligation, status=Status.DONE)
    with time_machine.travel(datetime.datetime(2024, 6, 27, 8, tzinfo=COPENHAGEN), tick=False):
        send_reminders(datetime.date(2024, 6, 27))
    assert Reminder.objects.get().status == Reminder.Status.CANCELLED

    # Marked done by mistake: it is in progress after all.
    StatusReportFactory(obligation=obligation, status=Status.ON_TRACK)
    settings.EMAIL_PORT = smtp_server.port
    with time_machine.travel(datetime.datetime(2024, 6, 28, 7, tzinfo=COPENHAGEN), tick=False):
        send_reminders(datetime.date(2024, 6, 28))

    [mail] = smtp_server.messages
    assert "Frist: 30. juni 2024 (om 2 dage)" in mail.text
    assert list(Reminder.objects.values_list("step", "status")) == [("before-3", "sent")]
