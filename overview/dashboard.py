"""What a coordinator sees first: their party's obligations that need attention.

Everything is counted and listed in the database (aggregates, limited lists), so the front
page takes a constant number of queries however many obligations there are.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, Obligation
from agreements.status import Status, status_light
from common import roles
from common.display import Capped, changed_by, count_per_group
from meetings.charts import Bar
from meetings.models import Meeting
from tracker.completion import awaiting_review
from tracker.models import StatusReport

# The summary table's rows, the agreements whose lists are shown below it, and the rows of
# each list: a national data set has hundreds of agreements.
TABLE_ROWS = 25
LISTED = 10
LIST_LENGTH = 5
CHANGES = 15
YEAR = re.compile(r"\b(19|20)\d\d\b")


@dataclass(frozen=True)
class Kind:
    """One of the front page's lists: its heading, how its count reads ("23 overskredne")
    and the filter that shows all of it on the admin's list of obligations."""

    title: str
    one: str
    many: str
    admin_filter: str

    def counted(self, n: int) -> str:
        return f"{n} {self.one if n == 1 else self.many}"


OVERDUE = Kind("Overskredet", "overskreden", "overskredne", "frist=overskredet")
DUE_SOON = Kind("Forfalder inden for 30 dage", "forfalder snart", "forfalder snart", "frist=30")
AWAITING = Kind(
    "Anmeldt afsluttet, ikke bekræftet",
    "afventer bekræftelse",
    "afventer bekræftelse",
    "status=faerdiggjort",
)
KINDS = (OVERDUE, DUE_SOON, AWAITING)


@dataclass
class Listing:
    """One list of one agreement: its first obligations, how many, and the link to all."""

    kind: Kind
    obligations: Capped
    link: str

    @property
    def title(self) -> str:
        return self.kind.title


@dataclass
class Total:
    """How many a list holds over all agreements, and the link to them all."""

    kind: Kind
    count: int
    link: str


@dataclass
class AgreementLists:
    """An agreement's lists on the front page: overdue, due soon, awaiting confirmation."""

    agreement: Agreement
    listings: list[Listing]
    # Whether the lists are shown (their first rows read), or only their counts.
    listed: bool = False

    @property
    def name(self) -> str:
        """The short name, with the agreement's year unless it names a year already:
        "Kræftplan IV (2017)", but "Udmøntning af 281 mio. kr. i 2024"."""
        name = str(self.agreement)
        return name if YEAR.search(name) else f"{name} ({self.agreement.year})"

    @property
    def total(self) -> int:
        return sum(listing.obligations.total for listing in self.listings)

    def count(self, kind: Kind) -> int:
        return next(lst.obligations.total for lst in self.listings if lst.kind == kind)

    @property
    def counts(self) -> str:
        """The counts of the lists that are not empty: "23 overskredne · 4 forfalder snart"."""
        return " · ".join(
            listing.kind.counted(listing.obligations.total)
            for listing in self.listings
            if listing.obligations.total
        )


def sees_everything(user) -> bool:
    """The secretariat, and users who coordinate for no party, see all obligations."""
    return roles.is_secretariat(user) or not roles.party_ids(user)


def scope_for(user) -> QuerySet:
    """The obligations the front page is about: the user's parties', or all (see
    sees_everything)."""
    obligations = Obligation.objects.all()
    if sees_everything(user):
        return obligations
    return obligations.owned_by(roles.party_ids(user))


def admin_list(kind: Kind, agreement: Agreement | None = None) -> str:
    """The admin's list of obligations filtered on the kind (and the agreement)."""
    query = kind.admin_filter
    if agreement is not None:
        query = f"agreement__id__exact={agreement.pk}&{query}"
    return f"{reverse('admin:agreements_obligation_changelist')}?{query}"


def agreements_in(scope: QuerySet) -> list[Agreement]:
    """The agreements with obligations in scope: the active ones first, then those closed
    out, each in the agreements' own order. Read without their texts."""
    agreements = Agreement.objects.filter(pk__in=scope.values("agreement_id")).defer("source_text")
    return sorted(agreements, key=lambda agreement: agreement.is_closed)


def lists_by_agreement(
    agreements: list[Agreement], queries: dict[Kind, QuerySet]
) -> list[AgreementLists]:
    """Each agreement's count of each list, and the first rows of the lists of the first
    LISTED agreements with anything in them: two queries a list however many agreements."""
    totals = {kind: count_per_group(query, "agreement_id") for kind, query in queries.items()}
    listed = [a.pk for a in agreements if any(totals[kind].get(a.pk) for kind in queries)][:LISTED]
    shown = {
        kind: Capped.per_group(
            query.filter(agreement_id__in=listed)
            .select_related("lead_owner")
            .order_by("due_end", "pk"),
            "agreement_id",
            LIST_LENGTH,
            totals[kind],
        )
        for kind, query in queries.items()
    }
    return [
        AgreementLists(
            agreement,
            [
                Listing(
                    kind,
                    shown[kind].get(agreement.pk) or Capped([], totals[kind].get(agreement.pk, 0)),
                    admin_list(kind, agreement),
                )
                for kind in queries
            ],
            listed=agreement.pk in listed,
        )
        for agreement in agreements
    ]


def recent_changes(scope: QuerySet, everything: bool = False) -> list:
    """The latest changes to obligations and status reports in scope, newest first.

    With everything in scope (the secretariat), the history is not filtered by it: the
    newest rows are then read off the history_date index instead of matching millions of
    history rows against every obligation.
    """
    obligations, reports = Obligation.history.all(), StatusReport.history.all()
    if not everything:
        ids = scope.values("pk")
        obligations = obligations.filter(id__in=ids)
        reports = reports.filter(obligation_id__in=ids)
    obligation_changes = list(
        obligations.select_related("history_user").order_by("-history_date")[:CHANGES]
    )
    report_changes = list(
        reports.select_related("history_user", "obligation").order_by("-history_date")[:CHANGES]
    )
    rows = [
        {
            "when": r.history_date,
            "who": changed_by(r.history_user),
            "what": {"+": "oprettet", "~": "ændret", "-": "slettet"}[r.history_type],
            "kind": "Forpligtelse",
            "action": r.action,
            "obligation_id": r.id,
        }
        for r in obligation_changes
    ] + [
        {
            "when": r.history_date,
            "who": changed_by(r.history_user),
            "what": f"statusrapport: {r.get_status_display()}",
            "kind": "Statusrapport",
            "action": r.obligation.action if r.obligation else "",
            "obligation_id": r.obligation_id,
        }
        for r in report_changes
    ]
    return sorted(rows, key=lambda row: row["when"], reverse=True)[:CHANGES]


def status_counts(scope: QuerySet) -> list[dict]:
    """Per agreement, how many obligations have each status (one grouped query)."""
    rows = (
        scope.values("agreement_id", "status")
        .annotate(n=Count("pk"))
        .order_by("agreement_id", "status")
    )
    names = dict(Agreement.objects.values_list("pk", "short_name"))
    table: dict[int, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row["agreement_id"], {})[row["status"]] = row["n"]
    return [
        {
            "agreement": names.get(agreement_id, ""),
            "counts": [counts.get(s, 0) for s in Status],
            "total": sum(counts.values()),
        }
        for agreement_id, counts in sorted(table.items(), key=lambda kv: names.get(kv[0], ""))
    ]


def status_bars(scope: QuerySet) -> list[Bar]:
    counts = dict(scope.values_list("status").annotate(n=Count("pk")).order_by())
    return [Bar(label.label, counts.get(label, 0), status_light(label)) for label in Status]


def dashboard(user, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    scope = scope_for(user)
    everything = sees_everything(user)
    # A closed agreement leaves the lists (all its obligations are closed anyway).
    open_scope = scope.open().active()
    awaiting = Obligation.objects.filter(
        pk__in=awaiting_review().filter(obligation__in=scope).values("obligation_id")
    )
    queries = {
        OVERDUE: open_scope.filter(due_end__lt=today),
        DUE_SOON: open_scope.filter(
            due_end__gte=today, due_end__lte=today + datetime.timedelta(30)
        ),
        AWAITING: awaiting,
    }
    by_agreement = lists_by_agreement(agreements_in(scope), queries)
    meeting = (
        Meeting.objects.filter(forum__slug="taskforce", date__gte=today).order_by("date").first()
    )
    return {
        "all_parties": everything,
        "kinds": KINDS,
        "agreements": Capped.of(by_agreement, TABLE_ROWS),
        "listed": [group for group in by_agreement if group.listed],
        "not_listed": sum(1 for group in by_agreement if group.total and not group.listed),
        "nothing_to_follow_up": not any(group.total for group in by_agreement),
        "totals": [
            Total(kind, sum(group.count(kind) for group in by_agreement), admin_list(kind))
            for kind in KINDS
        ],
        "changes": recent_changes(scope, everything),
        "counts": status_counts(scope),
        "statuses": [s.label for s in Status],
        "bars": status_bars(scope),
        "next_meeting": meeting,
    }
