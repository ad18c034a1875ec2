"""A workbook is read by the cells it holds, not by the dimension it declares: one that
declares A1:XFD1048576 with one far cell (every row padded to 16,384 columns, a million rows) is
refused at the row limit without building its rows; a value past the column limit, or rows
past the row limit, are a clear error."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from agreements import importing
from agreements.models import Obligation

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def exported_xlsx(agreements_loaded, tmp_path):
    path = tmp_path / "forpligtelser.xlsx"
    call_command(
        "export_obligations", "--format", "xlsx", "--output", str(path), stderr=io.StringIO()
    )
    return path


def run(path) -> str:
    out = io.StringIO()
    call_command("import_obligations", str(path), stdout=out)
    return out.getvalue()


def test_a_workbook_declaring_the_largest_sheet_is_refused_without_building_it(
    exported_xlsx,
):
    book = load_workbook(exported_xlsx)
    book.active["XFD1048576"] = "langt ude"
    book.save(exported_xlsx)
    with zipfile.ZipFile(exported_xlsx) as archive:
        assert b'<dimension ref="A1:XFD1048576"/>' in archive.read(SHEET)
    before = list(Obligation.objects.values_list("pk", "version"))
    with pytest.raises(CommandError, match=f"more than {importing.MAX_ROWS:,} rows"):
        run(exported_xlsx)
    assert list(Obligation.objects.values_list("pk", "version")) == before


def test_a_value_past_the_column_limit_is_a_clear_error(exported_xlsx):
    book = load_workbook(exported_xlsx)
    book.active.cell(3, importing.MAX_COLUMNS + 1).value = "langt ude"
    book.save(exported_xlsx)
    with pytest.raises(CommandError, match=f"more than {importing.MAX_COLUMNS} columns"):
        run(exported_xlsx)


def test_rows_past_the_row_limit_are_a_clear_error(exported_xlsx, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 5)
    with pytest.raises(CommandError, match="more than 5 rows"):
        run(exported_xlsx)
