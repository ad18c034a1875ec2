import datetime

from agreements.status import Status
from tests.commands import send_reminders
from tests.factories import DatedObligationFactory
from tracker.models import Reminder


def test_a_missed_day_is_made_up(agreement, regions, smtp_server):
    DatedObligationFactory(
        agreement=agreement, lead_owner=regions, due_end=datetime.date(2024, 6, 30)
    )

    send_reminders(datetime.date(2024, 5, 31))
    # The job did not run on 16 June, 14 days before the deadline.
    send_reminders(datetime.date(2024, 6, 18))

    first, made_up = smtp_server.to("rikke@regioner.example.org")
    assert "(om 30 dage)" in first.text
    assert "(om 12 dage)" in made_up.text
    assert sorted(Reminder.objects.values_list("step", flat=True)) == ["before-14", "before-30"]


def test_a_missed_weekly_reminder_is_made_up(agreement, regions, smtp_server):
    DatedObligationFactory(
        agreement=agreement, lead_owner=regions, due_end=datetime.date(2024, 6, 1)
    )
    send_reminders(datetime.date(2024, 6, 3))
    # The job did not run on Monday 10 June, when the weekly reminder was due.
    send_reminders(datetime.date(2024, 6, 12))

    first, made_up = smtp_server.to("rikke@regioner.example.org")
    assert "overskredet siden 1. juni 2024 (2 dage)" in first.text
    assert "overskredet siden 1. juni 2024 (11 dage)" in made_up.text
    steps = Reminder.objects.filter(recipient="rikke@regioner.example.org")
    assert sorted(steps.values_list("step", flat=True)) == [
        "overdue-2024-06-03",
        "overdue-2024-06-10",
    ]


def test_an_obligation_overdue_for_years_gets_one_reminder_not_one_per_missed_week(
    agreement, regions, smtp_server
):
    DatedObligationFactory(
        agreement=agreement,
        lead_owner=regions,
        due_end=datetime.date(2017, 3, 31),
        status=Status.DELAYED,
    )

    send_reminders(datetime.date(2024, 1, 10))

    [mail] = smtp_server.to("rikke@regioner.example.org")
    assert "overskredet siden 31. marts 2017 (over 6 år)" in mail.text
    owners = Reminder.objects.filter(recipient="rikke@regioner.example.org")
    # The weekly reminder of the week that began on Monday 8 January, and no other.
    assert list(owners.values_list("step", flat=True)) == ["overdue-2024-01-08"]
