"""What the reminders are: the steps of an obligation's sequence, from the settings."""

import datetime
from dataclasses import dataclass
from itertools import pairwise

from django.conf import settings
from django.db.models import Case, CharField, Value, When

STEP_DUE = "due"
STEP_ESCALATION = "escalation"
# A status round's e-mails go through the same outbox: round-<id> invites, and
# round-<id>-<day> reminds (see tracker.rounds).
ROUND_PREFIX = "round-"


def round_of(step: str) -> int | None:
    """The status round an outbox step belongs to, if it does."""
    if not step.startswith(ROUND_PREFIX):
        return None
    return int(step[len(ROUND_PREFIX) :].split("-", 1)[0])


def is_invitation(step: str) -> bool:
    return step.startswith(ROUND_PREFIX) and "-" not in step[len(ROUND_PREFIX) :]


@dataclass(frozen=True)
class Policy:
    """When reminders are due, counted from an obligation's deadline."""

    days_before: tuple[int, ...]
    overdue_weekday: int
    escalate_after: int

    @classmethod
    def from_settings(cls) -> "Policy":
        return cls(
            days_before=tuple(sorted({d for d in settings.REMINDER_DAYS_BEFORE if d > 0})),
            overdue_weekday=settings.REMINDER_OVERDUE_WEEKDAY,
            escalate_after=settings.REMINDER_ESCALATE_AFTER_DAYS,
        )

    @property
    def horizon(self) -> int:
        """How many days ahead of a deadline its first reminder is due."""
        return max(self.days_before, default=0)

    def owner_step(self, today: datetime.date) -> Case:
        """The latest step of the owners' sequence due on or before today, as an SQL
        expression of the deadline (`due_end`), so that the database works it out for
        every obligation and compares it with the outbox.

        Before the deadline the step is the nearest `days_before` not yet passed: with
        (3, 14, 30), a deadline 15 to 30 days ahead is before-30, 4 to 14 days before-14,
        1 to 3 days before-3. From the deadline to the start of the current overdue week
        it is "due"; before that, the week's own step, overdue-<the week's first day>.
        """
        week_began = today - datetime.timedelta(days=(today.weekday() - self.overdue_weekday) % 7)
        thresholds = (0, *self.days_before)
        before = [
            When(
                due_end__gt=today + datetime.timedelta(days=nearer),
                then=Value(f"before-{days}"),
            )
            for nearer, days in reversed(list(pairwise(thresholds)))
        ]
        return Case(
            *before,
            When(due_end__gte=week_began, then=Value(STEP_DUE)),
            default=Value(f"overdue-{week_began.isoformat()}"),
            output_field=CharField(),
        )

    def escalation_deadline(self, today: datetime.date) -> datetime.date:
        """Deadlines on or before this day are escalated."""
        return today - datetime.timedelta(days=self.escalate_after)


# Planning
