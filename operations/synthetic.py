"""Synthetic data at national scale, for benchmarks: parties, agreements, obligations with
windows spread over years, status reports, and the history rows that go with them.

Everything is inserted in bulk, in batches, so memory stays flat however many rows are
made. The same seed gives the same data set.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from agreements import dates
from agreements.models import Agreement, Contact, Forum, Initiative, Obligation, Party
from agreements.status import Status
from tracker.models import StatusReport

BATCH = 2_000
OBLIGATIONS_PER_AGREEMENT = 400
INITIATIVES_PER_AGREEMENT = 12

_PHRASE_TEMPLATES = [
    "primo {y}", "medio {y}", "ultimo {y}", "i {y}", "1. halvår {y}", "2. halvår {y}",
    "{q}. kvartal {y}", "foråret {y}", "efteråret {y}", "senest {m} {y}", "medio {m} {y}",
    "ultimo {m} {y}", "fra {y} til {y2}", "pr. 1. {m} {y}",
    "hurtigst muligt efter godkendelsen",
]  # fmt: skip
_MONTHS = ["januar", "marts", "maj", "juni", "september", "oktober", "november", "december"]
_ACTIONS = [
    "Oplæg udarbejdes", "Status sendes til Taskforcen", "Pulje udmøntes", "Evaluering gennemføres",
    "Retningslinjer sendes i høring", "Udbud gennemføres", "Projektet igangsættes",
    "Anbefalinger offentliggøres", "Opfølgning præsenteres", "Model implementeres",
]  # fmt: skip
_STATUS_WEIGHTS = {
    Status.NOT_STARTED: 20, Status.ON_TRACK: 35, Status.AT_RISK: 10, Status.DELAYED: 10,
    Status.DONE: 20, Status.CONTINUED: 3, Status.DROPPED: 2,
}  # fmt: skip


@dataclass
class SyntheticSummary:
    parties: int
    agreements: int
    obligations: int
    reports: int


def _phrase(rng: random.Random) -> str:
    year = rng.randint(2015, 2032)
    return rng.choice(_PHRASE_TEMPLATES).format(
        y=year, y2=year + rng.randint(1, 3), q=rng.randint(1, 4), m=rng.choice(_MONTHS)
    )


def _parties() -> list[Party]:
    """The five regions, the 98 municipalities (numbered) and a few state bodies."""
    wanted = (
        [(f"Syntetisk Region {n}", Party.Kind.REGION) for n in range(1, 6)]
        + [(f"Syntetisk Kommune {n}", Party.Kind.MUNICIPALITY) for n in range(1, 99)]
        + [(f"Syntetisk Styrelse {n}", Party.Kind.GOVERNMENT) for n in range(1, 6)]
    )
    existing = set(
        Party.objects.filter(name__startswith="Syntetisk").values_list("name", flat=True)
    )
    new = [
        Party(name=name, slug=name.lower().replace(" ", "-"), kind=kind)
        for name, kind in wanted
        if name not in existing
    ]
    bulk_create_with_history(new, Party, batch_size=BATCH)
    parties = list(Party.objects.filter(name__startswith="Syntetisk"))
    Contact.objects.bulk_create(
        [Contact(party=p, name=f"Kontakt, {p.name}", email=f"{p.slug}@example.org") for p in new],
        batch_size=BATCH,
    )
    return parties


def generate(
    obligations: int,
    reports_per_obligation: int = 2,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> SyntheticSummary:
    """Add ``obligations`` synthetic obligations (with reports and history) to the database."""
    rng = random.Random(seed)
    progress = progress or (lambda n: None)
    windows: dict[str, dates.Reading] = {}
    statuses, weights = list(_STATUS_WEIGHTS), list(_STATUS_WEIGHTS.values())
    now = timezone.now()
    with transaction.atomic():
        parties = _parties()
        forums = list(Forum.objects.all())
        agreement_count = max(1, -(-obligations // OBLIGATIONS_PER_AGREEMENT))
        start_number = Agreement.objects.filter(slug__startswith="syntetisk-").count()
        agreements = []
        for n in range(start_number + 1, start_number + agreement_count + 1):
            agreement = Agreement.objects.create(
                title=f"Syntetisk udmøntningsaftale nr. {n}",
                short_name=f"Syntetisk {n}",
                slug=f"syntetisk-{n}",
                year=rng.randint(2015, 2026),
                date_note="Syntetiske data til ydelsesmåling",
                source_text="Syntetisk aftale uden tekst.",
            )
            agreement.parties.set(rng.sample(parties, 3))
            initiatives = Initiative.objects.bulk_create(
                [
                    Initiative(agreement=agreement, label=str(i), title=f"Initiativ {i}", order=i)
                    for i in range(1, INITIATIVES_PER_AGREEMENT + 1)
                ]
            )
            agreements.append((agreement, initiatives))

        made = report_count = 0
        while made < obligations:
            size = min(BATCH, obligations - made)
            batch = []
            for i in range(made, made + size):
                agreement, initiatives = agreements[i // OBLIGATIONS_PER_AGREEMENT]
                phrase = _phrase(rng)
                reading = windows.setdefault(phrase, dates.read_phrase(phrase))
                window = reading if isinstance(reading, dates.Window) else None
                batch.append(
                    Obligation(
                        agreement=agreement,
                        initiative=rng.choice(initiatives),
                        key=f"s{i}",
                        action=rng.choice(_ACTIONS),
                        quote=f"Syntetisk forpligtelse nr. {i}: {phrase}.",
                        lead_owner=rng.choice(parties),
                        phrase=phrase,
                        due_start=window.start if window else None,
                        due_end=window.end if window else None,
                        relative_to="" if window else reading.to,
                        kind=rng.choice(Obligation.Kind.values),
                        status=Status.NOT_STARTED,
                        order=i,
                    )
                )
            created = bulk_create_with_history(batch, Obligation, batch_size=BATCH)
            if not created or created[0].pk is None:
                created = list(
                    Obligation.objects.filter(key__in=[o.key for o in batch]).order_by("pk")
                )
            _co_owners_and_forums(rng, created, parties, forums)
            report_count += _reports(rng, created, reports_per_obligation, statuses, weights, now)
            made += size
            progress(size)
    if connection.vendor == "postgresql":
        # A bulk load outruns autovacuum: refresh the planner's statistics now, as after any
        # bulk load, or the next queries are planned for the tables as they were.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return SyntheticSummary(len(parties), len(agreements), made, report_count)


def _co_owners_and_forums(rng, obligations, parties, forums) -> None:
    co_owner = Obligation.co_owners.through
    forum = Obligation.forums.through
    co_owner.objects.bulk_create(
        [
            co_owner(obligation_id=o.pk, party_id=rng.choice(parties).pk)
            for o in obligations
            if rng.random() < 0.3
        ],
        ignore_conflicts=True,
    )
    if forums:
        forum.objects.bulk_create(
            [
                forum(obligation_id=o.pk, forum_id=rng.choice(forums).pk)
                for o in obligations
                if rng.random() < 0.2
            ],
            ignore_conflicts=True,
        )


def _reports(rng, obligations, per_obligation, statuses, weights, now) -> int:
    """Status reports spread over the last years; the latest is the obligation's status."""
    reports, latest = [], {}
    for o in obligations:
        for _ in range(rng.randint(0, 2 * per_obligation)):
            when = now - datetime.timedelta(days=rng.randint(0, 3 * 365))
            status = rng.choices(statuses, weights)[0]
            reports.append(
                StatusReport(
                    obligation=o,
                    reported_at=when,
                    effective_at=when,
                    status=status,
                    text="Syntetisk status.",
                )
            )
            if o.pk not in latest or latest[o.pk][0] < when:
                latest[o.pk] = (when, status)
    bulk_create_with_history(reports, StatusReport, batch_size=BATCH)
    for o in obligations:
        if o.pk in latest:
            o.status_changed_at, o.status = latest[o.pk]
    Obligation.objects.bulk_update(
        [o for o in obligations if o.pk in latest],
        ["status", "status_changed_at"],
        batch_size=BATCH,
    )
    return len(reports)
