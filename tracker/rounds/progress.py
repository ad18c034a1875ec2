"""Where a round stands per party, the reminders to those not done, and closing it."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from agreements.models import Contact, Obligation, Party
from tracker.models import Reminder, RoundItem, RoundLink, StatusRound
from tracker.rounds.opening import write_to_outbox

# The reminder sent by itself: this many days before the answer-by date.
AUTO_REMINDER_DAYS = 3


@dataclass
class ContactProgress:
    contact: Contact
    mailed_at: datetime.datetime | None
    first_opened_at: datetime.datetime | None
    links: int


@dataclass
class PartyProgress:
    party: Party
    asked: int
    answered: int
    contacts: list[ContactProgress] = field(default_factory=list)
    last_activity: datetime.datetime | None = None
    unanswered: list[Obligation] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.answered >= self.asked

    @property
    def first_opened_at(self) -> datetime.datetime | None:
        opened = [c.first_opened_at for c in self.contacts if c.first_opened_at]
        return min(opened, default=None)

    def line(self) -> str:
        return f"{self.party}: besvaret {self.answered}/{self.asked}"


def _owners(items) -> dict[int, set[int]]:
    """Each item's owning parties (lead and co-owners), by item id."""
    owners = defaultdict(set)
    for pk, lead in items.values_list("pk", "obligation__lead_owner_id"):
        owners[pk].add(lead)
    for pk, party in items.filter(obligation__co_owners__isnull=False).values_list(
        "pk", "obligation__co_owners"
    ):
        owners[pk].add(party)
    return owners


def progress(status_round: StatusRound, with_unanswered: bool = False) -> list[PartyProgress]:
    """Per owning party, in name order: contacts mailed, links opened, rows answered of
    rows asked, the last activity, and (if asked for) the obligations not answered."""
    items = status_round.items.all()
    answered = dict(items.values_list("pk", "answered_at"))
    owners = _owners(items)
    by_party: dict[int, list[int]] = defaultdict(list)
    for pk, parties in owners.items():
        for party in parties:
            by_party[party].append(pk)
    parties = Party.objects.in_bulk(list(by_party))
    mailed = dict(
        Reminder.objects.filter(step=status_round.invitation_step, status=Reminder.Status.SENT)
        .values("recipient")
        .annotate(first=Min("sent_at"))
        .values_list("recipient", "first")
    )
    links = {
        row["contact_id"]: row
        for row in RoundLink.objects.filter(status_round=status_round)
        .values("contact_id")
        .annotate(opened=Min("first_opened_at"), used=Max("last_used_at"))
    }
    link_counts = defaultdict(int)
    for contact_id in RoundLink.objects.filter(status_round=status_round).values_list(
        "contact_id", flat=True
    ):
        link_counts[contact_id] += 1
    contacts = defaultdict(list)
    for contact in Contact.objects.filter(party__in=list(by_party), receives_reminders=True):
        found = links.get(contact.pk, {})
        contacts[contact.party_id].append(
            ContactProgress(
                contact=contact,
                mailed_at=mailed.get(contact.email.strip().lower()),
                first_opened_at=found.get("opened"),
                links=link_counts[contact.pk],
            )
        )
    unanswered_obligations = {}
    if with_unanswered:
        unanswered_obligations = {
            item.pk: item.obligation
            for item in items.filter(answered_at__isnull=True).select_related(
                "obligation__agreement"
            )
        }
    result = []
    for party_id, item_ids in by_party.items():
        times = [answered[pk] for pk in item_ids if answered[pk]]
        times += [c.first_opened_at for c in contacts[party_id] if c.first_opened_at]
        times += [links[c.contact.pk]["used"] for c in contacts[party_id]
                  if c.contact.pk in links and links[c.contact.pk]["used"]]  # fmt: skip
        result.append(
            PartyProgress(
                party=parties[party_id],
                asked=len(item_ids),
                answered=sum(1 for pk in item_ids if answered[pk]),
                contacts=contacts[party_id],
                last_activity=max(times, default=None),
                unanswered=sorted(
                    (unanswered_obligations[pk] for pk in item_ids if pk in unanswered_obligations),
                    key=lambda o: (str(o.agreement), o.due_end or datetime.date.max, o.pk),
                ),
            )
        )
    return sorted(result, key=lambda p: p.party.name)


def remind(status_round: StatusRound, day: datetime.date | None = None) -> int:
    """Remind the contacts of the parties not done, about what is not answered: one e-mail
    each, through the outbox; at most one such reminder a day. Returns the rows written."""
    day = day or timezone.localdate()
    if not status_round.is_open:
        return 0
    unanswered = status_round.items.filter(answered_at__isnull=True)
    return write_to_outbox(status_round, unanswered, status_round.reminder_step(day))


def remind_due(today: datetime.date) -> list[StatusRound]:
    """The reminder each open round sends by itself AUTO_REMINDER_DAYS before its answer-by
    date, once (also when the daily job runs twice): a round opened later than that
    sends none."""
    reminded = []
    due = StatusRound.objects.filter(
        closed_at__isnull=True,
        auto_reminded_on__isnull=True,
        answer_by__gte=today,
        answer_by__lte=today + datetime.timedelta(days=AUTO_REMINDER_DAYS),
    )
    for status_round in due:
        starts = status_round.answer_by - datetime.timedelta(days=AUTO_REMINDER_DAYS)
        if timezone.localdate(status_round.opened_at) >= starts:
            continue
        with transaction.atomic():
            # Claimed by a conditional update: two runs at once remind once.
            claimed = StatusRound.objects.filter(
                pk=status_round.pk, auto_reminded_on__isnull=True
            ).update(auto_reminded_on=today)
            if claimed:
                remind(status_round, today)
                reminded.append(status_round)
    return reminded


def close(status_round: StatusRound, user=None) -> list[PartyProgress]:
    """Close the round: its links stop working, its unsent e-mails are cancelled. Returns
    the parties with what they did not answer."""
    with transaction.atomic():
        status_round = StatusRound.objects.select_for_update().get(pk=status_round.pk)
        if status_round.closed_at is None:
            status_round.closed_at, status_round.closed_by = timezone.now(), user
            status_round._history_user = user
            status_round.save()
            round_steps(status_round).filter(status=Reminder.Status.PENDING).update(
                status=Reminder.Status.CANCELLED, last_error="Statusrunden er lukket."
            )
    return [p for p in progress(status_round, with_unanswered=True) if not p.done]


def round_steps(status_round: StatusRound):
    step = status_round.invitation_step
    return Reminder.objects.filter(Q(step=step) | Q(step__startswith=f"{step}-"))


def item_answers(status_round: StatusRound) -> dict[int, RoundItem]:
    """The round's items by obligation id, with their reports."""
    return {
        item.obligation_id: item
        for item in status_round.items.select_related("report", "answered_by")
    }
