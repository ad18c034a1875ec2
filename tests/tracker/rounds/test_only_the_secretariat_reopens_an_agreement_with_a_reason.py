"""Reopening a closed-out agreement is a deliberate act of the secretariat, with a reason kept
in the agreement's history (the admin's page »Genåbn aftalen«)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from agreements.closing import reopen
from agreements.models import Agreement
from tests.factories import DatedObligationFactory


@pytest.fixture
def closed(agreement, regions, secretariat_member):
    DatedObligationFactory(agreement=agreement, lead_owner=regions)
    Agreement.objects.filter(pk=agreement.pk).update(
        closed_on="2024-06-01", closing_note="Aftaleperioden er slut.", closed_by=secretariat_member
    )
    agreement.refresh_from_db()
    return agreement


def reopen_url(agreement):
    return reverse("admin:agreements_agreement_reopen", args=[agreement.pk])


def test_the_secretariat_reopens_with_a_reason_in_the_history(client, closed, secretariat_member):
    client.force_login(secretariat_member)
    change = client.get(reverse("admin:agreements_agreement_change", args=[closed.pk])).text
    assert "Genåbn aftalen" in change
    page = client.get(reopen_url(closed)).text
    assert "Aftaleperioden er slut." in page

    response = client.post(reopen_url(closed), {"reason": "Initiativ 3 er ikke leveret."})

    assert response.status_code == 302
    closed.refresh_from_db()
    assert not closed.is_closed and closed.closed_by is None and closed.closing_note == ""
    last = closed.history.first()
    assert last.history_user == secretariat_member
    assert last.history_change_reason == (
        "Genåbnet (afsluttet 01.06.2024): Initiativ 3 er ikke leveret."
    )
    # Open again: it takes new obligations.
    DatedObligationFactory(agreement=closed, lead_owner=closed.obligations.get().lead_owner)


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("  ", "Skriv hvorfor aftalen genåbnes."),
        ("Fejl\x00", "usynligt kontroltegn"),
    ],
)
def test_a_reopening_without_a_proper_reason_is_refused_in_danish(
    client, closed, secretariat_member, reason, message
):
    client.force_login(secretariat_member)
    response = client.post(reopen_url(closed), {"reason": reason})

    assert response.status_code == 200 and message in response.text
    closed.refresh_from_db()
    assert closed.is_closed


def test_only_the_secretariat_reopens(client, closed, region_coordinator):
    client.force_login(region_coordinator)
    assert client.post(reopen_url(closed), {"reason": "Vi vil."}).status_code == 403
    with pytest.raises(PermissionDenied):
        reopen(closed, "Vi vil.", region_coordinator)
    closed.refresh_from_db()
    assert closed.is_closed
