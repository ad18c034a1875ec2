"""A CSV or Excel file in the export's format comes back in; a broken one changes nothing."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from agreements.export import FIELDS
from agreements.models import Obligation

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported_csv(agreements_loaded, tmp_path):
    path = tmp_path / "forpligtelser.csv"
    call_command(
        "export_obligations", "--format", "csv", "--output", str(path), stderr=io.StringIO()
    )
    return path


def rows(path):
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def write(path, data):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows(data)
    path.write_bytes(out.getvalue().encode("utf-8-sig"))


def run(path, *flags):
    out = io.StringIO()
    call_command("import_obligations", str(path), *flags, stdout=out)
    return out.getvalue()


def snapshot():
    return list(
        Obligation.objects.order_by("pk").values_list("action", "phrase", "due_end", "version")
    )


def test_an_unchanged_export_imports_as_unchanged(exported_csv):
    before = snapshot()
    out = run(exported_csv)
    assert "0 created, 0 updated" in out
    assert snapshot() == before


def test_a_corrected_row_updates_its_obligation_and_its_window(exported_csv):
    data = rows(exported_csv)
    target = next(r for r in data if r["key"] == "i2-udbud")
    target["action"] = "Udbud på nye beslutningsstøtteværktøjer"
    target["owners"] = "Sundhedsstyrelsen; Danske Regioner"
    write(exported_csv, data)
    assert "1 updated" in run(exported_csv)
    ob = Obligation.objects.get(key="i2-udbud")
    assert ob.action == "Udbud på nye beslutningsstøtteværktøjer"
    assert [p.name for p in ob.owners] == ["Sundhedsstyrelsen", "Danske Regioner"]


def test_a_dry_run_saves_nothing(exported_csv):
    data = rows(exported_csv)
    data[0]["action"] = "Ændret i prøvekørsel"
    write(exported_csv, data)
    before = snapshot()
    assert "Would import: 0 created, 1 updated" in run(exported_csv, "--dry-run")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"owners": "Ukendt Part"}, "unknown party 'Ukendt Part'"),
        ({"phrase": "medio blåmandag 2017"}, "blåmandag"),
        ({"quote": "Dette står ikke i aftalen."}, "quote is not found"),
        ({"agreement": "findes-ikke"}, "unknown agreement"),
        ({"kind": "ønske"}, "unknown kind"),
        ({"action": ""}, "action is empty"),
        ({"phrase": "x" * 300}, "too long"),
        # The rules of the fixtures hold on this path too (agreements.checks).
        ({"phrase": "ultimo 2031"}, "the phrase 'ultimo 2031' is not in the quote"),
    ],
)
def test_a_broken_row_is_a_clear_error_and_nothing_is_saved(exported_csv, change, message):
    data = rows(exported_csv)
    data[0]["action"] = "En gyldig ændring i første række"
    data[5].update(change)
    write(exported_csv, data)
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run(exported_csv)
    assert "Row 7" in str(error.value)
    assert message in str(error.value)
    assert snapshot() == before


def test_an_excel_file_from_the_export_comes_back(agreements_loaded, tmp_path):
    path = tmp_path / "forpligtelser.xlsx"
    call_command(
        "export_obligations", "--format", "xlsx", "--output", str(path), stderr=io.StringIO()
    )
    book = load_workbook(path)
    book.active.cell(2, FIELDS.index("action") + 1).value = "Rettet i Excel"
    book.save(path)
    assert "1 updated" in run(path)
    assert Obligation.objects.filter(action="Rettet i Excel").count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("skadet.xlsx", b"PK\x03\x04 not really a workbook", "cannot be read"),
        ("latin1.csv", "agreement;key\nkræft".encode("latin-1"), "not UTF-8"),
        ("tom.csv", b"", "empty"),
        ("kolonner.csv", b"agreement,key\nx,y\n", "missing column"),
        ("data.json", b"[]", "only .csv and .xlsx"),
    ],
)
def test_a_broken_file_is_a_clear_error(agreements_loaded, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        run(path)
    assert snapshot() == before
