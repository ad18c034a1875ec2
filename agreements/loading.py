"""Loading the captured agreements from the fixture files (see fixtures/README.md).

Everything is read and checked before anything is written; then it is written in
one transaction. Loading is idempotent: a record that already matches its fixture
is not saved again, so a second run writes nothing, not even history rows. Status
reports are never touched, except the ones the optional history file brings.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import models, transaction

from agreements import dates
from agreements.checks import InvalidData, check_obligation
from agreements.models import (
    Agreement,
    Contact,
    Forum,
    FundingLine,
    FundingTotal,
    Initiative,
    Obligation,
    Party,
    Series,
    phrase_reading,
)
from agreements.text import normalize_text

ALL_SIGNATORIES = "parterne"
FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass
class LoadSummary:
    counts: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def count(self, model: type[models.Model], state: str) -> None:
        self.counts[(model._meta.verbose_name_plural, state)] += 1

    @property
    def changed(self) -> int:
        return sum(n for (_, state), n in self.counts.items() if state != "uændret")

    def lines(self) -> list[str]:
        names = sorted({name for name, _ in self.counts})
        out = []
        for name in names:
            parts = [
                f"{self.counts[(name, state)]} {state}"
                for state in ("oprettet", "opdateret", "slettet", "uændret")
                if self.counts[(name, state)]
            ]
            out.append(f"{name}: {', '.join(parts)}")
        return out + self.notes


def parse_amount(value) -> Decimal:
    """Mio. kr. as written in a fixture: "0,6", "0.6", "1.100" (thousands) or a number."""
    text = str(value).strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{value!r} er ikke et beløb") from None


def read_date(value, where: str, problems: list[str]) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: {value!r} is not a date (YYYY-MM-DD)")
        return None


# libyaml's safe loader where PyYAML was built with it (its wheels are): ten times faster.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, problems: list[str]):
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=SafeLoader) or {}
    except yaml.YAMLError as error:
        problems.append(f"{path.name}: not valid YAML: {error}")
    except OSError as error:
        problems.append(f"{path.name}: cannot be read: {error}")
    return None


# --- checking -----------------------------------------------------------------------


def check_parties(data: dict, problems: list[str]) -> tuple[set[str], set[str]]:
    party_slugs, forum_slugs = set(), set()
    for index, party in enumerate(data.get("parties") or []):
        for key in ("slug", "name"):
            if not party.get(key):
                problems.append(f"parties.yaml: party #{index + 1} has no {key}")
        if party.get("kind", "andet") not in Party.Kind.values:
            problems.append(
                f"parties.yaml: party {party.get('slug')}: unknown kind {party['kind']!r}"
            )
        party_slugs.add(party.get("slug"))
    for forum in data.get("forums") or []:
        if not forum.get("slug") or not forum.get("name"):
            problems.append("parties.yaml: every forum needs a slug and a name")
        forum_slugs.add(forum.get("slug"))
    return party_slugs, forum_slugs


def check_agreement(
    name: str, data: dict, text: str | None, party_slugs: set, forum_slugs: set, problems: list
) -> None:
    where = name
    meta = data.get("agreement") or {}
    for key in ("slug", "title", "year", "source_file", "parties"):
        if not meta.get(key):
            problems.append(f"{where}: agreement has no {key}")
    if not meta.get("date") and not meta.get("date_note"):
        problems.append(f"{where}: agreement has neither a date nor a date_note saying why")
    for slug in meta.get("parties") or []:
        if slug not in party_slugs:
            problems.append(f"{where}: unknown party {slug!r} among the agreement's parties")
    if text is None:
        return
    normalized = normalize_text(text)
    initiatives = {i.get("label") or i.get("title") for i in data.get("initiatives") or []}
    series = {s.get("key") for s in data.get("series") or []}
    keys = [o.get("key") for o in data.get("obligations") or []]
    for key, n in Counter(keys).items():
        if n > 1:
            problems.append(f"{where}: obligation key {key!r} is used {n} times")
    for ob in data.get("obligations") or []:
        here = f"{where}: obligation {ob.get('key')!r}"
        check_obligation(
            here,
            ob,
            problems,
            text=normalized,
            text_name=meta.get("source_file"),
            year=meta.get("year"),
            occurrence=ob.get("occurrence"),
            read_phrase=not ob.get("window"),
        )
        if ob.get("occurrence") and not ob.get("series"):
            problems.append(f"{here}: an occurrence belongs to a series")
        for slug in ob.get("owners") or []:
            if slug != ALL_SIGNATORIES and slug not in party_slugs:
                problems.append(f"{here}: unknown owner {slug!r}")
        for slug in ob.get("forums") or []:
            if slug not in forum_slugs:
                problems.append(f"{here}: unknown forum {slug!r}")
        if ob.get("initiative") and ob["initiative"] not in initiatives:
            problems.append(f"{here}: unknown initiative {ob['initiative']!r}")
        if ob.get("series") and ob["series"] not in series:
            problems.append(f"{here}: unknown series {ob['series']!r}")
        for anchor in ob.get("anchors") or []:
            if anchor not in keys:
                problems.append(f"{here}: unknown anchor {anchor!r}")
        window = ob.get("window")
        if window:
            if not window.get("reason"):
                problems.append(f"{here}: a window set by hand needs a reason")
            start = read_date(window.get("start"), here, problems)
            end = read_date(window.get("end"), here, problems)
            if end is None:
                problems.append(f"{here}: a window set by hand needs an end")
            elif start and start > end:
                problems.append(f"{here}: the window starts after it ends")
    for index, item in enumerate(data.get("left_out") or [], start=1):
        here = f"{where}: left_out #{index}"
        if not item.get("reason"):
            problems.append(f"{here}: say why the time phrases in it are left out")
        if normalize_text(item.get("quote") or "") not in normalized or not item.get("quote"):
            problems.append(f"{here}: the quote is not found in {meta.get('source_file')}")
    check_funding(where, data.get("funding") or {}, initiatives, problems)


def check_funding(where: str, funding: dict, initiatives: set, problems: list) -> None:
    for table in funding.get("tables") or []:
        here = f"{where}: funding table {table.get('name')!r}"
        rows = {row.get("row") for row in table.get("rows") or []}
        for row in table.get("rows") or []:
            row_here = f"{here}, row {row.get('row')!r}"
            if row.get("parent") and row["parent"] not in rows:
                problems.append(f"{row_here}: unknown parent row {row['parent']!r}")
            if row.get("initiative") and row["initiative"] not in initiatives:
                problems.append(f"{row_here}: unknown initiative {row['initiative']!r}")
            if row.get("recipient_group") not in FundingLine.RecipientGroup.values:
                problems.append(
                    f"{row_here}: unknown recipient_group {row.get('recipient_group')!r}"
                )
            if row.get("channel") not in FundingLine.Channel.values:
                problems.append(f"{row_here}: unknown channel {row.get('channel')!r}")
            values = [*(row.get("amounts") or {}).values(), row.get("ongoing"), row.get("total")]
            for value in values:
                if value is None:
                    continue
                try:
                    parse_amount(value)
                except ValueError as error:
                    problems.append(f"{row_here}: {error}")
    tables = {t.get("name") for t in funding.get("tables") or []}
    for total in funding.get("totals") or []:
        if total.get("table") not in tables:
            problems.append(f"{where}: a total names the unknown table {total.get('table')!r}")
        try:
            parse_amount(total.get("amount"))
        except ValueError as error:
            problems.append(f"{where}: total {total.get('row')!r}: {error}")


# --- writing ------------------------------------------------------------------------


def upsert(
    model: type[models.Model], lookup: dict, values: dict, summary: LoadSummary
) -> models.Model:
    """Create or update one record, saving it only when something differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        summary.count(model, "oprettet")
        return obj
    changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if changed:
        for key, value in changed.items():
            setattr(obj, key, value)
        obj.save()
        summary.count(model, "opdateret")
    else:
        summary.count(model, "uændret")
    return obj


def set_m2m(manager, objects: list) -> bool:
    """Set a many-to-many relation, only when it differs."""
    wanted = {o.pk for o in objects}
    if set(manager.values_list("pk", flat=True)) == wanted:
        return False
    manager.set(objects)
    return True


def write_parties(data: dict, summary: LoadSummary) -> None:
    for party in data.get("parties") or []:
        obj = upsert(
            Party,
            {"slug": party["slug"]},
            {
                "name": party["name"],
                "short_name": party.get("short_name", ""),
                "kind": party.get("kind", Party.Kind.OTHER),
                "aliases": "\n".join(party.get("aliases") or []),
            },
            summary,
        )
        for contact in party.get("contacts") or []:
            upsert(
                Contact,
                {"party": obj, "email": contact["email"]},
                {"name": contact["name"]},
                summary,
            )
    for forum in data.get("forums") or []:
        upsert(
            Forum,
            {"slug": forum["slug"]},
            {
                "name": forum["name"],
                "short_name": forum.get("short_name", ""),
                "aliases": "\n".join(forum.get("aliases") or []),
            },
            summary,
        )


def write_agreement(data: dict, text: str, summary: LoadSummary) -> Agreement:
    meta = data["agreement"]
    agreement = upsert(
        Agreement,
        {"slug": meta["slug"]},
        {
            "title": meta["title"],
            "short_name": meta.get("short_name") or meta["title"],
            "date": read_date(meta.get("date"), meta["slug"], []),
            "year": int(meta["year"]),
            "date_note": meta.get("date_note") or "",
            "source_text": text,
            "source_file": meta["source_file"],
        },
        summary,
    )
    parties = {p.slug: p for p in Party.objects.all()}
    signatories = [parties[slug] for slug in meta["parties"]]
    set_m2m(agreement.parties, signatories)

    initiatives = {}
    for order, item in enumerate(data.get("initiatives") or [], start=1):
        initiative = upsert(
            Initiative,
            {"agreement": agreement, "title": item["title"]},
            {
                "label": item.get("label") or "",
                "focus_area": item.get("focus_area") or "",
                "order": order,
            },
            summary,
        )
        initiatives[item.get("label") or item["title"]] = initiative
    stale = agreement.initiatives.exclude(pk__in=[i.pk for i in initiatives.values()])
    for initiative in stale:
        initiative.delete()
        summary.count(Initiative, "slettet")

    series = {
        item["key"]: upsert(
            Series, {"agreement": agreement, "key": item["key"]}, {"title": item["title"]}, summary
        )
        for item in data.get("series") or []
    }
    write_obligations(agreement, data, initiatives, series, parties, signatories, summary)
    write_funding(agreement, data.get("funding") or {}, initiatives, summary)
    return agreement


def write_obligations(agreement, data, initiatives, series, parties, signatories, summary):
    forums = {f.slug: f for f in Forum.objects.all()}
    written = {}
    for order, item in enumerate(data.get("obligations") or [], start=1):
        owners = []
        for slug in item["owners"]:
            for party in signatories if slug == ALL_SIGNATORIES else [parties[slug]]:
                if party not in owners:
                    owners.append(party)
        values = {
            "initiative": initiatives.get(item.get("initiative")),
            "action": item["action"],
            "quote": normalize_text(item["quote"]),
            "lead_owner": owners[0],
            "phrase": normalize_text(item["phrase"]),
            "kind": item["kind"],
            "series": series.get(item.get("series")),
            "occurrence": item.get("occurrence"),
            "order": order,
        }
        existing = Obligation.objects.filter(agreement=agreement, key=item["key"]).first()
        window = item.get("window")
        if window:
            values.update(
                due_set_manually=True,
                due_start=read_date(window.get("start"), item["key"], []),
                due_end=read_date(window["end"], item["key"], []),
                due_manual_reason=window["reason"],
            )
        elif existing and existing.due_set_manually:
            # A coordinator set this window by hand in the admin: their decision stands.
            summary.notes.append(
                f"{agreement.slug}/{item['key']}: tidsvindue sat manuelt i admin, bevaret"
            )
        else:
            values.update(due_set_manually=False, due_manual_reason="")
            reading = phrase_reading(values["phrase"], agreement.year, values["occurrence"])
            if isinstance(reading, dates.Window):
                values.update(due_start=reading.start, due_end=reading.end)
        obligation = upsert(
            Obligation, {"agreement": agreement, "key": item["key"]}, values, summary
        )
        set_m2m(obligation.co_owners, owners[1:])
        set_m2m(obligation.forums, [forums[slug] for slug in item.get("forums") or []])
        written[item["key"]] = obligation
    for item in data.get("obligations") or []:
        set_m2m(written[item["key"]].anchors, [written[k] for k in item.get("anchors") or []])
    for obligation in agreement.obligations.exclude(pk__in=[o.pk for o in written.values()]):
        summary.notes.append(
            f"{agreement.slug}/{obligation.key}: findes ikke længere i fixturen; "
            "bevaret med sine statusrapporter"
        )


def write_funding(agreement: Agreement, funding: dict, initiatives: dict, summary: LoadSummary):
    kept_lines, kept_totals = set(), set()
    order = 0
    for table in funding.get("tables") or []:
        for row in table.get("rows") or []:
            order += 1
            common = {
                "initiative": initiatives.get(row.get("initiative")),
                "parent_row": row.get("parent") or "",
                "recipient": row["recipient"],
                "recipient_group": row["recipient_group"],
                "channel": row["channel"],
                "order": order,
            }
            derived = {int(year): reason for year, reason in (row.get("derived") or {}).items()}
            cells = [(int(y), False, a) for y, a in (row.get("amounts") or {}).items()]
            if row.get("ongoing") is not None:
                cells.append((int(table["ongoing_from"]), True, row["ongoing"]))
            for year, ongoing, amount in cells:
                line = upsert(
                    FundingLine,
                    {
                        "agreement": agreement,
                        "table": table["name"],
                        "row": row["row"],
                        "year": year,
                        "ongoing": ongoing,
                    },
                    {
                        **common,
                        "amount": parse_amount(amount),
                        "derived": not ongoing and year in derived,
                        "note": derived.get(year, "") if not ongoing else "",
                    },
                    summary,
                )
                kept_lines.add(line.pk)
            if row.get("total") is not None:
                total = upsert(
                    FundingTotal,
                    {
                        "agreement": agreement,
                        "table": table["name"],
                        "row": row["row"],
                        "ongoing": False,
                    },
                    {"amount": parse_amount(row["total"]), "source": f"{table['name']}: I alt"},
                    summary,
                )
                kept_totals.add(total.pk)
    for item in funding.get("totals") or []:
        total = upsert(
            FundingTotal,
            {
                "agreement": agreement,
                "table": item["table"],
                "row": item.get("row") or "",
                "ongoing": bool(item.get("ongoing")),
            },
            {"amount": parse_amount(item["amount"]), "source": item.get("source") or ""},
            summary,
        )
        kept_totals.add(total.pk)
    for model, kept in ((FundingLine, kept_lines), (FundingTotal, kept_totals)):
        for stale in model.objects.filter(agreement=agreement).exclude(pk__in=kept):
            stale.delete()
            summary.count(model, "slettet")


@dataclass
class Fixtures:
    """The fixture files, read and checked, ready to be written."""

    parties: dict
    agreements: list[tuple[dict, str | None]]

    def obligation_keys(self) -> set[tuple[str, str]]:
        """(agreement slug, obligation key) of every obligation in the files."""
        return {
            ((data.get("agreement") or {}).get("slug"), item.get("key"))
            for data, _ in self.agreements
            for item in data.get("obligations") or []
        }


def read_fixtures(directory: Path, problems: list[str]) -> Fixtures:
    """Read and check the parties and agreements; what is wrong goes into problems."""
    parties_data = read_yaml(directory / "parties.yaml", problems) or {}
    party_slugs, forum_slugs = check_parties(parties_data, problems)
    agreements = []
    for path in sorted((directory / "agreements").glob("*.yaml")):
        data = read_yaml(path, problems)
        if data is None:
            continue
        source = (data.get("agreement") or {}).get("source_file")
        text = None
        if source:
            try:
                text = (directory / "agreements" / source).read_text(encoding="utf-8")
            except OSError:
                problems.append(f"{path.name}: the agreement text {source!r} is missing")
        check_agreement(path.name, data, text, party_slugs, forum_slugs, problems)
        agreements.append((data, text))
    slugs = Counter((d.get("agreement") or {}).get("slug") for d, _ in agreements)
    problems += [f"agreement slug {s!r} is used by {n} files" for s, n in slugs.items() if n > 1]
    return Fixtures(parties_data, agreements)


def write_fixtures(fixtures: Fixtures, summary: LoadSummary) -> None:
    """Write checked fixtures; the caller holds the transaction."""
    write_parties(fixtures.parties, summary)
    for data, text in fixtures.agreements:
        write_agreement(data, text, summary)


def load_fixtures(directory: Path = FIXTURES_DIR) -> LoadSummary:
    """Check every fixture file, then write them all in one transaction. The status
    history is loaded with them by `operations.loading.load_agreements`."""
    problems: list[str] = []
    fixtures = read_fixtures(directory, problems)
    if problems:
        raise InvalidData(problems)
    summary = LoadSummary()
    with transaction.atomic():
        write_fixtures(fixtures, summary)
    return summary
