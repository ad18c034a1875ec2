"""E-mail reminders: owners hear about a deadline before it passes and when it has passed.

Policy (settings): a reminder REMINDER_DAYS_BEFORE days (30, 14 and 3) before a window's end
(`due_end`), one on the day, then one a week while the obligation is overdue. The weekly
reminders fall on the same weekday for every obligation (REMINDER_OVERDUE_WEEKDAY, Monday), so
an owner gets one weekly digest, not one on each weekday their deadlines happened to fall on.
From REMINDER_ESCALATE_AFTER_DAYS (14) days overdue, the lead party's coordinators and the
Taskforce secretariat (TASKFORCE_SECRETARIAT_EMAILS) are told too, once per deadline. Closed
obligations (`agreements.status.CLOSED`) get none.

Planning catches up and never repeats. A run plans, for every open obligation, the *latest*
step of its sequence that is due on or before today, plus the escalation if that is due; not
only the steps due exactly today. So a day the job did not run is made up on the next run.
Older steps that a later one supersedes are never planned: an obligation overdue since 2017
gets one reminder saying where it stands now, not hundreds of stale weekly ones, and a run
after a missed week sends this week's step, not last week's as well. Each planned step is a
row in the outbox (`tracker.models.Reminder`) under the unique key (obligation, step,
deadline, recipient): planning again, or twice at once, adds nothing. What has been planned for
an obligation is also kept on one row of its own (`tracker.models.ReminderPlan`), so that a
run finds the new steps without reading the outbox. A deadline that moves gets
new keys, so its sequence starts over, and the pending reminders for the old deadline are
cancelled (and revived if the deadline moves back before they are superseded).

Delivery sends each reminder exactly once. A run claims the due pending rows of a batch of
recipients with one conditional UPDATE (pending -> sending, stamped with the run's token),
sends one digest per recipient and marks its rows sent right after. Two runs at once never
claim the same row. A run that dies after claiming leaves rows in sending; the sweeper at
the start of every delivery returns rows claimed longer ago than REMINDER_SENDING_TIMEOUT to
pending, so they are sent by a later run, never lost. A failed send puts the rows back to
pending with an exponential backoff (REMINDER_RETRY_BASE doubling up to REMINDER_RETRY_MAX),
or to failed after REMINDER_MAX_ATTEMPTS. The one window for a duplicate: the SMTP server
has accepted the digest and the process dies before the UPDATE that marks the rows sent
commits.
"""

import datetime

from django.utils import timezone

from tracker.models import Reminder
from tracker.reminders.delivery import deliver_reminders
from tracker.reminders.digest import Digest, Row, owed_rows
from tracker.reminders.planning import cancel_stale_reminders, plan_reminders, planned_reminders
from tracker.reminders.policy import STEP_DUE, STEP_ESCALATION, Policy
from tracker.rounds.progress import remind_due

__all__ = [
    "STEP_DUE",
    "STEP_ESCALATION",
    "Digest",
    "Policy",
    "cancel_stale_reminders",
    "deliver_reminders",
    "plan_reminders",
    "planned_reminders",
    "preview_reminders",
    "run_reminders",
]


def preview_reminders(today: datetime.date, now: datetime.datetime | None = None) -> list[Digest]:
    """The digests a run would send now, without writing or sending anything."""
    now = now or timezone.now()
    pending = Reminder.objects.filter(status=Reminder.Status.PENDING, next_attempt_at__lte=now)
    by_recipient, _ = owed_rows(pending)
    # What planning would add (or revive): the steps not planned yet.
    for chunk in planned_reminders(today):
        for obligation_id, recipient, step, deadline in chunk.reminders:
            by_recipient[recipient].append(Row(None, obligation_id, step, deadline, 0))
    return Digest.many(by_recipient, today, outcome="ville sende")


def run_reminders(today: datetime.date | None = None, dry_run: bool = False) -> list[Digest]:
    """The daily job: plan every reminder due up to today, then send what is due."""
    today = today or timezone.localdate()
    if dry_run:
        return preview_reminders(today)
    plan_reminders(today)
    # The status rounds' own reminder, 3 days before their answer-by date, goes out
    # with the same delivery.
    remind_due(today)
    return deliver_reminders(today=today)
