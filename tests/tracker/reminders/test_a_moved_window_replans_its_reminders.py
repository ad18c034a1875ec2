import datetime

from tests.commands import send_reminders_at
from tests.factories import DatedObligationFactory
from tests.servers import free_port
from tracker.models import Reminder


def test_a_moved_window_replans_its_reminders(agreement, regions, smtp_server, settings):
    obligation = DatedObligationFactory(
        agreement=agreement, lead_owner=regions, due_end=datetime.date(2024, 6, 30)
    )
    send_reminders_at(datetime.date(2024, 5, 31))
    # Three days before the deadline the mail server is down: the reminder waits.
    settings.EMAIL_PORT = free_port()
    send_reminders_at(datetime.date(2024, 6, 27))
    assert Reminder.objects.get(step="before-3").status == Reminder.Status.PENDING

    # A coordinator moves the window by hand to 30 September.
    obligation.due_start = datetime.date(2024, 9, 1)
    obligation.due_end = datetime.date(2024, 9, 30)
    obligation.due_manual_reason = "Aftalt i Taskforcen den 26. juni."
    obligation.save()
    settings.EMAIL_PORT = smtp_server.port
    output = send_reminders_at(datetime.date(2024, 6, 28))

    assert output == "Ingen påmindelser at sende.\n"
    old = Reminder.objects.get(step="before-3")
    assert (old.status, old.last_error) == (Reminder.Status.CANCELLED, "Fristen er flyttet.")
    [before_30] = smtp_server.messages
    assert "30. juni 2024" in before_30.text

    send_reminders_at(datetime.date(2024, 8, 31))

    # The new deadline starts its own sequence, 30 days before, again.
    assert len(smtp_server.messages) == 2
    assert "Frist: 30. september 2024 (om 30 dage)" in smtp_server.messages[1].text
    assert sorted(Reminder.objects.values_list("deadline", "step", "status")) == [
        (datetime.date(2024, 6, 30), "before-3", "cancelled"),
        (datetime.date(2024, 6, 30), "before-30", "sent"),
        (datetime.date(2024, 9, 30), "before-30", "sent"),
    ]


def test_a_window_moved_back_gets_its_cancelled_reminder_after_all(
    agreement, regions, smtp_server, settings
):
    obligation = DatedObligationFactory(
        agreement=agreement, lead_owner=regions, due_end=datetime.date(2024, 6, 30)
    )
    settings.EMAIL_PORT = free_port()
    send_reminders_at(datetime.date(2024, 6, 27))
    obligation.due_end = datetime.date(2024, 12, 31)
    obligation.save()
    send_reminders_at(datetime.date(2024, 6, 27), hour=8)
    assert Reminder.objects.get(step="before-3").status == Reminder.Status.CANCELLED

    # It was a mistake: the deadline is 30 June after all.
    obligation.due_end = datetime.date(2024, 6, 30)
    obligation.save()
    settings.EMAIL_PORT = smtp_server.port
    send_reminders_at(datetime.date(2024, 6, 28))

    [mail] = smtp_server.messages
    assert "Frist: 30. juni 2024 (om 2 dage)" in mail.text
    assert Reminder.objects.get(step="before-3").status == Reminder.Status.SENT
