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
import gc
import logging
import smtplib
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, pairwise
from operator import itemgetter
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, transaction
from django.db.models import Case, CharField, F, Q, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from agreements.models import Contact, Obligation, Party
from agreements.status import CLOSED, LIGHT_COLOURS, OPEN, Light
from tracker.models import Reminder, ReminderPlan

logger = logging.getLogger(__name__)

STEP_DUE = "due"
STEP_ESCALATION = "escalation"
CHUNK_SIZE = 10_000
# Recipients claimed at once by a delivery run.
CLAIM_BATCH = 25


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


def cancel_stale_reminders() -> int:
    """Cancel pending reminders whose obligation closed or whose deadline moved.

    Their obligations' plans are cleared as well, so that a step owed again (the deadline
    moved back, the obligation was reopened) is planned anew and its row revived.
    """
    pending = Reminder.objects.filter(status=Reminder.Status.PENDING)
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
        # No garbage collection while tens of thousands of tuples are made: they hold no
        # cycles, and the collector's passes over every live object cost a third of
        # the work.
        with _collector_paused():
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
                                list(
                                    dict.fromkeys(chain.from_iterable(contacts[p] for p in parties))
                                )
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


@contextmanager
def _collector_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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


OUTBOX_COLUMNS = ("obligation", "recipient", "step", "deadline", "status", "attempts",
                  "last_error", "next_attempt_at", "claimed_by", "created_at")  # fmt: skip
PLAN_COLUMNS = ("obligation", "step", "deadline", "escalated")


def _add_to_outbox(chunk: Chunk, now: datetime.datetime) -> int:
    """Insert these reminders as pending, and record the obligations' plans, in one
    transaction; a key in the outbox already is left as it is.

    INSERT ... ON CONFLICT DO NOTHING (SQLite and PostgreSQL both have it): the unique key
    absorbs what is there already, and what another run writes at the same moment, so two
    runs at once plan each reminder once. Django's bulk_create does the same at several
    times the cost in Python for each value, so each database gets its own cheapest way
    in: one statement over arrays of the steps and their recipients on PostgreSQL, one
    prepared statement run for every row on SQLite. Returns how many rows were added.
    """
    if not chunk.steps:
        return 0
    pending = Reminder.Status.PENDING.value
    stamp = connection.ops.adapt_datetimefield_value(now)
    keys = ", ".join(_columns(ReminderPlan, PLAN_COLUMNS[:1]))
    # A column given as NULL keeps what the plan holds: the owners' step or the escalation
    # may be new on its own.
    table = connection.ops.quote_name(ReminderPlan._meta.db_table)
    update = ", ".join(
        f"{c} = COALESCE(excluded.{c}, {table}.{c})"
        for c in _columns(ReminderPlan, PLAN_COLUMNS[1:])
    )
    plan = f"{_insert(ReminderPlan, PLAN_COLUMNS)} %s ON CONFLICT ({keys}) DO UPDATE SET {update}"
    # Rows go in in recipient order: delivery claims and marks one recipient's rows at a
    # time, and rows written side by side share their pages, so each of those updates
    # writes a few pages instead of one page per row. One transaction: in autocommit
    # SQLite would commit (and sync) each row.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The steps and their sets of recipients go in as arrays; the database makes
            # the rows, so no Python tuple is made for each of them.
            used = sorted({group for *_, group in chunk.steps})
            members = [(group, email) for group in used for email in chunk.groups[group]]
            added = 0
            if members:
                cursor.execute(
                    f"{_insert(Reminder, OUTBOX_COLUMNS)} "
                    "SELECT s.id, g.email, s.step, s.deadline, %s, 0, '', %s, '', %s "
                    "FROM unnest(%s::bigint[], %s::varchar[], %s::date[], %s::int[]) "
                    "AS s (id, step, deadline, grp) "
                    "JOIN unnest(%s::int[], %s::varchar[]) AS g (grp, email) USING (grp) "
                    "ORDER BY g.email, s.id ON CONFLICT DO NOTHING",
                    [pending, stamp, stamp, *_arrays(chunk.steps), *_arrays(members)],
                )
                added = max(cursor.rowcount, 0)
            cursor.execute(
                plan % "SELECT * FROM unnest(%s::bigint[], %s::varchar[], %s::date[], "
                "%s::date[]) AS p (id, step, deadline, escalated) "
                # In key order, as every run locks them: two runs at once never deadlock.
                "ORDER BY p.id",
                _arrays(chunk.plans),
            )
            return added
        adapt = connection.ops.adapt_datefield_value
        values = [
            (obligation_id, recipient, step, adapt(deadline), pending, 0, "", stamp, "", stamp)
            for obligation_id, recipient, step, deadline in sorted(
                chunk.reminders, key=itemgetter(1, 0)
            )
        ]
        cursor.executemany(f"{_insert(Reminder, OUTBOX_COLUMNS)} {_values(OUTBOX_COLUMNS)} "
                           "ON CONFLICT DO NOTHING", values)  # fmt: skip
        added = max(cursor.rowcount, 0)
        cursor.executemany(
            plan % _values(PLAN_COLUMNS),
            [
                (pk, step, adapt(deadline), adapt(escalated))
                for pk, step, deadline, escalated in chunk.plans
            ],
        )
        return added


def _arrays(rows: list[tuple]) -> list[list]:
    """Rows (at least one) as one list per column, for unnest()."""
    return [list(column) for column in zip(*rows, strict=True)]


def _columns(model, fields) -> list[str]:
    return [connection.ops.quote_name(model._meta.get_field(f).column) for f in fields]


def _insert(model, fields) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    return f"INSERT INTO {table} ({', '.join(_columns(model, fields))})"


def _values(fields) -> str:
    return f"VALUES ({', '.join(['%s'] * len(fields))})"


def plan_reminders(today: datetime.date) -> int:
    """Write every reminder due up to today to the outbox; what is there already stays.

    Returns how many reminders this run added or revived.
    """
    cancel_stale_reminders()
    revivable = _revivable()
    planned = 0
    for chunk in planned_reminders(today):
        now = timezone.now()
        planned += _add_to_outbox(chunk, now)
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


# Delivery


class Row(NamedTuple):
    """What delivery needs of an outbox row: light enough for a digest of thousands."""

    pk: int | None
    obligation_id: int
    step: str
    deadline: datetime.date
    attempts: int


ROW_FIELDS = ["pk", "obligation_id", "step", "deadline", "attempts"]
OWED_FIELDS = ["obligation__status", "obligation__due_end"]


def _owed_rows(queryset) -> tuple[defaultdict[str, list[Row]], list[int]]:
    """Split outbox rows into those still owed, by recipient, and those whose obligation
    closed or moved (their ids)."""
    owed, stale = defaultdict(list), []
    for recipient, *values, status, due_end in queryset.values_list(
        "recipient", *ROW_FIELDS, *OWED_FIELDS
    ):
        row = Row(*values)
        if status not in CLOSED and due_end == row.deadline:
            owed[recipient].append(row)
        else:
            stale.append(row.pk)
    return owed, stale


# What a digest item shows of an obligation (see DigestItem).
DIGEST_FIELDS = ["action", "status", "due_end", "agreement__title", "agreement__short_name",
                 "lead_owner__name", "lead_owner__short_name"]  # fmt: skip


@dataclass
class DigestItem:
    """One obligation in a digest, with what the e-mail says of it worked out once (in
    Danish) for both the text and the HTML part."""

    obligation: Obligation
    escalated: bool
    today: datetime.date
    agreement: str = field(init=False)
    action: str = field(init=False)
    owner: str = field(init=False)
    status: str = field(init=False)
    deadline_text: str = field(init=False)
    when: str = field(init=False)
    url: str = field(init=False)

    def __post_init__(self):
        self.agreement = str(self.obligation.agreement)
        self.action = self.obligation.action
        self.owner = str(self.obligation.lead_owner)
        self.status = self.obligation.get_status_display()
        self.deadline_text = dateformat.format(self.deadline, "j. F Y")
        self.when = (
            f"overskredet med {_days(self.days_overdue)}"
            if self.days_overdue > 0
            else "i dag"
            if self.days_left == 0
            else f"om {_days(self.days_left)}"
        )
        self.url = settings.SITE_URL + self.obligation.get_absolute_url()

    @property
    def deadline(self) -> datetime.date:
        return self.obligation.due_end

    @property
    def days_overdue(self) -> int:
        return (self.today - self.deadline).days

    @property
    def days_left(self) -> int:
        return (self.deadline - self.today).days


def _days(n: int) -> str:
    return f"{n} dag" if n == 1 else f"{n} dage"


@dataclass
class DigestGroup:
    """Overskredet or Forfalder snart: a heading, the items listed, and a link to the rest."""

    title: str
    colour: str
    items: list[DigestItem]
    more: int
    more_text: str
    more_url: str

    @property
    def underline(self) -> str:
        """The heading's underline in the text part."""
        return "=" * len(self.title)


@dataclass
class Digest:
    """One e-mail to one recipient about the obligations their due reminders concern.

    Each group lists at most REMINDER_DIGEST_MAX_ITEMS obligations, earliest deadline
    first, and says how many more there are: a digest stays readable, and rendering
    it costs the same for the Taskforce secretariat as for one owner.
    """

    recipient: str
    today: datetime.date
    rows: list[Row]
    outcome: str = ""
    error: str = ""
    overdue: list[DigestItem] = field(default_factory=list)
    due_soon: list[DigestItem] = field(default_factory=list)
    overdue_count: int = 0
    due_soon_count: int = 0

    listed: tuple[list[int], list[int]] = field(init=False, repr=False)
    escalated: set[int] = field(init=False, repr=False)

    def __post_init__(self):
        deadlines = {row.obligation_id: row.deadline for row in self.rows}
        self.escalated = {row.obligation_id for row in self.rows if row.step == STEP_ESCALATION}
        ordered = sorted(deadlines, key=lambda pk: (deadlines[pk], pk))
        overdue = [pk for pk in ordered if deadlines[pk] < self.today]
        due_soon = [pk for pk in ordered if deadlines[pk] >= self.today]
        self.overdue_count, self.due_soon_count = len(overdue), len(due_soon)
        limit = settings.REMINDER_DIGEST_MAX_ITEMS
        self.listed = (overdue[:limit], due_soon[:limit])

    @classmethod
    def many(cls, rows: dict[str, list[Row]], today: datetime.date, **kwargs) -> list["Digest"]:
        """A digest for each recipient with rows, in recipient order, the obligations they
        list read in one query for all of them."""
        digests = [
            cls(recipient=recipient, today=today, rows=owed, **kwargs)
            for recipient, owed in sorted(rows.items())
            if owed
        ]
        listed = {pk for digest in digests for ids in digest.listed for pk in ids}
        obligations = (
            Obligation.objects.select_related("agreement", "lead_owner")
            .only(*DIGEST_FIELDS)
            .in_bulk(listed)
            if listed
            else {}
        )
        with translation.override(settings.LANGUAGE_CODE):
            for digest in digests:
                digest.overdue, digest.due_soon = (
                    [
                        DigestItem(obligations[pk], pk in digest.escalated, today)
                        for pk in ids
                        if pk in obligations
                    ]
                    for ids in digest.listed
                )
        return digests

    @property
    def items(self) -> list[DigestItem]:
        return self.overdue + self.due_soon

    def groups(self) -> list[DigestGroup]:
        listed = settings.SITE_URL + reverse("admin:agreements_obligation_changelist")
        groups = [
            DigestGroup(
                "Overskredet",
                LIGHT_COLOURS[Light.RED],
                self.overdue,
                self.overdue_count - len(self.overdue),
                "flere overskredne forpligtelser",
                f"{listed}?frist=overskredet",
            ),
            DigestGroup(
                "Forfalder snart",
                LIGHT_COLOURS[Light.YELLOW],
                self.due_soon,
                self.due_soon_count - len(self.due_soon),
                "flere, der forfalder snart",
                f"{listed}?frist=30",
            ),
        ]
        return [group for group in groups if group.items]

    def context(self) -> dict:
        return {
            "recipient": self.recipient,
            "today": self.today,
            "groups": self.groups(),
            "overdue_count": self.overdue_count,
            "due_soon_count": self.due_soon_count,
            "escalate_after": settings.REMINDER_ESCALATE_AFTER_DAYS,
            "site_url": settings.SITE_URL,
        }

    def message(self, connection=None) -> mail.EmailMultiAlternatives:
        context = self.context()
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("emails/reminder-digest-subject.txt", context)
            text = render_to_string("emails/reminder-digest-body.txt", context)
            html = render_to_string("emails/reminder-digest-body.html", context)
        message = mail.EmailMultiAlternatives(
            " ".join(subject.split()),
            text,
            to=[self.recipient],
            connection=connection,
            headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
        )
        message.attach_alternative(html, "text/html")
        return message


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait after the given number of failed attempts."""
    seconds = settings.REMINDER_RETRY_BASE * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.REMINDER_RETRY_MAX))


def sweep_stuck_reminders(now: datetime.datetime) -> int:
    """Return reminders left in sending by a dead run to pending, so they are not lost."""
    stuck_since = now - datetime.timedelta(seconds=settings.REMINDER_SENDING_TIMEOUT)
    swept = Reminder.objects.filter(
        status=Reminder.Status.SENDING, claimed_at__lte=stuck_since
    ).update(status=Reminder.Status.PENDING, claimed_by="", claimed_at=None)
    if swept:
        logger.warning("Returned %d reminders stuck in sending to pending", swept)
    return swept


def deliver_reminders(
    now: datetime.datetime | None = None, today: datetime.date | None = None
) -> list[Digest]:
    """Send one digest per recipient for the pending reminders that are due.

    Recipients are claimed CLAIM_BATCH at a time (one UPDATE, one read of what was
    claimed, one read of the obligations the digests list), then sent to one by one, each
    digest's rows marked sent as soon as the server has accepted it. A batch that has been
    held for half of REMINDER_SENDING_TIMEOUT (a slow or failing mail server) gives back
    what it has not sent yet, before a sweeper could hand those rows to another run, and
    claims them afresh.
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    sweep_stuck_reminders(now)
    token = uuid.uuid4().hex
    due = Reminder.objects.filter(status=Reminder.Status.PENDING, next_attempt_at__lte=now)
    recipients = list(due.order_by("recipient").values_list("recipient", flat=True).distinct())
    connection = mail.get_connection()
    hold_for = settings.REMINDER_SENDING_TIMEOUT / 2
    digests = []
    try:
        start = 0
        while start < len(recipients):
            batch = recipients[start : start + CLAIM_BATCH]
            start += len(batch)
            claimed_at = time.monotonic()
            claimed = _claim_digests(batch, due, token, today)
            for n, digest in enumerate(claimed):
                if n and time.monotonic() - claimed_at > hold_for:
                    # Claimed afresh for the next batch: every batch sends at least one.
                    _release(claimed[n:], token)
                    start -= len(batch) - batch.index(digest.recipient)
                    break
                try:
                    # Opened here, not inside send(): a connection that send() opens
                    # itself is closed with a QUIT before send() returns, which would
                    # widen the window between the server's acceptance and marking the
                    # rows sent.
                    connection.open()
                    digest.message(connection).send()
                except Exception as error:
                    _record_failure(digest, error, token)
                    _close_quietly(connection)
                else:
                    _record_sent(digest, token)
                digests.append(digest)
    finally:
        _close_quietly(connection)
    return digests


def _claim_digests(recipients: list[str], due, token: str, today: datetime.date) -> list[Digest]:
    claimed = due.filter(recipient__in=recipients).update(
        status=Reminder.Status.SENDING, claimed_at=timezone.now(), claimed_by=token
    )
    if not claimed:
        # Nothing got updated: another run got there first.
        return []
    owed, stale = _owed_rows(
        Reminder.objects.filter(
            recipient__in=recipients, status=Reminder.Status.SENDING, claimed_by=token
        )
    )
    if stale:
        # Closed or moved after this reminder was planned: the next planning would
        # cancel it, so do not send it now.
        Reminder.objects.filter(pk__in=stale, claimed_by=token).update(
            status=Reminder.Status.CANCELLED, last_error="Fristen er flyttet eller afsluttet."
        )
    return Digest.many(owed, today)


def _release(digests: list[Digest], token: str) -> None:
    """Give claimed rows back unsent, to be claimed again."""
    Reminder.objects.filter(
        recipient__in=[digest.recipient for digest in digests],
        claimed_by=token,
        status=Reminder.Status.SENDING,
    ).update(status=Reminder.Status.PENDING, claimed_by="", claimed_at=None)
    logger.info("Gave %d claimed digests back to claim them afresh", len(digests))


def _held(digest: Digest, token: str):
    return Reminder.objects.filter(
        recipient=digest.recipient, claimed_by=token, status=Reminder.Status.SENDING
    )


def _record_sent(digest: Digest, token: str) -> None:
    # The digest's rows are exactly the recipient's rows this run claimed and still holds
    # (stale ones were cancelled when claimed): no list of thousands of ids to send back.
    marked = _held(digest, token).update(
        status=Reminder.Status.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        last_error="",
    )
    digest.outcome = "sendt"
    if marked < len(digest.rows):
        # The sweeper took these back while the mail was being sent (the send took
        # longer than REMINDER_SENDING_TIMEOUT): another run may send them again.
        logger.error(
            "Digest to %s was sent after %d of its reminders were swept back to pending",
            digest.recipient,
            len(digest.rows) - marked,
        )


def _record_failure(digest: Digest, error: Exception, token: str) -> None:
    now = timezone.now()
    digest.error = describe_error(error)
    by_attempts = {row.attempts + 1 for row in digest.rows}
    for attempts in by_attempts:
        gave_up = attempts >= settings.REMINDER_MAX_ATTEMPTS
        _held(digest, token).filter(attempts=attempts - 1).update(
            status=Reminder.Status.FAILED if gave_up else Reminder.Status.PENDING,
            attempts=attempts,
            last_error=digest.error,
            next_attempt_at=now if gave_up else now + backoff(attempts),
            claimed_by="",
            claimed_at=None,
        )
    attempts = max(by_attempts)
    digest.outcome = "fejlet" if attempts >= settings.REMINDER_MAX_ATTEMPTS else "prøves igen"
    logger.warning(
        "Reminder digest to %s failed (attempt %d): %s", digest.recipient, attempts, digest.error
    )


def describe_error(error: Exception) -> str:
    """The failure in words a coordinator can act on."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refusals = "; ".join(
            f"{address}: {code} {_text(reply)}"
            for address, (code, reply) in error.recipients.items()
        )
        return f"Modtageren blev afvist af mailserveren: {refusals}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"Mailserveren afviste e-mailen: {error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
        return f"Mailserveren kunne ikke nås: {error}"
    return f"Kunne ikke sende: {type(error).__name__}: {error}"


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:
        # A server that is already gone: the connection is dropped either way.
        logger.debug("Closing the SMTP connection failed", exc_info=True)


# The job


def preview_reminders(today: datetime.date, now: datetime.datetime | None = None) -> list[Digest]:
    """The digests a run would send now, without writing or sending anything."""
    now = now or timezone.now()
    pending = Reminder.objects.filter(status=Reminder.Status.PENDING, next_attempt_at__lte=now)
    by_recipient, _ = _owed_rows(pending)
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
    return deliver_reminders(today=today)
