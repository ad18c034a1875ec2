"""Exporting obligations as JSON, CSV or Excel, for meetings and for other tools."""

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font

from agreements.models import Obligation
from common.spreadsheets import spreadsheet_safe

FIELDS = [
    "agreement",
    "key",
    "initiative",
    "action",
    "quote",
    "owners",
    "forums",
    "phrase",
    "due_start",
    "due_end",
    "kind",
    "series",
    "anchors",
    "status",
    "status_label",
]
LIST_FIELDS = {"owners", "forums", "anchors"}
HEADERS_DA = {
    "agreement": "Aftale",
    "key": "Nøgle",
    "initiative": "Initiativ",
    "action": "Handling",
    "quote": "Citat",
    "owners": "Ansvarlige (ledende først)",
    "forums": "Orienteres",
    "phrase": "Tidsudtryk",
    "due_start": "Fra",
    "due_end": "Frist",
    "kind": "Type",
    "series": "Serie",
    "anchors": "Forankret i",
    "status": "Status (kode)",
    "status_label": "Status",
}
FORMATS = ("json", "csv", "xlsx")


def export_queryset(queryset: QuerySet | None = None) -> QuerySet:
    queryset = Obligation.objects.all() if queryset is None else queryset
    return (
        queryset.select_related("agreement", "initiative", "lead_owner", "series")
        .prefetch_related("co_owners", "forums", "anchors")
        .order_by("agreement__year", "agreement__slug", "order", "pk")
    )


def obligation_record(ob: Obligation) -> dict:
    co_owners = sorted((p for p in ob.co_owners.all() if p.pk != ob.lead_owner_id), key=str)
    return {
        "agreement": ob.agreement.slug,
        "key": ob.key,
        "initiative": str(ob.initiative) if ob.initiative else None,
        "action": ob.action,
        "quote": ob.quote,
        "owners": [ob.lead_owner.name, *(p.name for p in co_owners)],
        "forums": sorted(f.name for f in ob.forums.all()),
        "phrase": ob.phrase,
        "due_start": ob.due_start.isoformat() if ob.due_start else None,
        "due_end": ob.due_end.isoformat() if ob.due_end else None,
        "kind": ob.kind,
        "series": ob.series.key if ob.series else None,
        "anchors": sorted(a.key for a in ob.anchors.all()),
        "status": ob.status,
        "status_label": ob.get_status_display(),
    }


def records(queryset: QuerySet | None = None) -> Iterator[dict]:
    for ob in export_queryset(queryset):
        yield obligation_record(ob)


def _flat(record: dict) -> list:
    """A record as the cells of one row, each safe from formula injection."""
    return [
        spreadsheet_safe(
            "; ".join(record[f]) if f in LIST_FIELDS else ("" if record[f] is None else record[f])
        )
        for f in FIELDS
    ]


def to_json(rows: Iterable[dict]) -> bytes:
    return json.dumps(list(rows), ensure_ascii=False, indent=2).encode() + b"\n"


def to_csv(rows: Iterable[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    for record in rows:
        writer.writerow(_flat(record))
    # With a byte-order mark Excel opens the file as UTF-8 and keeps æ, ø and å.
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(rows: Iterable[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Forpligtelser"
    sheet.append([HEADERS_DA[f] for f in FIELDS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in rows:
        sheet.append(_flat(record))
    widths = {"action": 50, "quote": 80, "owners": 30, "initiative": 30, "phrase": 25}
    for index, name in enumerate(FIELDS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = widths.get(name, 14)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


WRITERS = {"json": to_json, "csv": to_csv, "xlsx": to_xlsx}
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export(fmt: str, queryset: QuerySet | None = None) -> bytes:
    return WRITERS[fmt](records(queryset))
