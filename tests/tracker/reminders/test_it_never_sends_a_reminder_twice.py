import datetime
import os
import subprocess
import sys
from collections import Counter

import pytest
from django.conf import settings
from django.db import transaction

from tests.commands import send_reminders
from tests.factories import ContactFactory, DatedObligationFactory, PartyFactory
from tests.servers import database_url
from tracker.models import Reminder

DEADLINE = datetime.date(2024, 6, 30)


def test_it_never_sends_a_reminder_twice(agreement, regions, smtp_server):
    DatedObligationFactory(agreement=agreement, lead_owner=regions, due_end=DEADLINE)

    send_reminders(datetime.date(2024, 6, 27))
    second = send_reminders(datetime.date(2024, 6, 27))
    next_day = send_reminders(datetime.date(2024, 6, 28))

    assert len(smtp_server.messages) == 1
    assert second == next_day == "Ingen påmindelser at sende.\n"
    assert list(Reminder.objects.values_list("step", "status")) == [("before-3", "sent")]

    send_reminders(DEADLINE)

    assert len(smtp_server.messages) == 2
    assert "(i dag)" in smtp_server.messages[-1].text


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(smtp_server):
    """Two beats firing at once: two processes plan and deliver the same reminders."""
    with transaction.atomic():
        parties = [PartyFactory() for _ in range(30)]
        for number, party in enumerate(parties):
            ContactFactory(party=party, email=f"ejer{number}@example.org")
            for _ in range(2):
                obligation = DatedObligationFactory(lead_owner=party, due_end=DEADLINE)
                obligation.co_owners.add(parties[(number + 1) % len(parties)])
    # Each message takes a little while, so that the two runs overlap.
    smtp_server.slow_down(0.01)
    env = {**os.environ, **smtp_server.env(), "DATABASE_URL": database_url()}
    command = [sys.executable, "manage.py", "send_reminders", "--today", "2024-06-27"]
    runs = [subprocess.Popen(command, cwd=settings.BASE_DIR, env=env) for _ in range(2)]
    assert [run.wait(60) for run in runs] == [0, 0]

    received = Counter(address for m in smtp_server.messages for address in m.rcpt_tos)
    assert received == Counter({f"ejer{number}@example.org": 1 for number in range(30)})
    for number in range(30):
        [mail] = smtp_server.to(f"ejer{number}@example.org")
        assert len(mail.obligation_ids) == 4
    assert Reminder.objects.count() == 120
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}
