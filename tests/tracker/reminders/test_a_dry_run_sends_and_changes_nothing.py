import datetime

from tests.commands import send_reminders
from tests.factories import DatedObligationFactory
from tracker.models import Reminder


def test_a_dry_run_prints_what_would_be_sent_and_changes_nothing(agreement, regions, smtp_server):
    DatedObligationFactory(
        agreement=agreement,
        lead_owner=regions,
        action="Hvidbog om patientansvarlig læge",
        due_end=datetime.date(2024, 6, 30),
    )

    output = send_reminders(datetime.date(2024, 6, 27), "--dry-run")

    assert output == (
        "Ville sende: rikke@regioner.example.org, 0 overskredet, 1 forfalder snart\n"
        "  30.06.2024 Kræftplan IV: Hvidbog om patientansvarlig læge\n"
    )
    assert smtp_server.messages == []
    assert not Reminder.objects.exists()


def test_a_dry_run_leaves_out_what_was_sent_already(agreement, regions, smtp_server):
    DatedObligationFactory(
        agreement=agreement, lead_owner=regions, due_end=datetime.date(2024, 6, 30)
    )
    send_reminders(datetime.date(2024, 6, 27))

    output = send_reminders(datetime.date(2024, 6, 28), "--dry-run")

    assert output == "Ingen påmindelser at sende.\n"
