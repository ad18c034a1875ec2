"""Opening a round: what it asks, and the invitations written to the outbox."""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agreements.models import Contact, Forum, Obligation
from tracker.models import Reminder, RoundItem, StatusRound

# The answer-by date, when none is given: this long before the meeting.
ANSWER_BEFORE_MEETING = datetime.timedelta(days=14)


def default_answer_by(meeting_date: datetime.date, today: datetime.date) -> datetime.date:
    """14 days before the meeting, and never before today."""
    return max(meeting_date - ANSWER_BEFORE_MEETING, today)


def check_dates(
    forum: Forum, meeting_date: datetime.date, answer_by: datetime.date, today: datetime.date
) -> None:
    if meeting_date < today:
        raise ValidationError(
            f"Mødet den {meeting_date:%d.%m.%Y} er holdt; en statusrunde åbnes før mødet."
        )
    if answer_by < today:
        raise ValidationError(f"Svarfristen {answer_by:%d.%m.%Y} ligger før i dag.")
    if answer_by > meeting_date:
        raise ValidationError(
            f"Svarfristen {answer_by:%d.%m.%Y} ligger efter mødet den {meeting_date:%d.%m.%Y}."
        )
    if StatusRound.objects.filter(forum=forum, meeting_date=meeting_date).exists():
        raise ValidationError(
            f"Der er allerede en statusrunde før {forum}s møde den {meeting_date:%d.%m.%Y}."
        )


def open_round(
    forum: Forum,
    meeting_date: datetime.date,
    answer_by: datetime.date | None = None,
    user=None,
    today: datetime.date | None = None,
) -> StatusRound:
    """Open the round before the forum's meeting that day, and invite the owners.

    The round asks about every open obligation of the agreements that are not closed out;
    each contact of an owning party (lead or co-owner) who receives reminders is invited in
    one e-mail, through the outbox (`invite`).
    """
    today = today or timezone.localdate()
    answer_by = answer_by or default_answer_by(meeting_date, today)
    check_dates(forum, meeting_date, answer_by, today)
    with transaction.atomic():
        status_round = StatusRound(
            forum=forum, meeting_date=meeting_date, answer_by=answer_by, opened_by=user
        )
        status_round._history_user = user
        status_round.save()
        asked = Obligation.objects.open().active().values_list("pk", flat=True)
        RoundItem.objects.bulk_create(
            [RoundItem(status_round=status_round, obligation_id=pk) for pk in asked.iterator()],
            batch_size=2000,
        )
        invite(status_round)
    return status_round


def recipients_by_obligation(items) -> dict[int, list[str]]:
    """The addresses of the contacts of each item's owners (lead and co-owners)."""
    contacts = defaultdict(list)
    for party_id, email in Contact.objects.filter(receives_reminders=True).values_list(
        "party_id", "email"
    ):
        contacts[party_id].append(email.strip().lower())
    owners = defaultdict(set)
    obligations = Obligation.objects.filter(pk__in=items.values("obligation_id"))
    for pk, lead in obligations.values_list("pk", "lead_owner_id"):
        owners[pk].add(lead)
    for pk, party in Obligation.co_owners.through.objects.filter(
        obligation__in=obligations.values("pk")
    ).values_list("obligation_id", "party_id"):
        owners[pk].add(party)
    return {
        pk: list(dict.fromkeys(e for party in sorted(parties) for e in contacts[party]))
        for pk, parties in owners.items()
    }


def write_to_outbox(status_round: StatusRound, items, step: str) -> int:
    """One outbox row per item and contact: the contact's e-mail lists the round's link.

    The outbox's unique key (obligation, step, deadline, recipient) makes writing the same
    step twice add nothing, and delivery sends each row once, as for the reminders."""
    now = timezone.now()
    rows = [
        Reminder(
            obligation_id=pk,
            recipient=email,
            step=step,
            deadline=status_round.answer_by,
            next_attempt_at=now,
        )
        for pk, emails in recipients_by_obligation(items).items()
        for email in emails
    ]
    before = Reminder.objects.filter(step=step).count()
    Reminder.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return Reminder.objects.filter(step=step).count() - before


def invite(status_round: StatusRound) -> int:
    return write_to_outbox(status_round, status_round.items.all(), status_round.invitation_step)
