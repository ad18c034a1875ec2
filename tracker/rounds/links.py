"""The personal links to a party's answer page.

A link is made when the e-mail that carries it is sent (the token is never stored, so it
cannot be written into a later e-mail): `AnswerPage.mint` makes one, `AnswerPage.void`
takes it back when the e-mail was not accepted.
"""

import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import Lower, Trim
from django.urls import reverse

from agreements.models import Contact, Obligation
from tracker.models import RoundItem, RoundLink, StatusRound

# 256 bits of randomness, as URL-safe text.
TOKEN_BYTES = 32
# Longer than any token made here: a longer one is not looked up at all.
TOKEN_MAX_LENGTH = 100

UNKNOWN = "Linket findes ikke. Tjek, at du har brugt hele linket fra e-mailen."
CLOSED = (
    "Statusrunden er lukket, så linket virker ikke længere. "
    "Skriv til Taskforcens sekretariat, hvis der er nyt."
)
REVOKED = (
    "Linket er tilbagekaldt af Taskforcens sekretariat. Skriv til sekretariatet for at få et nyt."
)


class LinkRefused(Exception):
    """The link does not open an answer page: why, in Danish, and the HTTP status."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mint(status_round: StatusRound, contact: Contact) -> tuple[RoundLink, str]:
    """A new link for the contact in the round, and its token (which is not stored)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = RoundLink.objects.create(
        status_round=status_round,
        contact=contact,
        party_id=contact.party_id,
        token_hash=token_hash(token),
    )
    return link, token


def answer_url(token: str) -> str:
    return settings.SITE_URL + reverse("round-answer", args=[token])


def find(token: str) -> RoundLink:
    """The active link with this token; LinkRefused says why there is none."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise LinkRefused(UNKNOWN, 404)
    link = (
        RoundLink.objects.select_related("status_round__forum", "contact", "party")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None:
        raise LinkRefused(UNKNOWN, 404)
    check(link)
    return link


def check(link: RoundLink) -> None:
    """Refuse a link of a closed round, a revoked one, or one whose contact moved party."""
    if link.status_round.closed_at is not None:
        raise LinkRefused(CLOSED, 410)
    if link.revoked_at is not None or link.contact.party_id != link.party_id:
        raise LinkRefused(REVOKED, 410)


def party_items(status_round: StatusRound, party_id: int):
    """The round's items whose obligation the party leads or co-owns."""
    owned = Obligation.objects.owned_by(party_id).values("pk")
    return status_round.items.filter(obligation__in=owned)


@dataclass
class AnswerPage:
    """A contact's answer page in an open round, as an e-mail points to it."""

    status_round: StatusRound
    contact: Contact
    asked: int
    answered: int
    url: str = ""
    link: RoundLink | None = None

    @property
    def party(self):
        return self.contact.party

    @property
    def left(self) -> int:
        return self.asked - self.answered

    def mint(self) -> None:
        self.link, token = mint(self.status_round, self.contact)
        self.url = answer_url(token)

    def void(self) -> None:
        """Take back a link whose e-mail was not sent: nobody can know its token."""
        if self.link is not None:
            self.link.delete()
        self.link, self.url = None, ""


def answer_pages(recipients: list[str]) -> dict[str, list[AnswerPage]]:
    """For each address that is a contact of a party asked in an open round: its pages."""
    rounds = list(StatusRound.objects.filter(closed_at__isnull=True).select_related("forum"))
    if not rounds or not recipients:
        return {}
    contacts = list(
        Contact.objects.annotate(address=Lower(Trim("email")))
        .filter(address__in=[r.strip().lower() for r in recipients])
        .select_related("party")
        .order_by("party__name", "pk")
    )
    if not contacts:
        return {}
    party_ids = {c.party_id for c in contacts}
    counts = _counts(rounds, party_ids)
    pages = defaultdict(list)
    for status_round in rounds:
        for contact in contacts:
            asked, answered = counts.get((status_round.pk, contact.party_id), (0, 0))
            if asked:
                pages[contact.address].append(AnswerPage(status_round, contact, asked, answered))
    return pages


def _counts(rounds: list[StatusRound], party_ids: set[int]) -> dict[tuple[int, int], tuple]:
    """(asked, answered) by (round id, party id), for the given parties."""
    found = {}
    items = RoundItem.objects.filter(status_round__in=rounds)
    led = items.filter(obligation__lead_owner__in=party_ids).values_list(
        "status_round_id", "obligation__lead_owner_id"
    )
    co = (
        items.filter(obligation__co_owners__in=party_ids)
        # A lead owner also named as co-owner is counted once.
        .exclude(obligation__lead_owner=F("obligation__co_owners"))
        .values_list("status_round_id", "obligation__co_owners")
    )
    for query in (led, co):
        for round_id, party_id, asked, answered in query.annotate(
            asked=Count("pk", distinct=True),
            answered=Count("pk", distinct=True, filter=Q(answered_at__isnull=False)),
        ).order_by():
            before = found.get((round_id, party_id), (0, 0))
            found[(round_id, party_id)] = (before[0] + asked, before[1] + answered)
    return found
