"""`send_reminders --dry-run` asks the same question as the run: what would be inserted and
sent. After a deadline moved back and a claim was sent back (both cancel rows and clear the
obligation's plan), it names only what the run that follows sends, not the steps sent
already."""

import datetime

import time_machine

from agreements.status import Status
from tests.commands import COPENHAGEN, send_reminders, send_reminders_at
from tests.factories import ContactFactory, DatedObligationFactory
from tracker import completion
from tracker.models import Reminder, StatusReport

DEADLINE = datetime.date(2024, 6, 30)


def as_sent(dry_run_output: str) -> str:
    return dry_run_output.replace("Ville sende: ", "Sendt: ")


def test_a_dry_run_names_what_the_run_that_follows_sends(
    agreement, regions, smtp_server, region_coordinator, secretariat_member
):
    ContactFactory(party=regions, name="Rita Region", email="rita@regioner.example.org")
    moved = DatedObligationFactory(
        agreement=agreement, lead_owner=regions, action="Flyttet frist", due_end=DEADLINE
    )
    claimed = DatedObligationFactory(
        agreement=agreement, lead_owner=regions, action="Anmeldt færdig", due_end=DEADLINE
    )
    # Rikke gets both reminders three days before; Rita's mailbox refuses them for now.
    smtp_server.refuse("rita@regioner.example.org")
    send_reminders_at(datetime.date(2024, 6, 27))
    assert [m.rcpt_tos for m in smtp_server.messages] == [["rikke@regioner.example.org"]]

    # One deadline moves to the end of the year; the other obligation is claimed done.
    moved.due_end = datetime.date(2024, 12, 31)
    moved.save()
    claim = completion.write_report(
        StatusReport(obligation=claimed, status=Status.DONE, text="Leveret."), region_coordinator
    )
    send_reminders_at(datetime.date(2024, 6, 27), hour=8)
    assert set(Reminder.objects.filter(recipient__startswith="rita").values_list("status")) == {
        ("cancelled",)
    }

    # Both undone: the deadline moves back, the claim is sent back. Rita's mailbox is fixed.
    moved.due_end = DEADLINE
    moved.save()
    completion.send_back(claim, secretariat_member, "Mangler bilag.")
    smtp_server.handler.refused.clear()

    with time_machine.travel(datetime.datetime(2024, 6, 28, 7, tzinfo=COPENHAGEN), tick=False):
        dry_run = send_reminders(datetime.date(2024, 6, 28), "--dry-run")
        run = send_reminders(datetime.date(2024, 6, 28))

    assert as_sent(dry_run) == run
    assert run == (
        "Sendt: rita@regioner.example.org, 0 overskredet, 2 forfalder snart\n"
        "  30.06.2024 Kræftplan IV: Flyttet frist\n"
        "  30.06.2024 Kræftplan IV: Anmeldt færdig\n"
    )
    assert [m.rcpt_tos for m in smtp_server.messages[1:]] == [["rita@regioner.example.org"]]
