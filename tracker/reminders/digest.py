"""The digest: one e-mail per recipient about the obligations their due reminders concern,
in Danish, text and HTML."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db.models.functions import Lower, Trim
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, translation

from agreements.models import Obligation
from agreements.status import CLOSED, LIGHT_COLOURS, Light
from common.display import Capped
from tracker.models import StatusRound
from tracker.reminders.policy import STEP_ESCALATION, is_invitation, round_of
from tracker.rounds.links import answer_pages


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
    closed or moved, or whose status round closed (their ids)."""
    owed, stale = defaultdict(list), []
    open_rounds = None
    for recipient, *values, status, due_end in queryset.values_list(
        "recipient", *ROW_FIELDS, *OWED_FIELDS
    ):
        row = Row(*values)
        round_id = round_of(row.step)
        if round_id is not None:
            if open_rounds is None:
                open_rounds = set(
                    StatusRound.objects.filter(closed_at__isnull=True).values_list("pk", flat=True)
                )
            owed_now = round_id in open_rounds
        else:
            owed_now = status not in CLOSED and due_end == row.deadline
        if owed_now:
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
            overdue_since(self.deadline, self.today)
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


def _months_between(first: datetime.date, last: datetime.date) -> int:
    """Whole months from the first day to the last."""
    months = (last.year - first.year) * 12 + last.month - first.month
    return months - 1 if last.day < first.day else months


def overdue_since(deadline: datetime.date, today: datetime.date) -> str:
    """ "overskredet siden 31. december 2015 (over 9 år)": the day, and how long in the
    largest whole unit (år, måneder, dage), "over" when it is more than that."""
    months = _months_between(deadline, today)
    if months >= 12:
        years = months // 12
        exact = months % 12 == 0 and today.day == deadline.day
        span = f"{'' if exact else 'over '}{years} år"
    elif months >= 1:
        exact = today.day == deadline.day
        span = f"{'' if exact else 'over '}{months} måned{'' if months == 1 else 'er'}"
    else:
        span = _days((today - deadline).days)
    return f"overskredet siden {dateformat.format(deadline, 'j. F Y')} ({span})"


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
    """One e-mail to one recipient about the obligations their due reminders concern, and
    about the status rounds they are asked in.

    Each group lists at most REMINDER_DIGEST_MAX_ITEMS obligations, earliest deadline
    first, and says how many more there are: a digest stays readable, and rendering
    it costs the same for the Taskforce secretariat as for one owner.

    Where each obligation links to: the admin for a recipient who has a login; the
    recipient's answer page while a status round asks their party; else nowhere, and the
    e-mail names the secretariat's address to answer to.
    """

    recipient: str
    today: datetime.date
    rows: list[Row]
    outcome: str = ""
    error: str = ""
    overdue: list[DigestItem] = field(default_factory=list)
    due_soon: list[DigestItem] = field(default_factory=list)
    # The recipient's answer pages in open rounds (see tracker.rounds.links).
    answer_pages: list = field(default_factory=list)
    has_login: bool = False

    # The ids of the obligations each group lists, and how many the group has in all.
    listed: tuple[Capped, Capped] = field(init=False, repr=False)
    escalated: set[int] = field(init=False, repr=False)
    # The status rounds this e-mail invites to, or reminds of.
    invited: set[int] = field(init=False, repr=False)
    reminded: set[int] = field(init=False, repr=False)

    def __post_init__(self):
        reminders = [row for row in self.rows if round_of(row.step) is None]
        self.invited = {round_of(r.step) for r in self.rows if is_invitation(r.step)}
        self.reminded = {
            round_of(r.step) for r in self.rows if round_of(r.step) is not None
        } - self.invited
        deadlines = {row.obligation_id: row.deadline for row in reminders}
        self.escalated = {row.obligation_id for row in reminders if row.step == STEP_ESCALATION}
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
        recipients = [digest.recipient for digest in digests]
        pages = answer_pages(recipients)
        with_login = _with_login(recipients)
        with translation.override(settings.LANGUAGE_CODE):
            for digest in digests:
                digest.answer_pages = pages.get(digest.recipient, [])
                digest.has_login = digest.recipient in with_login
                digest.overdue, digest.due_soon = (
                    [
                        DigestItem(obligations[pk], pk in digest.escalated, today)
                        for pk in ids.shown
                        if pk in obligations
                    ]
                    for ids in digest.listed
                )
                if not digest.has_login:
                    # The admin is no use without a login: the answer page, once its link
                    # is made (mint_links), or nothing.
                    for item in digest.items:
                        item.url = ""
        return digests

    def mint_links(self) -> None:
        """Make the personal links this e-mail carries (just before it is sent)."""
        for page in self.answer_pages:
            page.mint()
        if not self.has_login:
            for item in self.items:
                page = self._page_for(item)
                item.url = f"{page.url}#o-{item.obligation.pk}" if page else ""

    def void_links(self) -> None:
        for page in self.answer_pages:
            page.void()

    def _page_for(self, item: DigestItem):
        """The answer page that asks about the item's obligation: its lead party's if the
        recipient has it, else the first."""
        for page in self.answer_pages:
            if page.contact.party_id == item.obligation.lead_owner_id:
                return page
        return self.answer_pages[0] if self.answer_pages else None

    @property
    def is_empty(self) -> bool:
        """Nothing to list and no round to answer in."""
        return not self.items and not self.answer_pages

    @property
    def items(self) -> list[DigestItem]:
        return self.overdue + self.due_soon

    def groups(self) -> list[DigestGroup]:
        if self.has_login:
            listed = settings.SITE_URL + reverse("admin:agreements_obligation_changelist")
            overdue_url, due_soon_url = f"{listed}?frist=overskredet", f"{listed}?frist=30"
        else:
            overdue_url = due_soon_url = self.answer_pages[0].url if self.answer_pages else ""
        groups = [
            DigestGroup(
                "Overskredet",
                LIGHT_COLOURS[Light.RED],
                self.overdue,
                self.overdue_count - len(self.overdue),
                "flere overskredne forpligtelser",
                overdue_url,
            ),
            DigestGroup(
                "Forfalder snart",
                LIGHT_COLOURS[Light.YELLOW],
                self.due_soon,
                self.due_soon_count - len(self.due_soon),
                "flere, der forfalder snart",
                due_soon_url,
            ),
        ]
        return [group for group in groups if group.items]

    def context(self) -> dict:
        pages = self.answer_pages
        return {
            "recipient": self.recipient,
            "today": self.today,
            "groups": self.groups(),
            "pages": pages,
            "invited": [p for p in pages if p.status_round.pk in self.invited],
            "reminded": [p for p in pages if p.status_round.pk in self.reminded],
            "has_login": self.has_login,
            "secretariat": _secretariat_address(),
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
            reply_to=[context["secretariat"]] if context["secretariat"] else None,
            headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
        )
        message.attach_alternative(html, "text/html")
        return message


def _with_login(recipients: list[str]) -> set[str]:
    """The addresses that belong to an active user, who can open the admin."""
    if not recipients:
        return set()
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(address=Lower(Trim("email")))
        .filter(address__in=recipients)
    )
    return set(users.values_list("address", flat=True))


def _secretariat_address() -> str:
    addresses = [a for a in settings.TASKFORCE_SECRETARIAT_EMAILS if a.strip()]
    return addresses[0].strip() if addresses else ""
