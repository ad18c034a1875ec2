import datetime

from tests.commands import send_reminders
from tests.factories import DatedObligationFactory


def test_overdue_obligations_are_reminded_together_once_a_week(agreement, regions, smtp_server):
    # Deadlines on a Wednesday, a Friday and a Sunday.
    overdue = [
        DatedObligationFactory(agreement=agreement, lead_owner=regions, due_end=deadline)
        for deadline in (
            datetime.date(2024, 5, 29),
            datetime.date(2024, 5, 31),
            datetime.date(2024, 6, 2),
        )
    ]

    # The job runs every day for two weeks, from Monday 3 June.
    for day in range(14):
        send_reminders(datetime.date(2024, 6, 3) + datetime.timedelta(days=day))

    weekly = smtp_server.to("rikke@regioner.example.org")
    assert [m.text.splitlines()[0] for m in weekly] == [
        "Påmindelse fra Kræftplan-tracker, 3. juni 2024",
        "Påmindelse fra Kræftplan-tracker, 10. juni 2024",
    ]
    assert [sorted(m.obligation_ids) for m in weekly] == [[o.pk for o in overdue]] * 2
