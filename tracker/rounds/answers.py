"""The answer page's rows, and the rules an answer in a round is saved by.

An answer is a new status on the ministry's scale, or "uændret" (the status stands). Every
answer is kept as given, appended, never rewritten (`RoundAnswer`): a new status becomes a
status report written by the contact, marked as given in the round, with the server's time
(a closing status, or a reopening of a confirmed closing, is a claim that the secretariat
confirms or sends back, as on every other path: `tracker.completion`); "uændret" is a dated
confirmation of the status as it stands and writes no report, so it moves no status date and
touches no text, evidence or public field. A text is required for i risiko, forsinket and
the closing statuses; texts and links follow `common.validation`, as everywhere.

Each row of the page carries the version of the item it showed (`o-<id>-version`: how many
answers it had). A row the contact left as it was shown is not an answer, whatever a
colleague answered meanwhile; a row the contact changed, whose item has had an answer since
the page was opened, is not saved over that answer: the page shows it, with who gave it and
when, and keeps the rest of what was typed to be saved again. Every answer of a POST is
checked before any is saved: one row in error or in conflict saves nothing.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from agreements.models import Obligation, Party
from agreements.status import CLOSED, Status
from common.validation import validate_link, validate_text
from tracker.models import RoundAnswer, RoundItem, RoundLink, StatusReport, StatusRound
from tracker.rounds.links import check, party_items

UNCHANGED = "uaendret"
# The statuses that need a word on why.
TEXT_REQUIRED = frozenset({Status.AT_RISK, Status.DELAYED, *CLOSED})
TEXT_MAX_LENGTH = 2000
FIELD = re.compile(r"^o-(\d+)-(answer|text|url|version)$")
# Longer than any version a row can have: a longer number is not read at all.
VERSION_MAX_DIGITS = 9

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

    @classmethod
    def of(cls, answer: RoundAnswer | None) -> "Submitted":
        """What an answer says, as the form shows it."""
        if answer is None:
            return cls()
        if answer.unchanged:
            return cls(UNCHANGED)
        report = answer.report
        if report is None:
            return cls(answer.status)
        return cls(answer.status, report.text, report.evidence_url)


@dataclass
class Posted:
    """One row of a POST: what was typed, and the version of the item the page showed
    (None when the POST did not say)."""

    typed: Submitted
    version: int | None = None


@dataclass
class AnswerRow:
    """One obligation on the answer page: what it is, where it stands, what was answered,
    and what is typed now (kept when there is an error)."""

    item: RoundItem
    obligation: Obligation
    latest: StatusReport | None
    typed: Submitted
    version: int
    errors: dict[str, str] = field(default_factory=dict)
    # The answer a colleague gave after this page was opened, when it stopped a save.
    newer: RoundAnswer | None = None
    overtaken: Submitted | None = None

    @property
    def prefix(self) -> str:
        return f"o-{self.obligation.pk}"

    @property
    def answered(self) -> bool:
        return self.item.answered_at is not None

    @property
    def latest_answer(self) -> RoundAnswer | None:
        return self.item.latest_answer


def rows_for(link: RoundLink, posted: dict[int, Posted] | None = None) -> list[AnswerRow]:
    """The party's obligations in the round, in the agreements' order."""
    items = (
        party_items(link.status_round, link.party_id)
        .select_related(
            "obligation__agreement",
            "obligation__initiative",
            "obligation__lead_owner",
            "answered_by",
            "latest_answer__contact__party",
            "latest_answer__report",
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
    for report in (
        StatusReport.objects.in_force()
        .filter(obligation__in=[i.obligation_id for i in items])
        .order_by("obligation_id", "-reported_at", "-pk")
    ):
        latest.setdefault(report.obligation_id, report)
    posted = posted or {}
    rows = []
    for item in items:
        row_posted = posted.get(item.obligation_id)
        rows.append(
            AnswerRow(
                item=item,
                obligation=item.obligation,
                latest=latest.get(item.obligation_id),
                typed=row_posted.typed if row_posted else Submitted.of(item.latest_answer),
                version=item.version,
            )
        )
    return rows


def parse(data, allowed: set[int]) -> dict[int, Posted]:
    """The answers in a POST, by obligation id; ForeignObligation for any other id."""
    found: dict[int, Posted] = {}
    for key in data:
        match = FIELD.match(key)
        if not match:
            continue
        pk, name = int(match[1]), match[2]
        if pk not in allowed:
            raise ForeignObligation(pk)
        row = found.setdefault(pk, Posted(Submitted()))
        value = data.get(key, "").strip()
        if name == "version":
            digits = value.isascii() and value.isdigit() and len(value) <= VERSION_MAX_DIGITS
            row.version = int(value) if digits else None
        else:
            setattr(row.typed, name, value)
    return found


def problems(submitted: Submitted) -> dict[str, str]:
    """What is wrong with one answer, by field, in Danish."""
    errors = {}
    valid = {value for value, _ in ANSWER_CHOICES}
    if submitted.answer not in valid:
        errors["answer"] = "Vælg et svar fra listen."
    elif not submitted.answer and (submitted.text or submitted.url):
        errors["answer"] = "Vælg en status eller »Uændret« til teksten."
    elif submitted.answer == UNCHANGED and (submitted.text or submitted.url):
        errors["answer"] = (
            "»Uændret« bekræfter status, som den står, uden ny tekst eller dokumentation. "
            "Vælg den status, der gælder nu, for at skrive en tekst."
        )
    elif submitted.answer in TEXT_REQUIRED and not submitted.text:
        errors["text"] = (
            f"Skriv kort hvorfor: teksten skal udfyldes ved »{Status(submitted.answer).label}«."
        )
    if len(submitted.text) > TEXT_MAX_LENGTH:
        errors["text"] = (
            f"Teksten må højst være {TEXT_MAX_LENGTH} tegn (den er {len(submitted.text)})."
        )
    for name, validate in (("text", validate_text), ("url", validate_link)):
        try:
            validate(getattr(submitted, name))
        except ValidationError as problem:
            errors.setdefault(name, " ".join(problem.messages))
    return errors


def answer_at(item: RoundItem, version: int | None) -> Submitted | None:
    """What the item's answer said at a version (its answer number), as the form showed it;
    None for a version it never had."""
    if version is None or version > item.version:
        return None
    if version == 0:
        return Submitted()
    if version == item.version:
        return Submitted.of(item.latest_answer)
    answer = item.answers.select_related("report").filter(number=version).first()
    return Submitted.of(answer) if answer else None


def save(link: RoundLink, posted: dict[int, Posted]) -> tuple[list[AnswerRow], int]:
    """Save the answers the contact gave; the rows (with errors, if any) and how many
    answers were saved.

    Raises LinkRefused when the round closed or the link was revoked meanwhile, and
    ForeignObligation for an obligation that is not the party's in the round."""
    with transaction.atomic():
        # One save at a time per round: two contacts saving at once are saved one after
        # the other, each against the answers the other saved, and the round cannot close
        # in between.
        status_round = StatusRound.objects.select_for_update().get(pk=link.status_round_id)
        link = RoundLink.objects.select_related("contact", "party").get(pk=link.pk)
        link.status_round = status_round
        check(link)
        rows = rows_for(link, posted)
        by_pk = {row.obligation.pk: row for row in rows}
        foreign = set(posted) - set(by_pk)
        if foreign:
            raise ForeignObligation(min(foreign))
        given = []
        for pk, row in by_pk.items():
            if pk in posted and _is_answer(row, posted[pk]):
                given.append(row)
                row.errors = _row_problems(row, posted[pk])
            else:
                # Not answered here: shown as it stands now, so that a save again from
                # this page does not take an older answer for a new one.
                row.typed = Submitted.of(row.item.latest_answer)
        if any(row.errors for row in rows):
            return rows, 0
        now = timezone.now()
        for row in given:
            _write(status_round, link, row, now)
        link.last_used_at = now
        link.save(update_fields=["last_used_at"])
    return rows_for(link), len(given)


def _is_answer(row: AnswerRow, posted: Posted) -> bool:
    """Whether the contact gave an answer in this row: changed it from what the page showed
    them, to something else than the answer it has now."""
    shown = answer_at(row.item, posted.version)
    if shown is not None and posted.typed == shown:
        return False
    return posted.typed != Submitted.of(row.item.latest_answer)


def _row_problems(row: AnswerRow, posted: Posted) -> dict[str, str]:
    # With no version posted, only a row that has no answer yet has nothing to save over.
    seen = posted.version if posted.version is not None or row.item.version else 0
    if seen != row.item.version:
        # A colleague answered after the page was opened (or the POST did not say which
        # answer it saw): their answer is shown and kept; what was typed is shown too.
        row.newer, row.overtaken = row.item.latest_answer, row.typed
        row.typed = Submitted.of(row.item.latest_answer)
        return {"answer": _overtaken_message(row.newer)}
    errors = problems(row.typed)
    if not errors and row.obligation.agreement.is_closed:
        errors["answer"] = "Aftalen er afsluttet; der skal ikke svares på den."
    if not errors and not row.typed.answer:
        errors["answer"] = "Et svar kan rettes, men ikke fjernes."
    return errors


def _overtaken_message(newer: RoundAnswer | None) -> str:
    if newer is None:
        return "Siden er ældre end svarene; åbn den igen fra linket, og giv dit svar der."
    return (
        f"Der er kommet et nyt svar, mens du havde siden åben: {newer.describe()} "
        f"kl. {timezone.localtime(newer.given_at):%H.%M}. Dit svar er ikke gemt; det står "
        "herunder. Gem igen, hvis dit svar stadig skal gælde."
    )


def _write(status_round: StatusRound, link: RoundLink, row: AnswerRow, now) -> None:
    item, typed, contact = row.item, row.typed, link.contact
    unchanged = typed.answer == UNCHANGED
    report = None
    if unchanged:
        status = row.obligation.status
    else:
        status = typed.answer
        report = StatusReport(
            obligation=item.obligation,
            contact=contact,
            status_round=status_round,
            status=status,
            text=typed.text,
            evidence_url=typed.url,
        )
        report._change_reason = f"Svar i statusrunden fra {contact.name}"
        report.save()
    answer = RoundAnswer.objects.create(
        item=item,
        number=item.version + 1,
        contact=contact,
        given_at=now,
        unchanged=unchanged,
        status=status,
        report=report,
    )
    item.version = answer.number
    item.latest_answer, item.answered_at, item.answered_by = answer, now, contact
    item.report = report
    item._change_reason = f"Svar fra {contact.name}"
    item.save()
