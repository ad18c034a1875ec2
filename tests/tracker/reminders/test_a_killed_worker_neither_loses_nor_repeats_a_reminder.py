import datetime
from collections import Counter, defaultdict

import pytest
from django.db import transaction

from tests.factories import AgreementFactory, ContactFactory, DatedObligationFactory, PartyFactory
from tests.servers import wait_for
from tracker.models import Reminder
from tracker.reminders.delivery import CLAIM_BATCH

OWNERS = 100
OBLIGATIONS = 300
KILLED_AT = 40


@pytest.fixture
def owned():
    """300 obligations due in 3 days, each led by one party and co-owned by the next:
    600 reminders, 6 to each of 100 owners."""
    expected = defaultdict(set)
    with transaction.atomic():
        agreement = AgreementFactory()
        parties = [PartyFactory() for _ in range(OWNERS)]
        emails = [f"ejer{n:03}@example.org" for n in range(OWNERS)]
        for party, email in zip(parties, emails, strict=True):
            ContactFactory(party=party, email=email)
        for n in range(OBLIGATIONS):
            lead, co = n % OWNERS, (n + 1) % OWNERS
            obligation = DatedObligationFactory(
                agreement=agreement, lead_owner=parties[lead], due_end=datetime.date(2024, 6, 30)
            )
            obligation.co_owners.add(parties[co])
            expected[emails[lead]].add(obligation.pk)
            expected[emails[co]].add(obligation.pk)
    return expected


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_neither_loses_nor_repeats_a_reminder(owned, celery_worker, smtp_server):
    # The SMTP server never answers the 40th digest; the worker is killed while it waits.
    held = smtp_server.hold_message(KILLED_AT)
    celery_worker.start()
    celery_worker.send("tracker.tasks.send_reminders", "2024-06-27")
    assert held.wait(60), celery_worker.log()
    celery_worker.kill()

    assert len(smtp_server.messages) == KILLED_AT - 1
    # The dead run still holds its batch of recipients from the held digest on; the
    # batches after it were never claimed.
    batch_end = min(-(-KILLED_AT // CLAIM_BATCH) * CLAIM_BATCH, OWNERS)
    assert Counter(Reminder.objects.values_list("status", flat=True)) == {
        "sent": (KILLED_AT - 1) * 6,
        "sending": (batch_end - KILLED_AT + 1) * 6,
        "pending": (OWNERS - batch_end) * 6,
    }

    # After a restart the next run (beat's next tick, or the redelivered task) finishes
    # the job. With one worker, nothing that is still sending can be alive.
    celery_worker.start(REMINDER_SENDING_TIMEOUT="0")
    celery_worker.send("tracker.tasks.send_reminders", "2024-06-27")
    wait_for(
        lambda: not Reminder.objects.exclude(status=Reminder.Status.SENT).exists(),
        60,
        "every reminder to be sent",
    )

    received = Counter(address for m in smtp_server.messages for address in m.rcpt_tos)
    assert received == Counter({email: 1 for email in owned})
    for email, obligations in owned.items():
        [mail] = smtp_server.to(email)
        assert sorted(mail.obligation_ids) == sorted(obligations)
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 600
