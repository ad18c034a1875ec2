"""The digest: one e-mail per recipient about the obligations their due reminders concern,
in Danish, text and HTML."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, translation

from agreements.models import Obligation
from agreements.status import CLOSED, LIGHT_COLOURS, Light
from common.display import Capped
from followup.reminders.policy import STEP_ESCALATION


class Row(NamedTuple):
    """What delivery needs of an outbox row: light enough for a digest of thousands."""

    pk: int | None
    obligation_id: int
    step: str
    deadline: datetime.date
    attempts: int


ROW_FIELDS = ["pk", "obligation_id", "step", "deadline", "attempts"]
OWED_FIELDS = ["obligation__status", "obligation__due_end"]


def owed_rows(queryset) -> tuple[defaultdict[str, list[Row]], list[int]]:
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

    # The ids of the obligations each group lists, and how many the group has in all.
    listed: tuple[Capped, Capped] = field(init=False, repr=False)
    escalated: set[int] = field(init=False, repr=False)

    def __post_init__(self):
        deadlines = {row.obligation_id: row.deadline for row in self.rows}
        self.escalated = {row.obligation_id for row in self.rows if row.step == STEP_ESCALATION}
        ordered = sorted(deadlines, key=lambda pk: (deadlines[pk], pk))
        overdue = [pk for pk in ordered if deadlines[pk] < self.today]
        due_soon = [pk for pk in ordered if deadlines[pk] >= self.today]
        limit = settings.REMINDER_DIGEST_MAX_ITEMS
        self.listed = (Capped.of(overdue, limit), Capped.of(due_soon, limit))

    @property
    def overdue_count(self) -> int:
        return self.listed[0].total

    @property
    def due_soon_count(self) -> int:
        return self.listed[1].total

    @classmethod
    def many(cls, rows: dict[str, list[Row]], today: datetime.date, **kwargs) -> list["Digest"]:
        """A digest for each recipient with rows, in recipient order, the obligations they
        list read in one query for all of them."""
        digests = [
            cls(recipient=recipient, today=today, rows=owed, **kwargs)
            for recipient, owed in sorted(rows.items())
            if owed
        ]
        listed = {pk for digest in digests for ids in digest.listed for pk in ids.shown}
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
                        for pk in ids.shown
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
