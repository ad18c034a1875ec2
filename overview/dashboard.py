"""What a coordinator sees first: their party's obligations that need attention.

Everything is counted and listed in the database (aggregates, limited lists), so the front
page takes a constant number of queries however many obligations there are.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from agreements.models import Agreement, Obligation
from agreements.status import Status, status_light
from common import roles
from common.display import Capped, changed_by
from followup.completion import awaiting_review
from followup.models import StatusReport
from meetings.charts import Bar
from meetings.models import Meeting

LIST_LENGTH = 10
CHANGES = 15


@dataclass
class Listing:
    title: str
    obligations: Capped
    link: str


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


def _listing(title: str, queryset: QuerySet, link: str) -> Listing:
    ordered = queryset.select_related("agreement", "lead_owner").order_by("due_end", "pk")
    return Listing(title, Capped.of_query(ordered, LIST_LENGTH), link)


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
    admin = "/admin/agreements/obligation/"
    awaiting = Obligation.objects.filter(
        pk__in=awaiting_review().filter(obligation__in=scope).values("obligation_id")
    )
    meeting = (
        Meeting.objects.filter(forum__slug="taskforce", date__gte=today).order_by("date").first()
    )
    return {
        "all_parties": everything,
        "overdue": _listing("Overskredet", open_scope.filter(due_end__lt=today),
                            f"{admin}?frist=overskredet"),
        "due_soon": _listing(
            "Forfalder inden for 30 dage",
            open_scope.filter(due_end__gte=today, due_end__lte=today + datetime.timedelta(30)),
            f"{admin}?frist=30",
        ),
        "awaiting": _listing(
            "Anmeldt afsluttet, ikke bekræftet", awaiting, f"{admin}?status=faerdiggjort"
        ),
        "changes": recent_changes(scope, everything),
        "counts": status_counts(scope),
        "statuses": [s.label for s in Status],
        "bars": status_bars(scope),
        "next_meeting": meeting,
    }  # fmt: skip
