"""Importing obligations from CSV or Excel in the export's format (agreements/export.py).

Coordinators take the export into a meeting, correct it in Excel and bring it back. A row
is matched on (agreement, key): an existing obligation is updated, a new key is created.
Windows are computed from the phrase, and status only ever changes through status reports,
so the columns due_start, due_end and status are not read.

Every row is checked before anything is written; one bad row is an error that names its
row and column, and nothing is saved (all or nothing).
"""

import csv
import io
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from lxml.etree import LxmlError
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from agreements.checks import InvalidData, check_obligation
from agreements.export import HEADERS_DA
from agreements.models import Agreement, Forum, Obligation, Party
from agreements.reading import TooLargeUnpacked, check_unpacked
from agreements.text import normalize_text
from common.spreadsheets import from_spreadsheet
from common.validation import validate_text

REQUIRED = ("agreement", "key", "action", "quote", "phrase", "owners", "kind")
# An export has a row per obligation and a score of columns; a file far beyond is not one.
MAX_ROWS, MAX_COLUMNS = 100_000, 100
_FROM_DANISH = {danish.lower(): name for name, danish in HEADERS_DA.items()}


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def read_rows(path: Path) -> list[dict]:
    """The rows of a CSV or Excel file as dicts keyed by the export's English column names."""
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InvalidData([f"{path.name}: cannot be read: {error.strerror}"]) from None
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        problem = f"{path.name}: {size:,} bytes is more than an import may be ({limit:,} bytes)"
        raise InvalidData([problem])
    try:
        if suffix == ".csv":
            text = path.read_bytes().decode("utf-8-sig")
            table = _bounded(path, csv.reader(io.StringIO(text)))
        elif suffix == ".xlsx":
            # A workbook is a zip: what it unpacks to is limited too (a "zip bomb"), counted
            # as it unpacks, whatever sizes it declares.
            try:
                check_unpacked(path, limit)
            except TooLargeUnpacked:
                raise InvalidData([f"{path.name}: unpacks to more than {limit:,} bytes"]) from None
            sheet = load_workbook(path, read_only=True, data_only=True).active
            # The sheet's declared dimension is not trusted (A1:XFD1048576 pads every row to
            # 16,384 cells and a million rows): each row is read as far as its own last cell,
            # one at a time, and the limits stop the reading.
            sheet.reset_dimensions()
            rows = sheet.iter_rows(values_only=True)
            table = _bounded(path, (["" if v is None else str(v) for v in row] for row in rows))
        else:
            raise InvalidData([f"{path.name}: only .csv and .xlsx files can be imported"])
    except UnicodeDecodeError:
        raise InvalidData([f"{path.name}: not UTF-8 text; save the CSV as UTF-8"]) from None
    # A broken or hostile workbook: not a zip, parts missing, XML that does not parse or
    # that declares entities (defusedxml refuses them; openpyxl's lxml parser, used where
    # lxml is installed, does not resolve them).
    except (
        *(InvalidFileException, BadZipFile, OSError, KeyError, ValueError, EOFError),
        *(ParseError, LxmlError, zlib.error),
    ) as error:
        raise InvalidData([f"{path.name}: cannot be read as {suffix[1:]}: {error}"]) from None
    if not table:
        raise InvalidData([f"{path.name}: the file is empty"])
    header = [
        _FROM_DANISH.get(h.strip().lower(), h.strip()) for h in map(from_spreadsheet, table[0])
    ]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InvalidData([f"{path.name}: missing column(s): {', '.join(missing)}"])
    return [
        dict(zip(header, [from_spreadsheet(cell).strip() for cell in row], strict=False))
        for row in table[1:]
        if any(cell.strip() for cell in row)
    ]


def _bounded(path: Path, rows) -> list[list[str]]:
    """The rows, refused past MAX_ROWS rows or MAX_COLUMNS columns with a value."""
    table = []
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS:
            raise InvalidData([f"{path.name}: more than {MAX_ROWS:,} rows"])
        while row and not row[-1]:
            row = row[:-1]
        if len(row) > MAX_COLUMNS:
            raise InvalidData([f"{path.name}: row {number} has more than {MAX_COLUMNS} columns"])
        table.append(row)
    return table


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def _party_index() -> dict[str, Party]:
    index = {}
    for party in Party.objects.all():
        names = [party.name, party.slug, party.short_name, *party.aliases.splitlines()]
        for name in names:
            if name.strip():
                index[name.strip().lower()] = party
    return index


def import_obligations(path: Path, *, dry_run: bool = False) -> ImportSummary:
    rows = read_rows(path)
    agreements = {a.slug: a for a in Agreement.objects.all()}
    texts = {slug: normalize_text(a.source_text) for slug, a in agreements.items()}
    parties = _party_index()
    forums = {}
    for forum in Forum.objects.all():
        for name in (forum.name, forum.slug, forum.short_name):
            if name:
                forums[name.lower()] = forum
    # The obligations already stored, fetched once rather than one query per row.
    stored = {
        (ob.agreement_id, ob.key): ob
        for ob in Obligation.objects.only("agreement_id", "key", "occurrence", "due_set_manually")
    }
    problems, planned = [], []
    for number, row in enumerate(rows, start=2):
        where = f"Row {number}"
        for column, value in row.items():
            try:
                validate_text(value)
            except ValidationError as refused:
                name = HEADERS_DA.get(column, column)
                problems.append(f"Række {number}, kolonne »{name}«: {refused.messages[0]}")
        if not row.get("agreement"):
            problems.append(f"{where}: agreement is empty")
        agreement = agreements.get(row.get("agreement", ""))
        if row.get("agreement") and agreement is None:
            problems.append(f"{where}: unknown agreement {row['agreement']!r}")
        owners = []
        for name in _split(row.get("owners", "")):
            party = parties.get(name.lower())
            if party is None:
                problems.append(f"{where}: unknown party {name!r} in owners")
            else:
                owners.append(party)
        row_forums = []
        for name in _split(row.get("forums", "")):
            forum = forums.get(name.lower())
            if forum is None:
                problems.append(f"{where}: unknown forum {name!r}")
            else:
                row_forums.append(forum)
        if agreement is not None:
            existing = stored.get((agreement.pk, row.get("key")))
            if existing is None and agreement.is_closed:
                problems.append(f"{where}: {agreement.refusal_of_new_obligations()}")
            check_obligation(
                where,
                row,
                problems,
                text=texts[agreement.slug],
                text_name="the agreement's text",
                year=agreement.year,
                occurrence=existing.occurrence if existing else None,
                read_phrase=not (existing and existing.due_set_manually),
            )
        planned.append((row, agreement, owners, row_forums))
    keys = Counter((r.get("agreement"), r.get("key")) for r in rows)
    problems += [f"{a}/{k} appears more than once" for (a, k), n in keys.items() if n > 1]
    if problems:
        raise InvalidData(problems)

    summary = ImportSummary()
    with transaction.atomic():
        for row, agreement, owners, row_forums in planned:
            _write(row, agreement, owners, row_forums, summary)
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _write(row, agreement, owners, row_forums, summary: ImportSummary) -> None:
    values = {
        "action": row["action"],
        "quote": normalize_text(row["quote"]),
        "phrase": normalize_text(row["phrase"]),
        "kind": row["kind"],
        "lead_owner": owners[0],
    }
    ob = Obligation.objects.filter(agreement=agreement, key=row["key"]).first()
    label = f"{agreement.slug}/{row['key']}"
    if ob is None:
        ob = Obligation(agreement=agreement, key=row["key"], **values)
        ob.save()
        summary.created.append(label)
    elif any(getattr(ob, k) != v for k, v in values.items()) or _m2m_differs(
        ob, owners, row_forums
    ):
        for name, value in values.items():
            setattr(ob, name, value)
        ob.version += 1
        ob.save()
        summary.updated.append(label)
    else:
        summary.unchanged += 1
        return
    ob.co_owners.set([p for p in owners[1:] if p != owners[0]])
    ob.forums.set(row_forums)


def _m2m_differs(ob: Obligation, owners: list[Party], row_forums: list[Forum]) -> bool:
    co = {p.pk for p in owners[1:] if p != owners[0]}
    return set(ob.co_owners.values_list("pk", flat=True)) != co or set(
        ob.forums.values_list("pk", flat=True)
    ) != {f.pk for f in row_forums}
