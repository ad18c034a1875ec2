"""Planning: which steps are due and not planned yet, written to the outbox a chunk at a
time (the SQL is in `sql`)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from agreements.models import Contact, Obligation, Party
from agreements.status import CLOSED, OPEN
from tracker.models import Reminder, ReminderPlan
from tracker.reminders.policy import ROUND_PREFIX, STEP_ESCALATION, Policy
from tracker.reminders.sql import add_to_outbox

CHUNK_SIZE = 10_000


def cancel_stale_reminders() -> int:
    """Cancel pending reminders whose obligation closed or whose deadline moved.

    Their obligations' plans are cleared as well, so that a step owed again (the deadline
    moved back, the obligation was reopened) is planned anew and its row revived.
    """
    # A status round's e-mails are owed while the round is open, whatever the deadline.
    pending = Reminder.objects.filter(status=Reminder.Status.PENDING).exclude(
        step__startswith=ROUND_PREFIX
    )
    closed = pending.filter(obligation__status__in=CLOSED)
    moved = pending.filter(
        Q(obligation__due_end__isnull=True) | ~Q(obligation__due_end=F("deadline"))
    )
    with transaction.atomic():
        ReminderPlan.objects.filter(
            Q(obligation__in=closed.values("obligation"))
            | Q(obligation__in=moved.values("obligation"))
        ).delete()
        cancelled = closed.update(
            status=Reminder.Status.CANCELLED, last_error="Forpligtelsen er afsluttet."
        )
        return cancelled + moved.update(
            status=Reminder.Status.CANCELLED, last_error="Fristen er flyttet."
        )


# A reminder due and not planned yet: the columns of its unique key in the outbox, in the
# order the insert takes them (obligation id, recipient, step, deadline).
Planned = tuple[int, str, str, datetime.date]
# What an obligation's plan (see ReminderPlan) becomes once its new reminders are written:
# obligation id, the owners' step and its deadline, the deadline escalated; None for what
# stays as it is.
Plan = tuple[int, str | None, datetime.date | None, datetime.date | None]


# A step due for one obligation: obligation id, step, deadline, and the recipients as an
# index into Chunk.groups. One per obligation and step, not per recipient: the database
# fans them out to outbox rows.
Step = tuple[int, str, datetime.date, int]


class Chunk(NamedTuple):
    """What planning found for up to CHUNK_SIZE obligations."""

    steps: list[Step]
    groups: list[list[str]]

    @property
    def plans(self) -> list[Plan]:
        """What the obligations' plans become once these steps are written."""
        plans = {}
        for pk, step, deadline, _ in self.steps:
            _, owners_step, owners_deadline, escalated = plans.get(pk, (pk, None, None, None))
            if step == STEP_ESCALATION:
                escalated = deadline
            else:
                owners_step, owners_deadline = step, deadline
            plans[pk] = (pk, owners_step, owners_deadline, escalated)
        return list(plans.values())

    @property
    def reminders(self) -> list[Planned]:
        """The steps as outbox keys, one per recipient."""
        groups = self.groups
        return [
            (pk, email, step, deadline)
            for pk, step, deadline, group in self.steps
            for email in groups[group]
        ]


def planned_reminders(today: datetime.date, policy: Policy | None = None) -> Iterator[Chunk]:
    """The steps due up to today that are not planned yet, a chunk at a time.

    The database works out each open obligation's current step and compares it with the
    obligation's plan (`ReminderPlan`), and returns only the obligations whose step, or
    whose escalation, is new. So a day with nothing new reads the due rows once and
    writes nothing, however many reminders were sent before. A step counts as planned
    once its rows are written for the recipients of that day; a contact added later
    hears from the next step on.

    Reads obligations as tuples in primary-key order (keyset pagination: no cursor stays
    open while the caller writes, and memory does not grow with the number of obligations).
    Work per obligation is a few dictionary lookups: the recipients are worked out once
    per set of owners, since thousands share each.
    """
    policy = policy or Policy.from_settings()
    contacts = _contact_emails()
    coordinators = _coordinator_emails()
    secretariat = _unique(settings.TASKFORCE_SECRETARIAT_EMAILS)
    # Sets of recipients, each worked out once: thousands of obligations share each.
    groups: list[list[str]] = []
    owners: dict[tuple[int, ...], int] = {}
    leads: dict[int, int] = {}
    escalation: dict[int, int] = {}

    def group(emails: list[str]) -> int:
        groups.append(emails)
        return len(groups) - 1

    escalate_from = policy.escalation_deadline(today)
    candidates = (
        Obligation.objects.open()
        .filter(due_end__lte=today + datetime.timedelta(days=policy.horizon))
        .annotate(step=policy.owner_step(today))
        .annotate(
            remind_owners=Case(
                When(
                    Q(reminder_plan__deadline=F("due_end"), reminder_plan__step=F("step")),
                    then=Value(False),
                ),
                default=Value(True),
            ),
            escalate=Case(
                When(reminder_plan__escalated=F("due_end"), then=Value(False)),
                When(due_end__lte=escalate_from, then=Value(True)),
                default=Value(False),
            ),
        )
        .filter(Q(remind_owners=True) | Q(escalate=True))
    )
    co_owned = Obligation.co_owners.through.objects
    last_pk = 0
    while True:
        chunk = list(
            candidates.filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", "due_end", "lead_owner_id", "step", "remind_owners", "escalate")[
                :CHUNK_SIZE
            ]
        )
        if not chunk:
            return
        # Co-owners of the chunk's obligations: where they lie close together (the first
        # run), a range scan instead of a list of thousands of ids; where they are few
        # and far between (a day's new steps), just theirs.
        if chunk[-1][0] - last_pk <= 20 * len(chunk):
            co_owned_here = co_owned.filter(
                obligation_id__gt=last_pk, obligation_id__lte=chunk[-1][0]
            )
        else:
            co_owned_here = co_owned.filter(obligation_id__in=[row[0] for row in chunk])
        co_owners = defaultdict(list)
        for obligation_id, party_id in co_owned_here.values_list("obligation_id", "party_id"):
            co_owners[obligation_id].append(party_id)
        last_pk = chunk[-1][0]
        steps = []
        add = steps.append
        for pk, deadline, lead_id, step, remind_owners, escalate in chunk:
            if remind_owners:
                if pk in co_owners:
                    parties = (lead_id, *co_owners[pk])
                    to = owners.get(parties)
                    if to is None:
                        # Each party's addresses are normalised already.
                        to = owners[parties] = group(
                            list(dict.fromkeys(chain.from_iterable(contacts[p] for p in parties)))
                        )
                else:
                    to = leads.get(lead_id)
                    if to is None:
                        to = leads[lead_id] = group(contacts[lead_id])
                add((pk, step, deadline, to))
            if escalate:
                to = escalation.get(lead_id)
                if to is None:
                    to = escalation[lead_id] = group(
                        _unique([*coordinators[lead_id], *secretariat])
                    )
                add((pk, STEP_ESCALATION, deadline, to))
        yield Chunk(steps, groups)
        if len(chunk) < CHUNK_SIZE:
            # A short chunk is the last: asking again would read the rest of the range for
            # nothing.
            return


def _revivable() -> dict[tuple, int]:
    """Cancelled reminders that may be owed again, by key: their obligation is open and its
    deadline is theirs again (it moved back, or a closed obligation was reopened)."""
    cancelled = Reminder.objects.filter(
        status=Reminder.Status.CANCELLED,
        obligation__status__in=OPEN,
        obligation__due_end=F("deadline"),
    )
    found = cancelled.values_list("obligation_id", "recipient", "step", "deadline", "pk")
    return {tuple(key): pk for *key, pk in found}


def plan_reminders(today: datetime.date) -> int:
    """Write every reminder due up to today to the outbox; what is there already stays.

    Returns how many reminders this run added or revived.
    """
    cancel_stale_reminders()
    revivable = _revivable()
    planned = 0
    for chunk in planned_reminders(today):
        now = timezone.now()
        planned += add_to_outbox(chunk, now)
        # Owed again after it was cancelled: only a cancelled row is revived, never a
        # sent one.
        revive = [revivable[k] for k in chunk.reminders if k in revivable] if revivable else []
        if revive:
            planned += Reminder.objects.filter(
                pk__in=revive, status=Reminder.Status.CANCELLED
            ).update(status=Reminder.Status.PENDING, next_attempt_at=now, last_error="")
    return planned


def _normalise(email: str) -> str:
    return email.strip().lower()


def _unique(emails: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(_normalise(e) for e in emails if e.strip()))


def _contact_emails() -> dict[int, list[str]]:
    """The addresses that receive a party's reminders, by party id."""
    emails = defaultdict(list)
    for party_id, email in Contact.objects.filter(receives_reminders=True).values_list(
        "party_id", "email"
    ):
        emails[party_id].append(email)
    return defaultdict(list, {party_id: _unique(found) for party_id, found in emails.items()})


def _coordinator_emails() -> dict[int, list[str]]:
    """The active coordinators' addresses, by party id."""
    emails = defaultdict(list)
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    links = Party.coordinators.through.objects.filter(user__in=users)
    for party_id, email in links.values_list("party_id", "user__email"):
        emails[party_id].append(email)
    return emails
