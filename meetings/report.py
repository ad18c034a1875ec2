"""The status report for a forum's meeting: one object for the page, the PDF and the command.

The report is for one day, the meeting's, and covers the period since the forum's previous
meeting. Everything in it is "as of the meeting day": an obligation's status is that of its
latest status report dated on or before that day (the same rule as `Obligation.status`, read
at a date), so that a report printed again later still says what it said. The changes come
from the history (`Obligation.history`, `StatusReport.history`): what was recorded in the
tracker during the period, with who recorded it and when.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import Truncator

from agreements.dates import window_text
from agreements.models import Agreement, Forum, Obligation, Party
from agreements.status import CLOSED, Light, Status, is_overdue, status_label, traffic_light
from common.display import Capped, changed_by
from meetings.models import Meeting, next_meeting, previous_meeting
from tracker.models import ANSWER_GIVEN, ANSWER_NONE, ANSWER_UNCHANGED, StatusReport, StatusRound

DEFAULT_FORUM_SLUG = "taskforce"
# A forum's first meeting has no previous one to count from: its report looks this far back.
FIRST_MEETING_LOOKBACK = datetime.timedelta(days=90)
# With no next meeting recorded, "due before the next meeting" looks this far ahead.
DEFAULT_HORIZON = datetime.timedelta(days=90)
# The timeline shows milestones this far either side of the meeting, at most this many.
TIMELINE_REACH = datetime.timedelta(days=183)
TIMELINE_MAX_ROWS = 40
TEXT_EXCERPT = 240
# Past this many obligations in the selection, "status per agreement and initiative" gives
# counts per initiative; each list shows at most LIST_LIMIT rows.
DETAIL_LIMIT = 300
LIST_LIMIT = 250
# Obligations created together (one agreement's, by one person, on one day) are one line of
# the changes when there are more than this many: a loaded agreement is one event, not pages.
BATCH_LISTED = 3
OPEN_STATUSES = [s for s in Status if s not in CLOSED]


ANSWERED = (ANSWER_GIVEN, ANSWER_UNCHANGED)


class UnknownFilter(ValueError):
    """Slugs in a filter that name no agreement or party."""

    def __init__(self, kind: str, slugs: list[str]):
        self.kind, self.slugs = kind, slugs
        super().__init__(f"unknown {kind}: {', '.join(slugs)}")


@dataclass(frozen=True)
class Period:
    """The days a report covers, both included, and how far it looks ahead."""

    since: datetime.date
    until: datetime.date
    horizon: datetime.date
    previous: Meeting | None
    next: Meeting | None

    @property
    def is_first_meeting(self) -> bool:
        return self.previous is None


@dataclass
class Row:
    """An obligation as the report shows it, with its status as of the meeting day."""

    pk: int
    action: str
    agreement: str
    agreement_id: int
    initiative: str
    initiative_id: int | None
    owners: list[str]
    phrase: str
    due_start: datetime.date | None
    due_end: datetime.date | None
    status: str
    overdue: bool
    light: Light
    latest_text: str
    latest_at: datetime.datetime | None
    informs_forum: bool
    url: str
    # A closing status confirmed by the secretariat by the meeting day; else a claim.
    confirmed: bool = False
    # In the status round before the meeting: besvaret, uændret or ikke besvaret; "" when
    # there is no round or it did not ask about the obligation.
    round_answer: str = ""

    @property
    def status_label(self) -> str:
        label = status_label(self.status, confirmed=self.confirmed)
        return f"{label} – overskredet" if self.overdue else label

    @property
    def window(self) -> str:
        return window_text(self.due_start, self.due_end)


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
    def of(cls, changes: list[Change]) -> "NewObligations":
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


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    light: Light
    count: int


@dataclass(frozen=True)
class AgreementCount:
    agreement: str
    counts: list[int]  # in the order of Status
    overdue: int
    total: int


@dataclass
class InitiativeSection:
    title: str
    rows: list[Row] = field(default_factory=list)

    @property
    def counts(self) -> list[tuple[str, int]]:
        """How many of the initiative's obligations have each status, and how many are late."""
        by_status = Counter(row.status for row in self.rows)
        counts = [(status_name(s), by_status[s]) for s in Status if by_status[s]]
        overdue = sum(1 for row in self.rows if row.overdue)
        return [*counts, ("Overskredet", overdue)] if overdue else counts


@dataclass
class AgreementSection:
    title: str
    initiatives: list[InitiativeSection] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(i.rows) for i in self.initiatives)


@dataclass
class Report:
    forum: Forum
    date: datetime.date
    meeting: Meeting | None
    period: Period
    agreement_filter: list[Agreement]
    owner_filter: list[Party]
    total: int
    overdue_count: int
    status_counts: list[StatusCount]
    agreement_counts: list[AgreementCount]
    overdue: list[Row]
    due_soon: list[Row]
    changes: list[Change]
    for_information: list[Row]
    sections: list[AgreementSection]
    timeline: list[Row]
    timeline_start: datetime.date
    timeline_end: datetime.date
    timeline_left_out: int
    built_at: datetime.datetime
    status_round: StatusRound | None = None
    # What the round did not get an answer to, by owning party: (party, rows).
    round_unanswered: list[tuple[str, list[Row]]] = field(default_factory=list)

    @property
    def round_answered(self) -> int:
        return sum(1 for r in self.sections_rows() if r.round_answer in ANSWERED)

    @property
    def round_asked(self) -> int:
        return sum(1 for r in self.sections_rows() if r.round_answer)

    def sections_rows(self):
        for section in self.sections:
            for initiative in section.initiatives:
                yield from initiative.rows

    @property
    def is_preview(self) -> bool:
        return self.meeting is None

    # A national selection holds thousands of obligations. Past these limits the lists
    # show the first ones and say how many more there are, and the status per initiative
    # is given as counts, so that the printed report stays readable; a filter on agreement
    # or owner gives the full lists.
    @property
    def detailed(self) -> bool:
        return self.total <= DETAIL_LIMIT

    @property
    def overdue_capped(self) -> Capped:
        return Capped.of(self.overdue, LIST_LIMIT)

    @property
    def due_soon_capped(self) -> Capped:
        return Capped.of(self.due_soon, LIST_LIMIT)

    @cached_property
    def changes_capped(self) -> Capped:
        """The changes as the report lists them. In a detailed report, obligations created
        together are one line; past the detail limit, the counts per agreement
        (`change_counts`) stand for new obligations and new status reports, and the list
        gives the rest: status changes, moved deadlines, new owners, corrections."""
        if self.detailed:
            lines = batch_creations(self.changes)
        else:
            lines = [c for c in self.changes if c.what not in (CREATED, NEW_REPORT)]
        return Capped.of(lines, LIST_LIMIT)

    @property
    def counted_changes_lead(self) -> str:
        """What the changes section says past the detail limit (page, PDF and Word)."""
        return (
            f"Udvalget rummer {self.total} forpligtelser, så nye forpligtelser og nye "
            "statusrapporter gives som antal pr. aftale; statusændringer, flyttede frister, "
            "nye ansvarlige og rettelser står enkeltvis herunder."
        )

    @cached_property
    def _change_whats(self) -> list[str]:
        """The kinds of change recorded in the period, in CHANGE_KINDS' order."""
        found = {c.what for c in self.changes}
        return [what for what in CHANGE_KINDS if what in found]

    @property
    def change_kinds(self) -> list[str]:
        """The headings of the kinds of change recorded in the period."""
        return [CHANGE_KINDS[what] for what in self._change_whats]

    @cached_property
    def change_counts(self) -> list[ChangeCount]:
        """How many changes of each kind each agreement had in the period."""
        by_agreement = defaultdict(Counter)
        for change in self.changes:
            by_agreement[change.agreement][change.what] += 1
        return [
            ChangeCount(agreement, [counts[what] for what in self._change_whats])
            for agreement, counts in sorted(by_agreement.items())
        ]

    @property
    def for_information_capped(self) -> Capped:
        return Capped.of(self.for_information, LIST_LIMIT)

    @property
    def filename_stem(self) -> str:
        return f"statusrapport-{self.forum.slug}-{self.date.isoformat()}"


def default_forum() -> Forum:
    return Forum.objects.get(slug=DEFAULT_FORUM_SLUG)


def find_filters(
    agreement_slugs: Iterable[str] = (), owner_slugs: Iterable[str] = ()
) -> tuple[list[Agreement], list[Party]]:
    """The agreements and parties that the slugs name; UnknownFilter names any that don't."""
    agreement_slugs, owner_slugs = set(agreement_slugs), set(owner_slugs)
    agreements = list(Agreement.objects.filter(slug__in=agreement_slugs)) if agreement_slugs else []
    owners = list(Party.objects.filter(slug__in=owner_slugs)) if owner_slugs else []
    for kind, slugs, found in (
        ("agreement", agreement_slugs, agreements),
        ("owner", owner_slugs, owners),
    ):
        missing = sorted(slugs - {obj.slug for obj in found})
        if missing:
            raise UnknownFilter(kind, missing)
    return agreements, owners


def build_report(
    meeting_or_date: Meeting | datetime.date,
    forum: Forum | None = None,
    agreements: Iterable[Agreement] | None = None,
    owners: Iterable[Party] | None = None,
) -> Report:
    """The report for a recorded meeting, or for a day as if the forum met then."""
    if isinstance(meeting_or_date, Meeting):
        meeting, forum, date = meeting_or_date, meeting_or_date.forum, meeting_or_date.date
    else:
        date, forum = meeting_or_date, forum or default_forum()
        meeting = Meeting.objects.filter(forum=forum, date=date).first()
    agreements, owners = list(agreements or []), list(owners or [])
    period = find_period(forum, date)

    scope = obligations_in_scope(date, agreements, owners)
    annotated = annotate_as_of(scope, date, forum)
    rows = load_rows(annotated, date)
    by_pk = {row.pk: row for row in rows}
    status_counts, agreement_counts, overdue_count = count_statuses(annotated, date, rows)
    timeline_start, timeline_end = date - TIMELINE_REACH, date + TIMELINE_REACH
    timeline, left_out = pick_timeline(rows, date, timeline_start, timeline_end)
    status_round, round_unanswered = add_round_answers(forum, date, rows)
    start_at, end_at = day_start(period.since), day_start(period.until + datetime.timedelta(1))

    return Report(
        forum=forum,
        date=date,
        meeting=meeting,
        period=period,
        agreement_filter=agreements,
        owner_filter=owners,
        total=len(rows),
        overdue_count=overdue_count,
        status_counts=status_counts,
        agreement_counts=agreement_counts,
        overdue=sorted(
            (r for r in rows if r.overdue), key=lambda r: (r.due_end, r.agreement, r.action)
        ),
        due_soon=sorted(
            (
                r
                for r in rows
                if r.status not in CLOSED and r.due_end and date <= r.due_end <= period.horizon
            ),
            key=lambda r: (r.due_end, r.agreement, r.action),
        ),
        changes=sorted(
            [
                *obligation_changes(scope, by_pk, start_at, end_at),
                *report_changes(scope, by_pk, start_at, end_at),
            ],
            key=lambda c: (c.at, c.obligation.action),
        ),
        for_information=sorted(
            (r for r in rows if r.informs_forum and due_in(r, period.since, period.until)),
            key=lambda r: (r.due_end, r.agreement, r.action),
        ),
        sections=group_by_agreement(rows),
        timeline=timeline,
        timeline_start=timeline_start,
        timeline_end=timeline_end,
        timeline_left_out=left_out,
        built_at=timezone.now(),
        status_round=status_round,
        round_unanswered=round_unanswered,
    )


def add_round_answers(
    forum: Forum, date: datetime.date, rows: list[Row]
) -> tuple[StatusRound | None, list[tuple[str, list[Row]]]]:
    """Mark each row with its answer in the round before the meeting (if there is one),
    and list what was not answered by owning party (lead and co-owners)."""
    status_round = StatusRound.objects.filter(forum=forum, meeting_date=date).first()
    if status_round is None:
        return None, []
    answers = {
        item.obligation_id: item.answer
        for item in status_round.items.select_related("report").only(
            "obligation_id", "answered_at", "report__unchanged"
        )
    }
    unanswered = defaultdict(list)
    for row in rows:
        row.round_answer = answers.get(row.pk, "")
        if row.round_answer == ANSWER_NONE:
            for owner in row.owners:
                unanswered[owner].append(row)
    return status_round, sorted(unanswered.items())


def find_period(forum: Forum, date: datetime.date) -> Period:
    previous, following = previous_meeting(forum, date), next_meeting(forum, date)
    since = previous.date if previous else date - FIRST_MEETING_LOOKBACK
    horizon = following.date - datetime.timedelta(1) if following else date + DEFAULT_HORIZON
    return Period(since=since, until=date, horizon=horizon, previous=previous, next=following)


def day_start(date: datetime.date) -> datetime.datetime:
    """Midnight at the start of the day, in the project's time zone."""
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))


def obligations_in_scope(
    date: datetime.date, agreements: list[Agreement], owners: list[Party]
) -> QuerySet:
    """The filtered obligations of the agreements made by the meeting day."""
    made_by_then = Q(agreement__date__lte=date) | Q(
        agreement__date__isnull=True, agreement__year__lte=date.year
    )
    scope = Obligation.objects.filter(made_by_then)
    if agreements:
        scope = scope.filter(agreement__in=agreements)
    if owners:
        scope = scope.owned_by(owners)
    return scope


def annotate_as_of(scope: QuerySet, date: datetime.date, forum: Forum) -> QuerySet:
    """Each obligation's status, latest report text and forum membership on the day."""
    # The report registered last among those that hold by the end of the day: a report the
    # secretariat dated earlier counts from that day, and a later one is not yet known.
    day_after = day_start(date + datetime.timedelta(1))
    reports = StatusReport.objects.filter(
        obligation=OuterRef("pk"), effective_at__lt=day_after
    ).order_by("-reported_at", "-pk")
    return scope.annotate(
        status_then=Coalesce(Subquery(reports.values("status")[:1]), Value(Status.NOT_STARTED)),
        latest_text=Subquery(reports.values("text")[:1]),
        latest_at=Subquery(reports.values("effective_at")[:1]),
        latest_confirmed_at=Subquery(reports.values("confirmed_at")[:1]),
        informs_forum=Exists(
            Obligation.forums.through.objects.filter(obligation=OuterRef("pk"), forum=forum)
        ),
    )


def load_rows(annotated: QuerySet, date: datetime.date) -> list[Row]:
    obligations = (
        annotated.select_related("agreement", "initiative", "lead_owner")
        .prefetch_related(Prefetch("co_owners", queryset=Party.objects.order_by("name")))
        .order_by(
            "agreement__year",
            F("agreement__date").asc(nulls_last=True),
            "agreement__title",
            "agreement_id",
            F("initiative__order").asc(nulls_last=True),
            "initiative_id",
            "order",
            F("due_end").asc(nulls_last=True),
            "pk",
        )
    )
    return [make_row(ob, date) for ob in obligations]


def party_name(party: Party) -> str:
    return party.short_name or party.name


def make_row(ob: Obligation, date: datetime.date) -> Row:
    status = ob.status_then
    return Row(
        pk=ob.pk,
        action=ob.action,
        agreement=str(ob.agreement),
        agreement_id=ob.agreement_id,
        initiative=str(ob.initiative) if ob.initiative else "",
        initiative_id=ob.initiative_id,
        owners=[party_name(p) for p in ob.owners],
        phrase=ob.phrase,
        due_start=ob.due_start,
        due_end=ob.due_end,
        status=status,
        overdue=is_overdue(status, ob.due_end, date),
        light=traffic_light(status, ob.due_end, date),
        latest_text=ob.latest_text or "",
        latest_at=ob.latest_at,
        informs_forum=ob.informs_forum,
        url=ob.get_absolute_url(),
        confirmed=bool(
            ob.latest_confirmed_at and timezone.localdate(ob.latest_confirmed_at) <= date
        ),
    )


def count_statuses(
    annotated: QuerySet, date: datetime.date, rows: list[Row]
) -> tuple[list[StatusCount], list[AgreementCount], int]:
    """Counts per status, overall and per agreement, added up by the database."""
    groups = (
        annotated.order_by()
        .values("agreement_id", "status_then")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_end__lt=date)))
    )
    per_agreement: dict[int, dict[str, int]] = {}
    overdue: dict[int, int] = {}
    for group in groups:
        counts = per_agreement.setdefault(group["agreement_id"], {})
        counts[group["status_then"]] = group["n"]
        if group["status_then"] not in CLOSED:
            overdue[group["agreement_id"]] = overdue.get(group["agreement_id"], 0) + group["late"]
    names = {row.agreement_id: row.agreement for row in rows}
    agreement_counts = [
        AgreementCount(
            agreement=names[agreement_id],
            counts=[counts.get(s, 0) for s in Status],
            overdue=overdue.get(agreement_id, 0),
            total=sum(counts.values()),
        )
        # The rows are in agreement order; a dict keeps the first place of each.
        for agreement_id in dict.fromkeys(row.agreement_id for row in rows)
        if (counts := per_agreement.get(agreement_id))
    ]
    status_counts = [
        StatusCount(
            status=s,
            label=s.label,
            light=traffic_light(s, None, date),
            count=sum(c.get(s, 0) for c in per_agreement.values()),
        )
        for s in Status
    ]
    return status_counts, agreement_counts, sum(overdue.values())


def due_in(row: Row, first: datetime.date, last: datetime.date) -> bool:
    """The row's due window overlaps the days from first to last."""
    if row.due_end is None:
        return False
    return (row.due_start or row.due_end) <= last and row.due_end >= first


def pick_timeline(
    rows: list[Row], date: datetime.date, start: datetime.date, end: datetime.date
) -> tuple[list[Row], int]:
    """The dated milestones in the range, at most TIMELINE_MAX_ROWS of those nearest the day."""
    near = [r for r in rows if due_in(r, start, end)]
    shown = sorted(near, key=lambda r: abs((r.due_end - date).days))[:TIMELINE_MAX_ROWS]
    shown.sort(key=lambda r: (r.due_end, r.due_start or r.due_end, r.action))
    return shown, len(near) - len(shown)


def group_by_agreement(rows: list[Row]) -> list[AgreementSection]:
    sections: dict[int, AgreementSection] = {}
    initiatives: dict[tuple[int, int | None], InitiativeSection] = {}
    for row in rows:
        section = sections.setdefault(row.agreement_id, AgreementSection(title=row.agreement))
        key = (row.agreement_id, row.initiative_id)
        if key not in initiatives:
            initiatives[key] = InitiativeSection(title=row.initiative or "Uden initiativ")
            section.initiatives.append(initiatives[key])
        initiatives[key].rows.append(row)
    return list(sections.values())


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
    ):
        row, who = by_pk.get(version.obligation_id), user_name(version.history_user)
        if row is None:  # as above: its obligation is newer than the rows
            continue
        if version.history_type == "-":
            what, old, new = REPORT_DELETED, report_text(version), ""
        elif version.history_type == "+" or previous is None:
            what, old, new = NEW_REPORT, "", report_text(version)
            # Written outside a request (a command, the loader): its author wrote it.
            who = user_name(version.history_user or version.author)
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
