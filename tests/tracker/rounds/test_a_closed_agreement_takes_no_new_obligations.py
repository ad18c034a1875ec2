"""No obligation is added to or moved into a closed-out agreement, on any path: the admin's
form (also as the reader's »Opret forpligtelse« opens it), the import, the loader's save; the
reader offers none to create. One already in it may still be edited."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from agreements.export import FIELDS
from agreements.models import Agreement, Obligation
from tests.factories import AgreementFactory, DatedObligationFactory, ObligationFactory

REFUSAL = "er afsluttet 01.06.2024; der kan ikke tilføjes eller flyttes forpligtelser til den"
QUOTE = "Parterne er enige om, at Sundhedsstyrelsen udarbejder et oplæg medio 2017."


@pytest.fixture
def closed(agreement, regions):
    DatedObligationFactory(agreement=agreement, lead_owner=regions, key="gammel")
    Agreement.objects.filter(pk=agreement.pk).update(
        closed_on="2024-06-01", closing_note="Aftaleperioden er slut."
    )
    agreement.refresh_from_db()
    return agreement


def add_form(agreement, regions, **fields):
    return {
        "agreement": agreement.pk,
        "key": "ny-forpligtelse",
        "action": "Oplæg udarbejdes",
        "kind": Obligation.Kind.DELIVERABLE,
        "quote": QUOTE,
        "phrase": "medio 2017",
        "lead_owner": regions.pk,
        "order": 0,
        "expected_version": 1,
        "status_reports-TOTAL_FORMS": 0,
        "status_reports-INITIAL_FORMS": 0,
        **fields,
    }


def test_the_admin_refuses_a_new_obligation_in_a_closed_agreement(
    client, closed, regions, secretariat_member
):
    client.force_login(secretariat_member)
    response = client.post(reverse("admin:agreements_obligation_add"), add_form(closed, regions))

    assert response.status_code == 200
    assert f"Aftalen »Kræftplan IV« {REFUSAL}" in response.text
    assert list(closed.obligations.values_list("key", flat=True)) == ["gammel"]


def test_the_admin_refuses_moving_an_obligation_into_a_closed_agreement(
    client, closed, regions, secretariat_member
):
    other = AgreementFactory(source_text=QUOTE)
    moved = ObligationFactory(agreement=other, lead_owner=regions, quote=QUOTE)
    client.force_login(secretariat_member)
    response = client.post(
        reverse("admin:agreements_obligation_change", args=[moved.pk]),
        add_form(closed, regions, key=moved.key, action=moved.action),
    )

    assert response.status_code == 200
    assert REFUSAL in response.text
    moved.refresh_from_db()
    assert moved.agreement == other


def test_an_obligation_already_in_a_closed_agreement_may_still_be_edited(closed):
    obligation = closed.obligations.get()
    obligation.action = "Rettet handling"
    obligation.save()
    assert Obligation.objects.get(pk=obligation.pk).action == "Rettet handling"


def test_no_code_path_saves_a_new_obligation_in_a_closed_agreement(closed, regions):
    with pytest.raises(ValidationError, match=REFUSAL):
        ObligationFactory(agreement=closed, lead_owner=regions, key="ny")
    assert not Obligation.objects.filter(key="ny").exists()


def test_the_import_refuses_a_new_row_for_a_closed_agreement(closed, regions, tmp_path):
    path = tmp_path / "forpligtelser.csv"
    call_command("export_obligations", "--format", "csv", "--output", str(path))
    [row] = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows([row, {**row, "key": "ny-forpligtelse"}])
    path.write_bytes(out.getvalue().encode("utf-8-sig"))

    with pytest.raises(CommandError) as refused:
        call_command("import_obligations", str(path), stdout=io.StringIO())

    assert f"Row 3: Aftalen »Kræftplan IV« {REFUSAL}" in str(refused.value)
    assert list(closed.obligations.values_list("key", flat=True)) == ["gammel"]


def test_the_reader_offers_no_new_obligation_in_a_closed_agreement(
    client, closed, secretariat_member
):
    Agreement.objects.filter(pk=closed.pk).update(
        source_text=f"{QUOTE} Regionerne leverer en plan i 2018."
    )
    client.force_login(secretariat_member)
    page = client.get(reverse("agreements:reader", args=[closed.slug])).text

    assert "[Kandidat" in page
    assert "Opret forpligtelse" not in page
    assert REFUSAL in page
