"""The answer page's rows, and the rules an answer in a round is saved by.

An answer is a new status on the ministry's scale, or "uændret" (the status stands, and the
answer is dated), with a short text (required for i risiko, forsinket and the closing
statuses) and an optional evidence link. It becomes a status report written by the contact,
marked as given in the round, with the server's time; a closing status is a claim that the
secretariat confirms or sends back, as on every other path (`tracker.completion`). Answers
can be changed until the round closes: the round's report is corrected (the history keeps
what it said), unless the secretariat has reviewed it.

Every answer of a POST is checked before any is saved: one row in error saves nothing, and
the page shows each error by its row with what was typed. A POST naming an obligation that
is not the party's in the round is refused as a whole.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from agreements.models import Obligation, Party
from agreements.status import CLOSED, Status
from tracker.models import RoundItem, RoundLink, StatusReport, StatusRound
from tracker.rounds.links import check, party_items

UNCHANGED = "uaendret"
# The statuses that need a word on why.
TEXT_REQUIRED = frozenset({Status.AT_RISK, Status.DELAYED, *CLOSED})
TEXT_MAX_LENGTH = 2000
URL_MAX_LENGTH = 500
FIELD = re.compile(r"^o-(\d+)-(answer|text|url)$")

ANSWER_CHOICES = [
    ("", "Ikke besvaret endnu"),
    (UNCHANGED, "Uændret"),
    *Status.choices,
]


class ForeignObligation(Exception):
    """The POST names an obligation that the link does not answer for."""


@dataclass
class Submitted:
    answer: str = ""
    text: str = ""
    url: str = ""


@dataclass
class AnswerRow:
    """One obligation on the answer page: what it is, where it stands, what was answered,
    and what is typed now (kept when there is an error)."""

    item: RoundItem
    obligation: Obligation
    latest: StatusReport | None
    typed: Submitted
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return f"o-{self.obligation.pk}"

    @property
    def answered(self) -> bool:
        return self.item.answered_at is not None

    @property
    def reviewed(self) -> bool:
        return bool(self.item.report and self.item.report.is_reviewed)


def submitted_answer(item: RoundItem) -> Submitted:
    """What the item's answer says, as the form shows it."""
    if item.answered_at is None:
        return Submitted()
    report = item.report
    if report is None or report.unchanged:
        return Submitted(
            UNCHANGED, report.text if report else "", report.evidence_url if report else ""
        )
    return Submitted(report.status, report.text, report.evidence_url)


def rows_for(link: RoundLink, typed: dict[int, Submitted] | None = None) -> list[AnswerRow]:
    """The party's obligations in the round, in the agreements' order."""
    items = (
        party_items(link.status_round, link.party_id)
        .select_related(
            "obligation__agreement",
            "obligation__initiative",
            "obligation__lead_owner",
            "answered_by",
            "report",
        )
        .prefetch_related(
            Prefetch("obligation__co_owners", queryset=Party.objects.order_by("name"))
        )
        .order_by(
            "obligation__agreement__year",
            "obligation__agreement_id",
            "obligation__initiative__order",
            "obligation__order",
            "obligation__due_end",
            "obligation_id",
        )
    )
    items = list(items)
    latest = {}
    for report in StatusReport.objects.filter(
        obligation__in=[i.obligation_id for i in items]
    ).order_by("obligation_id", "-reported_at", "-pk"):
        latest.setdefault(report.obligation_id, report)
    typed = typed or {}
    return [
        AnswerRow(
            item=item,
            obligation=item.obligation,
            latest=latest.get(item.obligation_id),
            typed=typed.get(item.obligation_id) or submitted_answer(item),
        )
        for item in items
    ]


def parse(data, allowed: set[int]) -> dict[int, Submitted]:
    """The answers in a POST, by obligation id; ForeignObligation for any other id."""
    found: dict[int, Submitted] = {}
    for key in data:
        match = FIELD.match(key)
        if not match:
            continue
        pk, name = int(match[1]), match[2]
        if pk not in allowed:
            raise ForeignObligation(pk)
        setattr(found.setdefault(pk, Submitted()), name, data.get(key, "").strip())
    return found


def problems(submitted: Submitted) -> dict[str, str]:
    """What is wrong with one answer, by field, in Danish."""
    errors = {}
    valid = {value for value, _ in ANSWER_CHOICES}
    if submitted.answer not in valid:
        errors["answer"] = "Vælg et svar fra listen."
    elif not submitted.answer and (submitted.text or submitted.url):
        errors["answer"] = "Vælg en status eller »Uændret« til teksten."
    elif submitted.answer in TEXT_REQUIRED and not submitted.text:
        errors["text"] = (
            f"Skriv kort hvorfor: teksten skal udfyldes ved »{Status(submitted.answer).label}«."
        )
    if len(submitted.text) > TEXT_MAX_LENGTH:
        errors["text"] = (
            f"Teksten må højst være {TEXT_MAX_LENGTH} tegn (den er {len(submitted.text)})."
        )
    if submitted.url:
        try:
            if len(submitted.url) > URL_MAX_LENGTH:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(submitted.url)
        except ValidationError:
            errors["url"] = (
                "Linket skal være en hel adresse, der begynder med https:// eller http://."
            )
    return errors


def status_before(item: RoundItem) -> str:
    """The obligation's status without the round's own report."""
    earlier = item.obligation.status_reports.order_by("-reported_at", "-pk")
    if item.report_id:
        earlier = earlier.exclude(pk=item.report_id)
    report = earlier.first()
    return report.status if report else Status.NOT_STARTED


def save(link: RoundLink, submitted: dict[int, Submitted]) -> tuple[list[AnswerRow], int]:
    """Save the answers that changed; the rows (with errors, if any) and how many changed.

    Raises LinkRefused when the round closed or the link was revoked meanwhile, and
    ForeignObligation for an obligation that is not the party's in the round."""
    with transaction.atomic():
        # One answer at a time per round: two contacts of a party saving at once are
        # saved one after the other, and the round cannot close in between.
        status_round = StatusRound.objects.select_for_update().get(pk=link.status_round_id)
        link = RoundLink.objects.select_related("contact", "party").get(pk=link.pk)
        link.status_round = status_round
        check(link)
        rows = rows_for(link, submitted)
        by_pk = {row.obligation.pk: row for row in rows}
        foreign = set(submitted) - set(by_pk)
        if foreign:
            raise ForeignObligation(min(foreign))
        changed = [
            row for pk, row in by_pk.items()
            if pk in submitted and submitted[pk] != submitted_answer(row.item)
        ]  # fmt: skip
        for row in changed:
            row.errors = problems(row.typed)
            if not row.errors and row.reviewed:
                row.errors["answer"] = (
                    "Sekretariatet har behandlet svaret, så det kan ikke rettes her; "
                    "skriv til sekretariatet, hvis der er nyt."
                )
            if not row.errors and row.obligation.agreement.is_closed:
                row.errors["answer"] = "Aftalen er afsluttet; der skal ikke svares på den."
            if (
                not row.errors
                and row.typed.answer == UNCHANGED
                and row.item.report_id
                and status_before(row.item) in CLOSED
            ):
                row.errors["answer"] = (
                    "Forpligtelsen er meldt afsluttet uden for statusrunden; vælg den status, "
                    "der gælder nu."
                )
            if not row.errors and not row.typed.answer:
                row.errors["answer"] = "Et svar kan rettes, men ikke fjernes."
        if any(row.errors for row in rows):
            return rows, 0
        now = timezone.now()
        for row in changed:
            _write(status_round, link, row, now)
        link.last_used_at = now
        link.save(update_fields=["last_used_at"])
    return rows_for(link), len(changed)


def _write(status_round: StatusRound, link: RoundLink, row: AnswerRow, now) -> None:
    item, typed = row.item, row.typed
    unchanged = typed.answer == UNCHANGED
    status = status_before(item) if unchanged else typed.answer
    report = item.report
    if unchanged and status in CLOSED:
        # The status is a closing one already (claimed or confirmed outside the round):
        # the answer is recorded, and no new claim is made of it.
        report = None
    else:
        if report is None:
            report = StatusReport(
                obligation=item.obligation, contact=link.contact, status_round=status_round
            )
            report._change_reason = f"Svar i statusrunden fra {link.contact.name}"
        else:
            report._change_reason = f"Svaret rettet i statusrunden af {link.contact.name}"
        report.status, report.text, report.evidence_url = status, typed.text, typed.url
        report.unchanged = unchanged
        report.save()
    item.report, item.answered_at, item.answered_by = report, now, link.contact
    item._change_reason = f"Svar fra {link.contact.name}"
    item.save()
