"""What is published: the one home of what the public may see, for the public pages, the
JSON and the CSV alike.

Public is an agreement the secretariat has published (`agreements.publishing`), its
initiatives, and for each obligation: its action, the quote, its owners as parties, its
deadline window, and its last confirmed state. A status report counts for the public when
its status is open, or when it is a closing status the secretariat has confirmed: a claim
awaiting review (or sent back) is not shown, the state before it is. A report's text and
evidence are shown only when the secretariat has marked the report public. People, e-mail
addresses, contacts, forums and internal notes never are.

Every function here runs a fixed number of queries, however many obligations there are.
"""

import csv
import datetime
import io
import json
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, Obligation, Party
from agreements.publishing import published_agreements
from agreements.status import (
    OPEN,
    OVERDUE_SYMBOL,
    STATUS_SYMBOLS,
    Status,
    is_overdue,
    status_label,
    status_symbol,
)
from common.spreadsheets import spreadsheet_safe
from tracker.models import StatusReport

# The symbols' key, for the foot of every page: each status's symbol and its words.
LEGEND = [
    *((STATUS_SYMBOLS[s], s.label.lower()) for s in Status if s in OPEN),
    (OVERDUE_SYMBOL, "overskredet"),
    *((STATUS_SYMBOLS[s], s.label.lower()) for s in Status if s not in OPEN),
]


def public_reports():
    """Reports the public may know the status of: open statuses, and confirmed closings."""
    return StatusReport.objects.filter(Q(status__in=OPEN) | Q(confirmed_at__isnull=False))


def _latest_public_report():
    return public_reports().filter(obligation=OuterRef("pk")).order_by("-reported_at", "-pk")


def published_obligations(agreement: Agreement | None = None):
    """The obligations of published agreements, each with `public_status` and the moment it
    holds from (`public_status_at`)."""
    # The obligation keeps its latest report's status; that is the public one unless it
    # is a closing status not (yet) confirmed. Only then is the report before it looked up.
    current_is_public = Q(status__in=OPEN) | Q(closure_confirmed=True)
    latest = _latest_public_report()
    obligations = Obligation.objects.filter(agreement__published_at__isnull=False)
    if agreement is not None:
        obligations = obligations.filter(agreement=agreement)
    return obligations.annotate(
        public_status=Case(
            When(current_is_public, then=F("status")),
            default=Coalesce(Subquery(latest.values("status")[:1]), Value(Status.NOT_STARTED)),
        ),
        public_status_at=Case(
            When(current_is_public, then=F("status_changed_at")),
            default=Subquery(latest.values("effective_at")[:1]),
        ),
    )


@dataclass(frozen=True)
class PublicStatus:
    status: str
    label: str
    symbol: str
    overdue: bool
    on: datetime.date | None  # the day the status holds from
    text: str  # only when the report is marked public
    evidence_url: str
    evidence_file: str  # the public address of the evidence file, if public


def public_status(
    status: str, due_end, at: datetime.datetime | None, report: dict | None, today
) -> PublicStatus:
    overdue = is_overdue(status, due_end, today)
    label = status_label(status, confirmed=True)
    report = report or {}
    return PublicStatus(
        status=status,
        label=f"{label}, overskredet" if overdue else label,
        symbol=status_symbol(status, overdue),
        overdue=overdue,
        on=timezone.localdate(at) if at else None,
        text=report.get("text", ""),
        evidence_url=report.get("evidence_url", ""),
        evidence_file=(
            reverse("publication:evidence", args=[report["pk"]])
            if report.get("evidence_file")
            else ""
        ),
    )


@dataclass(frozen=True)
class PublicObligation:
    pk: int
    agreement_slug: str
    agreement: str
    initiative: str
    key: str
    action: str
    quote: str
    owners: list[str]
    phrase: str
    due_start: datetime.date | None
    due_end: datetime.date | None
    status: PublicStatus

    @property
    def url(self) -> str:
        return reverse("publication:obligation", args=[self.agreement_slug, self.key])

    @property
    def due_start_or_end(self):
        return self.due_start or self.due_end

    def as_row(self) -> dict:
        """The open data's row: the fields of `FIELDS`, in their order."""
        return {
            "aftale": self.agreement_slug,
            "aftale_titel": self.agreement,
            "initiativ": self.initiative,
            "noegle": self.key,
            "handling": self.action,
            "citat": self.quote,
            "ansvarlige": self.owners,
            "tidsudtryk": self.phrase,
            "frist_fra": self.due_start.isoformat() if self.due_start else None,
            "frist": self.due_end.isoformat() if self.due_end else None,
            "status": self.status.status,
            "status_tekst": self.status.label,
            "overskredet": self.status.overdue,
            "status_dato": self.status.on.isoformat() if self.status.on else None,
            "status_beskrivelse": self.status.text,
            "dokumentation": self.status.evidence_url,
            "adresse": self.url,
        }


# The open data's fields, described on a page of their own (`public:fields`).
FIELDS = [
    ("aftale", "Aftalens faste kortnavn, som i adresserne, fx kraeftplan-iv."),
    ("aftale_titel", "Aftalens titel."),
    ("initiativ", "Initiativet i aftalen, forpligtelsen hører under (nummer og titel), eller tom."),
    ("noegle", "Forpligtelsens faste nøgle i aftalen; sammen med aftale entydig og stabil."),
    ("handling", "Hvad der skal ske, kort."),
    ("citat", "Sætningen i aftalen, ordret."),
    ("ansvarlige", "De ansvarlige parter, den ledende først (i CSV adskilt af »; «)."),
    ("tidsudtryk", "Aftalens eget udtryk for tiden, fx »medio november 2023«."),
    ("frist_fra", "Første dag i tidsvinduet (ÅÅÅÅ-MM-DD), eller tom."),
    ("frist", "Sidste dag i tidsvinduet: fristen (ÅÅÅÅ-MM-DD), eller tom for en relativ frist."),
    ("status", "Den seneste bekræftede status som kode: ikke_igangsat, igangsat, i_risiko, "
               "forsinket, faerdiggjort, videreført eller bortfaldet. En afslutning, som "
               "sekretariatet ikke har bekræftet endnu, vises ikke; status før den gør."),
    ("status_tekst", "Status i ord, med »overskredet« når fristen er passeret og "
                     "forpligtelsen ikke er afsluttet."),
    ("overskredet", "true, når fristen er passeret og forpligtelsen ikke er afsluttet."),
    ("status_dato", "Den dag status gælder fra (ÅÅÅÅ-MM-DD), eller tom uden statusrapport."),
    ("status_beskrivelse", "Statusrapportens tekst, når sekretariatet har gjort den offentlig; "
                           "ellers tom."),
    ("dokumentation", "Link til dokumentation, når sekretariatet har gjort rapporten "
                      "offentlig; ellers tom."),
    ("adresse", "Forpligtelsens offentlige side på dette websted."),
]  # fmt: skip


def _owners(obligations) -> dict[int, list[str]]:
    """Each obligation's owners by name, the lead first (one query for the co-owners)."""
    co_owners = defaultdict(list)
    through = Obligation.co_owners.through.objects.filter(obligation__in=obligations.values("pk"))
    for obligation_id, name in through.values_list("obligation_id", "party__name").order_by(
        "party__name"
    ):
        co_owners[obligation_id].append(name)
    return co_owners


def _public_texts(obligations) -> dict[int, dict]:
    """The reports of these obligations that the secretariat made public, by id: one query
    (the few the secretariat chose, whether or not any is current)."""
    reports = public_reports().filter(public=True, obligation__in=obligations.values("pk"))
    return {r["pk"]: r for r in reports.values("pk", "text", "evidence_url", "evidence_file")}


PUBLIC_ORDER = ("agreement__year", "agreement__date", "agreement_id", "initiative__order",
                "order", "due_end", "pk")  # fmt: skip


def obligation_list(obligations, today: datetime.date | None = None) -> list[PublicObligation]:
    """The obligations (from `published_obligations`) as the public sees them, in three
    queries: the rows, their co-owners, and the texts the secretariat made public."""
    today = today or timezone.localdate()
    rows = list(
        obligations.annotate(public_report_id=Subquery(_latest_public_report().values("pk")[:1]))
        .select_related("agreement", "initiative", "lead_owner")
        .order_by(*PUBLIC_ORDER)
    )
    co_owners = _owners(obligations)
    texts = _public_texts(obligations)
    return [
        PublicObligation(
            pk=o.pk,
            agreement_slug=o.agreement.slug,
            agreement=o.agreement.title,
            initiative=str(o.initiative) if o.initiative else "",
            key=o.key,
            action=o.action,
            quote=o.quote,
            owners=[
                o.lead_owner.name,
                *[n for n in co_owners.get(o.pk, []) if n != o.lead_owner.name],
            ],
            phrase=o.phrase,
            due_start=o.due_start,
            due_end=o.due_end,
            status=public_status(
                o.public_status,
                o.due_end,
                o.public_status_at,
                texts.get(o.public_report_id),
                today,
            ),
        )
        for o in rows
    ]


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    symbol: str
    count: int


@dataclass(frozen=True)
class AgreementSummary:
    agreement: Agreement
    total: int
    overdue: int
    counts: list[StatusCount]

    @property
    def url(self) -> str:
        return reverse("publication:agreement", args=[self.agreement.slug])


def agreement_summaries(today: datetime.date | None = None) -> list[AgreementSummary]:
    """Each published agreement with how many of its obligations stand at each status and
    how many are overdue (three queries, however many agreements and obligations)."""
    today = today or timezone.localdate()
    agreements = list(published_agreements().order_by("-year", "-date", "title"))
    per_status = defaultdict(dict)
    rows = published_obligations().values("agreement_id", "public_status").annotate(n=Count("pk"))
    for row in rows.order_by():
        per_status[row["agreement_id"]][row["public_status"]] = row["n"]
    overdue = dict(
        published_obligations()
        .filter(public_status__in=OPEN, due_end__lt=today)
        .values_list("agreement_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        AgreementSummary(
            agreement=agreement,
            total=sum(per_status[agreement.pk].values()),
            overdue=overdue.get(agreement.pk, 0),
            counts=[
                StatusCount(s, status_label(s, confirmed=True), status_symbol(s), n)
                for s in Status
                if (n := per_status[agreement.pk].get(s))
            ],
        )
        for agreement in agreements
    ]


def published_agreement(slug: str) -> Agreement | None:
    return published_agreements().filter(slug=slug).prefetch_related("initiatives").first()


def agreement_parties(agreement: Agreement) -> list[Party]:
    return list(agreement.parties.order_by("name"))


def obligation_history(obligation: PublicObligation) -> list[PublicStatus]:
    """The obligation's status history as the public may see it, newest first: only
    reports of an open status or of a confirmed closing, text only where it is public."""
    reports = public_reports().filter(obligation_id=obligation.pk).order_by("-reported_at", "-pk")
    history = []
    for report in reports.values(
        "pk", "status", "effective_at", "public", "text", "evidence_url", "evidence_file"
    ):
        shown = report if report["public"] else None
        # Overdue is a property of the current state, not of a past report.
        history.append(public_status(report["status"], None, report["effective_at"], shown, None))
    return history


def published_obligation(slug: str, key: str) -> PublicObligation | None:
    obligations = published_obligations().filter(agreement__slug=slug, key=key)
    found = obligation_list(obligations)
    return found[0] if found else None


def public_evidence(report_pk: int) -> StatusReport | None:
    """A report's evidence file, if the public may have it: a public report counting for the
    public, with a file, on an obligation of a published agreement."""
    return (
        public_reports()
        .filter(pk=report_pk, public=True, obligation__agreement__published_at__isnull=False)
        .exclude(evidence_file="")
        .first()
    )


def as_json(obligations: list[PublicObligation]) -> bytes:
    rows = [o.as_row() for o in obligations]
    return json.dumps(rows, ensure_ascii=False, indent=1).encode() + b"\n"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(value)
    return spreadsheet_safe(value)


def as_csv(obligations: list[PublicObligation]) -> bytes:
    """One row per obligation, the columns of `FIELDS`; a cell a spreadsheet would run as a
    formula gets a leading apostrophe (`common.spreadsheets`)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name for name, _ in FIELDS])
    for obligation in obligations:
        row = obligation.as_row()
        writer.writerow([_cell(row[name]) for name, _ in FIELDS])
    # With a byte-order mark Excel opens the file as UTF-8 and keeps æ, ø and å.
    return out.getvalue().encode("utf-8-sig")
