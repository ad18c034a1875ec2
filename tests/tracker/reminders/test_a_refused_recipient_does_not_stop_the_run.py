import datetime

from tests.commands import send_reminders
from tests.factories import ContactFactory, DatedObligationFactory
from tracker.models import Reminder


def test_a_refused_recipient_does_not_stop_the_run(agreement, regions, kl, smtp_server):
    obligation = DatedObligationFactory(
        agreement=agreement, lead_owner=regions, due_end=datetime.date(2024, 6, 30)
    )
    obligation.co_owners.add(kl)
    ContactFactory(party=regions, email="rita@regioner.example.org")
    # A typo: a comma for a dot.
    ContactFactory(party=kl, email="kirsten@kl,example.org")
    smtp_server.refuse("karl@kl.example.org")

    output = send_reminders(datetime.date(2024, 6, 27))

    received = sorted(address for m in smtp_server.messages for address in m.rcpt_tos)
    assert received == ["rikke@regioner.example.org", "rita@regioner.example.org"]
    refused = Reminder.objects.get(recipient="karl@kl.example.org")
    assert refused.status == Reminder.Status.PENDING
    assert refused.attempts == 1
    assert "550" in refused.last_error and "karl@kl.example.org" in refused.last_error
    bad = Reminder.objects.get(recipient="kirsten@kl,example.org")
    assert (bad.status, bad.attempts) == (Reminder.Status.PENDING, 1)
    assert "Invalid address" in bad.last_error
    assert "Prøves igen: karl@kl.example.org" in output
    assert "Sendt: rita@regioner.example.org" in output
