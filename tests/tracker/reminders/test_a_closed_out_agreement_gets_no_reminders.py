"""A closed-out agreement leaves the reminders: planning, cancelling and the digest select only
obligations of agreements that are not closed out, and reopening it (the secretariat, with a
reason) brings its reminders back."""

import datetime

from django.urls import reverse

from agreements.models import Agreement
from tests.commands import send_reminders, send_reminders_at
from tests.factories import DatedObligationFactory
from tests.servers import free_port
from tracker.models import Reminder
from tracker.reminders import deliver_reminders, plan_reminders

DEADLINE = datetime.date(2024, 6, 30)


def close_out_as_before(agreement, day=datetime.date(2024, 6, 1)):
    """The agreement closed out with an open obligation in it: what the admin let a user
    make before by adding an obligation to a closed agreement."""
    Agreement.objects.filter(pk=agreement.pk).update(closed_on=day, closing_note="Slut.")


def test_an_open_obligation_of_a_closed_agreement_is_neither_planned_nor_escalated(
    agreement, regions, smtp_server
):
    DatedObligationFactory(agreement=agreement, lead_owner=regions, due_end=DEADLINE)
    close_out_as_before(agreement)

    # Overdue long enough to be escalated to the secretariat.
    assert send_reminders(datetime.date(2024, 8, 5), "--dry-run") == "Ingen påmindelser at sende.\n"
    assert send_reminders(datetime.date(2024, 8, 5)) == "Ingen påmindelser at sende.\n"
    assert smtp_server.messages == []
    assert not Reminder.objects.exists()


def test_a_reminder_waiting_when_the_agreement_is_closed_out_is_cancelled_not_sent(
    agreement, regions, smtp_server, settings
):
    DatedObligationFactory(agreement=agreement, lead_owner=regions, due_end=DEADLINE)
    settings.EMAIL_PORT = free_port()
    send_reminders_at(datetime.date(2024, 6, 27))
    assert Reminder.objects.get().status == Reminder.Status.PENDING

    close_out_as_before(agreement, datetime.date(2024, 6, 27))
    settings.EMAIL_PORT = smtp_server.port
    # The digest of the dry run asks too: nothing is owed.
    assert send_reminders(datetime.date(2024, 6, 28), "--dry-run") == (
        "Ingen påmindelser at sende.\n"
    )
    assert send_reminders_at(datetime.date(2024, 6, 28)) == "Ingen påmindelser at sende.\n"

    assert smtp_server.messages == []
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.last_error) == ("cancelled", "Aftalen er afsluttet.")


def test_a_reminder_claimed_after_the_agreement_is_closed_out_is_not_sent(
    agreement, regions, smtp_server
):
    """Delivery asks as well: a row planned before the agreement was closed out and sent by
    a delivery that does not plan first (the retry job) is cancelled, not sent."""
    DatedObligationFactory(agreement=agreement, lead_owner=regions, due_end=DEADLINE)
    plan_reminders(datetime.date(2024, 6, 27))
    close_out_as_before(agreement, datetime.date(2024, 6, 27))

    digests = deliver_reminders(today=datetime.date(2024, 6, 27))

    assert smtp_server.messages == []
    assert [d.outcome for d in digests] == []
    assert Reminder.objects.get().status == Reminder.Status.CANCELLED


def test_reopening_the_agreement_in_the_admin_brings_its_reminders_back(
    client, agreement, regions, smtp_server, settings, secretariat_member
):
    DatedObligationFactory(agreement=agreement, lead_owner=regions, due_end=DEADLINE)
    settings.EMAIL_PORT = free_port()
    send_reminders_at(datetime.date(2024, 6, 27))
    close_out_as_before(agreement, datetime.date(2024, 6, 27))
    send_reminders_at(datetime.date(2024, 6, 27), hour=8)
    assert Reminder.objects.get().status == Reminder.Status.CANCELLED

    client.force_login(secretariat_member)
    url = reverse("admin:agreements_agreement_reopen", args=[agreement.pk])
    response = client.post(url, {"reason": "En forpligtelse er ikke leveret alligevel."})
    assert response.status_code == 302
    settings.EMAIL_PORT = smtp_server.port
    send_reminders_at(datetime.date(2024, 6, 28))

    [mail] = smtp_server.messages
    assert "Frist: 30. juni 2024 (om 2 dage)" in mail.text
    assert Reminder.objects.get().status == Reminder.Status.SENT
