import datetime
import logging
from collections import Counter

from tests.factories import ContactFactory, DatedObligationFactory, PartyFactory
from tracker import reminders
from tracker.models import Reminder
from tracker.reminders import delivery

TODAY = datetime.date(2024, 6, 27)


def owners(agreement, count):
    emails = [f"ejer{n}@example.org" for n in range(count)]
    for email in emails:
        party = PartyFactory()
        ContactFactory(party=party, email=email)
        DatedObligationFactory(
            agreement=agreement, lead_owner=party, due_end=datetime.date(2024, 6, 30)
        )
    return emails


def test_a_batch_held_too_long_is_claimed_afresh_and_each_owner_hears_once(
    agreement, settings, monkeypatch, mailoutbox, caplog
):
    emails = owners(agreement, 7)
    monkeypatch.setattr(delivery, "CLAIM_BATCH", 3)
    # Any time held is too long: each batch sends one digest and gives the rest back.
    settings.REMINDER_SENDING_TIMEOUT = 0
    reminders.plan_reminders(TODAY)

    with caplog.at_level(logging.INFO, logger="tracker.reminders"):
        digests = reminders.deliver_reminders(today=TODAY)

    assert [d.recipient for d in digests] == sorted(emails)
    assert Counter(a for m in mailoutbox for a in m.to) == Counter(emails)
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}
    assert any("claim them afresh" in r.getMessage() for r in caplog.records)


def test_a_quick_batch_is_sent_as_claimed(agreement, settings, monkeypatch, mailoutbox, caplog):
    emails = owners(agreement, 7)
    monkeypatch.setattr(delivery, "CLAIM_BATCH", 3)
    reminders.plan_reminders(TODAY)

    with caplog.at_level(logging.INFO, logger="tracker.reminders"):
        digests = reminders.deliver_reminders(today=TODAY)

    assert [d.recipient for d in digests] == sorted(emails)
    assert len(mailoutbox) == 7
    assert not any("afresh" in r.getMessage() for r in caplog.records)
