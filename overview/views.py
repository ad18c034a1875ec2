"""The timeline and the funding overview of an agreement (staff pages)."""

import datetime
import io
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from agreements.models import Agreement, FundingLine, FundingTotal
from agreements.pages import agreement_page
from agreements.status import Light
from common import roles
from common.spreadsheets import spreadsheet_safe
from meetings.charts import Bar, Mark, bar_chart_svg, timeline_svg


@roles.role_required
def timeline(request, slug: str):
    agreement = get_object_or_404(Agreement, slug=slug)
    today = timezone.localdate()
    obligations = list(
        agreement.obligations.select_related("initiative").order_by("initiative__order", "due_end")
    )
    # A start with no deadline ("tidligst fra 2026") is dated by its start.
    dated = [o for o in obligations if o.due_end or o.due_start]
    start = min([o.due_start or o.due_end for o in dated] + [today]) if dated else today
    end = max([o.due_end or o.due_start for o in dated] + [today]) if dated else today
    start, end = start.replace(day=1), end + datetime.timedelta(days=31)
    groups = defaultdict(list)
    for ob in obligations:
        url = reverse("admin:agreements_obligation_change", args=[ob.pk])
        groups[ob.initiative].append(Mark(ob.action, ob.due_start, ob.due_end, ob.status, url))
    charts = [
        {
            "title": str(initiative) if initiative else "Uden initiativ",
            "svg": timeline_svg(
                marks, start, end, today=today, title=f"Tidslinje: {initiative or 'uden initiativ'}"
            ),
            "undated": [m for m in marks if not m.due_end and not m.due_start],
        }
        for initiative, marks in groups.items()
    ]
    return render(
        request,
        "overview/timeline.html",
        {
            **agreement_page(request, agreement, "Tidslinje"),
            "charts": charts,
            "today": today,
        },
    )


def funding_table(agreement: Agreement) -> dict:
    """The agreement's funding as its own tables: rows × years, totals checked in the DB."""
    lines = list(agreement.funding_lines.order_by("table", "order", "year"))
    tables: dict[str, dict] = {}
    for line in lines:
        table = tables.setdefault(
            line.table, {"name": line.table, "years": set(), "rows": {}, "ongoing_from": None}
        )
        row = table["rows"].setdefault(
            line.row,
            {
                "row": line.row,
                "parent": line.parent_row,
                "cells": {},
                "ongoing": None,
                "derived": [],
                "recipient": line.recipient,
            },
        )
        if line.ongoing:
            row["ongoing"] = line.amount
            table["ongoing_from"] = line.year
        else:
            row["cells"][line.year] = line.amount
            table["years"].add(line.year)
        if line.derived:
            row["derived"].append(f"{line.year}: {line.note}")
    sums = {
        (t["table"], t["row"], t["ongoing"]): t["total"]
        for t in agreement.funding_lines.values("table", "row", "ongoing").annotate(
            total=Sum("amount")
        )
    }
    top_sums = {
        (t["table"], t["ongoing"]): t["total"]
        for t in agreement.funding_lines.filter(parent_row="")
        .values("table", "ongoing")
        .annotate(total=Sum("amount"))
    }
    stated = {
        (t.table, t.row, t.ongoing): t for t in FundingTotal.objects.filter(agreement=agreement)
    }
    out = []
    for table in tables.values():
        years = sorted(table["years"])
        rows = []
        for row in table["rows"].values():
            total = Decimal(sums.get((table["name"], row["row"], False)) or 0).quantize(
                Decimal("0.01")
            )
            check = stated.get((table["name"], row["row"], False))
            rows.append(
                {
                    **row,
                    "amounts": [row["cells"].get(y) for y in years],
                    "total": total,
                    "stated": check.amount if check else None,
                    "mismatch": bool(check and check.amount != total),
                }
            )
        totals = []
        for ongoing in (False, True):
            check = stated.get((table["name"], "", ongoing))
            if check:
                computed = Decimal(top_sums.get((table["name"], ongoing)) or 0).quantize(
                    Decimal("0.01")
                )
                totals.append(
                    {
                        "label": "Fra … og frem" if ongoing else "I alt",
                        "stated": check.amount,
                        "computed": computed,
                        "mismatch": computed != check.amount,
                        "source": check.source,
                    }
                )
        out.append(
            {
                "name": table["name"],
                "years": years,
                "rows": rows,
                "ongoing_from": table["ongoing_from"],
                "totals": totals,
            }
        )
    return {"tables": out}


GROUP_LIGHTS = {
    "regioner": Light.GREEN,
    "kommuner": Light.BLUE,
    "staten": Light.YELLOW,
    "andre": Light.GREY,
}


def money_by_recipient(agreement: Agreement) -> list[dict]:
    """Per year and recipient group; only rows without Heraf rows of their own count."""
    parents = agreement.funding_lines.exclude(parent_row="").values("parent_row")
    leaves = agreement.funding_lines.filter(ongoing=False).exclude(row__in=parents)
    rows = leaves.values("year", "recipient_group").annotate(total=Sum("amount")).order_by("year")
    return [
        {
            "year": r["year"],
            "group": FundingLine.RecipientGroup(r["recipient_group"]).label,
            "light": GROUP_LIGHTS[r["recipient_group"]],
            "total": Decimal(r["total"]).quantize(Decimal("0.01")),
        }
        for r in rows
    ]


@roles.role_required
def funding(request, slug: str):
    agreement = get_object_or_404(Agreement, slug=slug)
    context = {**agreement_page(request, agreement, "Finansiering"), **funding_table(agreement)}
    money = money_by_recipient(agreement)
    if request.GET.get("format") == "xlsx":
        return funding_xlsx(agreement, context["tables"])
    context["money"] = money
    context["chart"] = bar_chart_svg(
        [Bar(f"{m['year']} {m['group']}", int(m["total"]), m["light"]) for m in money],
        title="Mio. kr. pr. år pr. modtagergruppe",
    )
    return render(request, "overview/funding.html", context)


def _sheet_name(name: str) -> str:
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in name).strip("' ")
    return cleaned[:31] or "Tabel"


def funding_xlsx(agreement: Agreement, tables: list[dict]) -> HttpResponse:
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        # A sheet's name cannot hold a formula, but Excel refuses some characters in it.
        sheet = book.create_sheet(_sheet_name(table["name"]))
        header = ["Række", "Del af", *table["years"], "I alt"]
        if table["ongoing_from"]:
            header.append(f"Fra {table['ongoing_from']} og frem")
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table["rows"]:
            values = [
                spreadsheet_safe(row["row"]),
                spreadsheet_safe(row["parent"]),
                *[float(a) if a is not None else None for a in row["amounts"]],
                float(row["total"]),
            ]
            if table["ongoing_from"]:
                values.append(float(row["ongoing"]) if row["ongoing"] is not None else None)
            sheet.append(values)
        sheet.column_dimensions["A"].width = 60
    if not tables:
        book.create_sheet("Finansiering").append(["Aftalen har ingen finansieringstabeller."])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="finansiering-{agreement.slug}.xlsx"'
    return response
