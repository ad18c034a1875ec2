import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from agreements.status import Status
from tests.factories import ObligationFactory, StatusReportFactory

pytestmark = pytest.mark.django_db

EXPECTED_KEYS = {
    "agreement", "initiative", "action", "quote", "owners", "forums", "phrase",
    "due_start", "due_end", "kind", "series", "anchors", "status",
}  # fmt: skip


@pytest.fixture
def exported(obligation, kl):
    obligation.co_owners.add(kl)
    follow_up = ObligationFactory(
        agreement=obligation.agreement,
        key="opfoelgning",
        action="Modellen implementeres",
        phrase="hurtigst muligt efter oplæggets godkendelse",
        lead_owner=kl,
    )
    follow_up.anchors.add(obligation)
    StatusReportFactory(obligation=obligation, status=Status.AT_RISK)
    return obligation, follow_up


def test_json_goes_to_standard_output_with_every_field(exported):
    obligation, _ = exported
    out = StringIO()
    call_command("export_obligations", "--format", "json", stdout=out)
    rows = {row["key"]: row for row in json.loads(out.getvalue())}
    row = rows[obligation.key]
    assert EXPECTED_KEYS <= set(row)
    assert row["agreement"] == "kraeftplan-iv"
    assert row["owners"] == ["Danske Regioner", "KL"]
    assert row["forums"] == ["Taskforce for Patientforløb på Kræft- og Hjerteområdet"]
    assert (row["due_start"], row["due_end"]) == ("2017-01-01", "2017-04-30")
    assert row["status"] == Status.AT_RISK
    follow = rows["opfoelgning"]
    assert follow["anchors"] == [obligation.key]
    assert follow["due_start"] is None and follow["due_end"] is None


def test_csv_to_a_file_keeps_danish_letters(exported, tmp_path):
    target = tmp_path / "ud.csv"
    call_command(
        "export_obligations", "--format", "csv", "--output", str(target), stderr=StringIO()
    )
    text = target.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2
    first = next(r for r in rows if r["key"] == exported[0].key)
    assert first["owners"] == "Danske Regioner; KL"
    assert first["action"] == exported[0].action


def test_excel_needs_a_file(exported, tmp_path):
    with pytest.raises(CommandError, match="--output"):
        call_command("export_obligations", "--format", "xlsx", stdout=StringIO())
    target = tmp_path / "ud.xlsx"
    call_command(
        "export_obligations", "--format", "xlsx", "--output", str(target), stderr=StringIO()
    )
    sheet = load_workbook(target).active
    assert sheet.cell(1, 4).value == "Handling"
    assert {sheet.cell(r, 2).value for r in (2, 3)} == {exported[0].key, "opfoelgning"}


def test_the_admin_exports_the_selected_obligations(client, superuser, exported):
    client.force_login(superuser)
    obligation, _ = exported
    for action, marker in (("export_csv", b"agreement,key"), ("export_xlsx", b"PK")):
        response = client.post(
            reverse("admin:agreements_obligation_changelist"),
            {"action": action, "_selected_action": [obligation.pk]},
        )
        assert response.status_code == 200
        assert response.content.startswith(marker) or marker in response.content[:20]
        assert "attachment" in response["Content-Disposition"]
    csv_text = client.post(
        reverse("admin:agreements_obligation_changelist"),
        {"action": "export_csv", "_selected_action": [obligation.pk]},
    ).content.decode("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(csv_text)))) == 1
