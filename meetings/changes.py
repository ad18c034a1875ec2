"""What was recorded in the tracker during a report's period, read from the history
(`Obligation.history`, `StatusReport.history`): status changes, new, corrected and deleted
reports, moved deadlines and new lead owners, with who recorded them and when; obligations
created together are one line (`NewObligations`)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator

from agreements.dates import window_text
from agreements.models import Obligation, Party
from agreements.status import Status
from common.display import changed_by
from tracker.models import StatusReport

if TYPE_CHECKING:
    from meetings.report import Row

TEXT_EXCERPT = 240
# Obligations created together (one agreement's, by one person, on one day) are one line of
# the changes when there are more than this many: a loaded agreement is one event, not pages.
BATCH_LISTED = 3


@dataclass(frozen=True)
class Change:
    """One change recorded in the history during the period: old → new, by whom, when."""

    at: datetime.datetime
    obligation: Row
    what: str
    old: str
    new: str
    who: str

    @property
    def subject(self) -> str:
        return self.obligation.action

    @property
    def agreement(self) -> str:
        return self.obligation.agreement


# The kinds of change (Change.what), each named once here.
CREATED, STATUS_CHANGED, CLOSURE_CONFIRMED = (
    "Forpligtelse oprettet",
    "Status ændret",
    "Afslutning bekræftet",
)
DUE_MOVED, OWNER_CHANGED = "Frist flyttet", "Ansvarlig ændret"
NEW_REPORT, REPORT_CORRECTED, REPORT_DELETED = (
    "Ny statusrapport",
    "Statusrapport rettet",
    "Statusrapport slettet",
)
# The kinds, in the order the counts per agreement give them, with their heading.
CHANGE_KINDS = {
    CREATED: "Nye forpligtelser",
    STATUS_CHANGED: "Status ændret",
    CLOSURE_CONFIRMED: "Afslutning bekræftet",
    DUE_MOVED: "Frist flyttet",
    OWNER_CHANGED: "Ny ansvarlig",
    NEW_REPORT: "Nye statusrapporter",
    REPORT_CORRECTED: "Rettede rapporter",
    REPORT_DELETED: "Slettede rapporter",
}


@dataclass(frozen=True)
class NewObligations:
    """Obligations created together, as one line of the changes: its count and deadlines."""

    at: datetime.datetime
    agreement: str
    who: str
    count: int
    due: str

    what = "Forpligtelser oprettet"
    old = ""

    @property
    def subject(self) -> str:
        return f"{self.count} nye forpligtelser"

    @property
    def new(self) -> str:
        return f"Frister: {self.due}"

    @classmethod
    def of(cls, changes: list[Change]) -> NewObligations:
        rows = [c.obligation for c in changes]
        starts = [r.due_start or r.due_end for r in rows if r.due_start or r.due_end]
        ends = [r.due_end for r in rows if r.due_end]
        return cls(
            at=changes[0].at,
            agreement=changes[0].agreement,
            who=changes[0].who,
            count=len(changes),
            due=window_text(min(starts, default=None), max(ends, default=None)),
        )


@dataclass(frozen=True)
class ChangeCount:
    agreement: str
    counts: list[int]  # in the order of Report.change_kinds


def party_name(party: Party) -> str:
    return party.short_name or party.name


def batch_creations(changes: list[Change]) -> list:
    """The changes, with each batch of more than BATCH_LISTED obligations created together
    (one agreement's, by one person, on one day) as one line where its first one was."""

    def batch(change: Change):
        return change.agreement, change.who, timezone.localdate(change.at)

    batches = defaultdict(list)
    for change in changes:
        if change.what == CREATED:
            batches[batch(change)].append(change)
    lines, written = [], set()
    for change in changes:
        key = batch(change) if change.what == CREATED else None
        if key is None or len(batches[key]) <= BATCH_LISTED:
            lines.append(change)
        elif key not in written:
            written.add(key)
            lines.append(NewObligations.of(batches[key]))
    return lines


def user_name(user) -> str:
    return changed_by(user, full_name=True)


def status_name(status: str) -> str:
    return Status(status).label if status in Status.values else status


def versions_in_period(
    History, in_scope: Q, start_at: datetime.datetime, end_at: datetime.datetime, *related: str
):
    """Each history row recorded in the period, with the row before it of the same record."""
    touched = History.objects.filter(
        in_scope, history_date__gte=start_at, history_date__lt=end_at
    ).values("id")
    # Every version up to the end of the period of each record changed in it: the version
    # before a change is what the change is compared with.
    versions = (
        History.objects.filter(id__in=touched, history_date__lt=end_at)
        .select_related("history_user", *related)
        .order_by("id", "history_date", "history_id")
    )
    before = None
    for version in versions:
        previous = before if before is not None and before.id == version.id else None
        before = version
        if version.history_date >= start_at:
            yield previous, version


def obligation_changes(
    scope: QuerySet, by_pk: dict[int, Row], start_at: datetime.datetime, end_at: datetime.datetime
) -> list[Change]:
    """Creations, status changes, moved deadlines and new lead owners recorded in the period."""
    changes = []
    for previous, version in versions_in_period(
        Obligation.history.model, Q(id__in=scope.values("pk")), start_at, end_at, "lead_owner"
    ):
        row, who = by_pk.get(version.id), user_name(version.history_user)
        if row is None:
            # Created after the rows were read, by someone saving while the report is built.
            continue
        for what, old, new in version_changes(previous, version):
            changes.append(Change(version.history_date, row, what, old, new, who))
    return changes


def version_changes(previous, version) -> list[tuple[str, str, str]]:
    """What differs between two versions of an obligation, as (what, old, new)."""
    if version.history_type == "+" or previous is None:
        return [
            (
                CREATED,
                "",
                f"Frist: {window_text(version.due_start, version.due_end)}",
            )
        ]
    found = []
    if version.status != previous.status:
        found.append((STATUS_CHANGED, status_name(previous.status), status_name(version.status)))
    elif version.closure_confirmed and not previous.closure_confirmed:
        found.append((CLOSURE_CONFIRMED, "", status_name(version.status)))
    if (version.due_start, version.due_end) != (previous.due_start, previous.due_end):
        found.append(
            (
                DUE_MOVED,
                window_text(previous.due_start, previous.due_end),
                window_text(version.due_start, version.due_end),
            )
        )
    if version.lead_owner_id != previous.lead_owner_id:
        found.append(
            (OWNER_CHANGED, party_name(previous.lead_owner), party_name(version.lead_owner))
        )
    return found


def report_author(version) -> str:
    """Who wrote a version of a report: the contact who answered in a round, the user who
    saved it, or (written outside a request: a command, the loader) its author."""
    if version.contact_id and version.contact:
        return f"{version.contact.name} ({party_name(version.contact.party)})"
    return user_name(version.history_user or version.author)


def report_text(version) -> str:
    when = version.effective_from or timezone.localdate(version.reported_at)
    text = Truncator(version.text).chars(TEXT_EXCERPT) if version.text else "(ingen tekst)"
    return f"{status_name(version.status)} ({when:%d.%m.%Y}): {text}"


def report_changes(
    scope: QuerySet, by_pk: dict[int, Row], start_at: datetime.datetime, end_at: datetime.datetime
) -> list[Change]:
    """Status reports written, corrected or deleted in the period."""
    changes = []
    for previous, version in versions_in_period(
        StatusReport.history.model,
        Q(obligation_id__in=scope.values("pk")),
        start_at,
        end_at,
        "author",
        "contact__party",
    ):
        row, who = by_pk.get(version.obligation_id), user_name(version.history_user)
        if row is None:  # as above: its obligation is newer than the rows
            continue
        if version.history_type == "-":
            what, old, new = REPORT_DELETED, report_text(version), ""
        elif version.history_type == "+" or previous is None:
            what, old, new = NEW_REPORT, "", report_text(version)
            who = report_author(version)
        elif (version.status, version.text, version.effective_at) != (
            previous.status,
            previous.text,
            previous.effective_at,
        ):
            what, old, new = REPORT_CORRECTED, report_text(previous), report_text(version)
        else:
            continue
        changes.append(Change(version.history_date, row, what, old, new, who))
    return changes
