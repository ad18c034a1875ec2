import datetime

import pytest

from tests.commands import send_reminders
from tests.factories import DatedObligationFactory, UserFactory

DEADLINE = datetime.date(2024, 6, 30)  # a Sunday


@pytest.fixture
def late(agreement, regions, kl, region_coordinator, settings):
    """Danske Regioner's obligation, co-owned by KL, whose deadline was 30 June."""
    settings.TASKFORCE_SECRETARIAT_EMAILS = ["sekretariat@sum.example.org"]
    kl.coordinators.add(UserFactory(username="kurt", email="kurt@kl.example.org"))
    obligation = DatedObligationFactory(agreement=agreement, lead_owner=regions, due_end=DEADLINE)
    obligation.co_owners.add(kl)
    return obligation


def recipients(smtp_server) -> list[str]:
    return sorted(address for m in smtp_server.messages for address in m.rcpt_tos)


def test_escalation_after_14_days_tells_the_coordinators_and_the_secretariat(late, smtp_server):
    send_reminders(DEADLINE + datetime.timedelta(days=13))
    assert recipients(smtp_server) == ["karl@kl.example.org", "rikke@regioner.example.org"]

    smtp_server.handler.messages.clear()
    send_reminders(DEADLINE + datetime.timedelta(days=14))

    # The lead party's coordinator and the secretariat, not KL's coordinator; the owners
    # had this week's reminder yesterday.
    assert recipients(smtp_server) == ["rikke@example.org", "sekretariat@sum.example.org"]
    [to_secretariat] = smtp_server.to("sekretariat@sum.example.org")
    assert "Overskredet" in to_secretariat.text
    assert "Eskaleret: fristen er overskredet med 14 dage eller mere" in to_secretariat.text
    assert to_secretariat.obligation_ids == [late.pk]


def test_the_escalation_is_sent_once_while_the_owners_hear_weekly(late, smtp_server):
    send_reminders(DEADLINE + datetime.timedelta(days=14))
    smtp_server.handler.messages.clear()

    send_reminders(DEADLINE + datetime.timedelta(days=21))

    assert recipients(smtp_server) == ["karl@kl.example.org", "rikke@regioner.example.org"]
    assert all("Eskaleret" not in m.text for m in smtp_server.messages)
