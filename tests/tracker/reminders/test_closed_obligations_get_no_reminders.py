import datetime

import pytest

from agreements.status import Status
from tests.commands import send_reminders, send_reminders_at
from tests.factories import DatedObligationFactory, StatusReportFactory
from tests.servers import free_port
from tracker.models import Reminder


@pytest.mark.parametrize("status", [Status.DONE, Status.CONTINUED, Status.DROPPED])
def test_a_closed_obligation_gets_no_reminders(status, agreement, regions, smtp_server):
    obligation = DatedObligationFactory(
        agreement=agreement, lead_owner=regions, due_end=datetime.date(2024, 6, 1)
    )
    StatusReportFactory(obligation=obligation, status=status)

    assert send_reminders(datetime.date(2024, 7, 1)) == "Ingen påmindelser at sende.\n"
    assert smtp_server.messages == []
    assert not Reminder.objects.exists()


def a_reminder_left_waiting(agreement, regions, settings):
    """An obligation due 30 June whose reminder of 27 June could not be sent (the mail
    server was down): it waits for a retry."""
    obligation = DatedObligationFactory(
        agreement=agreement, lead_owner=regions, due_end=datetime.date(2024, 6, 30)
    )
    settings.EMAIL_PORT = free_port()
    send_reminders_at(datetime.date(2024, 6, 27))
    return obligation


def test_a_reminder_waiting_for_a_retry_is_cancelled_when_the_obligation_is_done(
    agreement, regions, smtp_server, settings
):
    obligation = a_reminder_left_waiting(agreement, regions, settings)
    StatusReportFactory(obligation=obligation, status=Status.DONE)
    settings.EMAIL_PORT = smtp_server.port

    send_reminders_at(datetime.date(2024, 6, 28))

    assert smtp_server.messages == []
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.last_error) == ("cancelled", "Forpligtelsen er afsluttet.")


def test_a_reopened_obligation_gets_its_cancelled_reminder_after_all(
    agreement, regions, smtp_server, settings
):
    obligation = a_reminder_left_waiting(agreement, regions, settings)
    StatusReportFactory(obligation=obligation, status=Status.DONE)
    send_reminders_at(datetime.date(2024, 6, 27), hour=8)
    assert Reminder.objects.get().status == Reminder.Status.CANCELLED

    # Marked done by mistake: it is in progress after all.
    StatusReportFactory(obligation=obligation, status=Status.ON_TRACK)
    settings.EMAIL_PORT = smtp_server.port
    send_reminders_at(datetime.date(2024, 6, 28))

    [mail] = smtp_server.messages
    assert "Frist: 30. juni 2024 (om 2 dage)" in mail.text
    assert list(Reminder.objects.values_list("step", "status")) == [("before-3", "sent")]
