"""A closing status is a claim; the secretariat confirms it or sends it back in its review."""

import pytest
from django.urls import reverse

from agreements.status import Status
from tests.admin_forms import change_url, obligation_post
from tracker.completion import awaiting_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(client, region_coordinator, obligation):
    client.force_login(region_coordinator)
    client.post(
        change_url(obligation),
        obligation_post(
            obligation,
            reports=[
                {
                    "status": Status.DONE,
                    "text": "Oplægget er præsenteret.",
                    "evidence_url": "https://example.org/oplaeg.pdf",
                }
            ],
        ),
    )
    client.logout()
    obligation.refresh_from_db()
    return obligation.status_reports.get()


def review_url(report):
    return reverse("admin:tracker_statusreport_review", args=[report.pk])


def test_a_partys_report_of_done_is_a_claim(claim, obligation):
    assert obligation.status == Status.DONE
    assert obligation.status_label() == "Færdiggjort (anmeldt)"
    assert list(awaiting_review()) == [claim]


def test_the_lists_tell_claimed_from_confirmed(client, secretariat_member, claim, obligation):
    client.force_login(secretariat_member)
    listing = client.get(reverse("admin:agreements_obligation_changelist")).content.decode()
    assert "Færdiggjort (anmeldt)" in listing
    client.post(review_url(claim), {"confirm": "1"})
    listing = client.get(reverse("admin:agreements_obligation_changelist")).content.decode()
    assert "Færdiggjort (bekræftet)" in listing


def test_the_secretariat_confirms_a_claim(client, secretariat_member, claim, obligation):
    client.force_login(secretariat_member)
    page = client.get(review_url(claim))
    assert "Oplægget er præsenteret." in page.content.decode()
    response = client.post(review_url(claim), {"confirm": "1"})
    assert response.status_code == 302
    claim.refresh_from_db()
    obligation.refresh_from_db()
    assert claim.confirmed_by == secretariat_member
    assert obligation.closure_confirmed
    assert obligation.status_label() == "Færdiggjort (bekræftet)"
    assert not awaiting_review().exists()


def test_the_secretariat_sends_a_claim_back_with_a_reason(
    client, secretariat_member, claim, obligation
):
    client.force_login(secretariat_member)
    no_reason = client.post(review_url(claim), {"return": "1", "reason": "  "})
    assert no_reason.status_code == 200
    assert "Skriv hvorfor" in no_reason.content.decode()
    response = client.post(review_url(claim), {"return": "1", "reason": "Mangler bilag."})
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert obligation.status == Status.ON_TRACK
    latest = obligation.status_reports.order_by("-reported_at", "-pk").first()
    assert "Mangler bilag." in latest.text
    claim.refresh_from_db()
    assert claim.returned_reason == "Mangler bilag."


def test_a_coordinator_cannot_confirm_their_own_claim(client, region_coordinator, claim):
    client.force_login(region_coordinator)
    assert client.post(review_url(claim), {"confirm": "1"}).status_code == 403
    claim.refresh_from_db()
    assert claim.confirmed_at is None


def test_the_secretariats_own_report_of_done_is_a_claim_it_reviews(
    client, secretariat_member, obligation
):
    client.force_login(secretariat_member)
    client.post(
        change_url(obligation), obligation_post(obligation, reports=[{"status": "faerdiggjort"}])
    )
    obligation.refresh_from_db()
    assert obligation.status == Status.DONE
    assert not obligation.closure_confirmed
    report = obligation.status_reports.get()
    assert list(awaiting_review()) == [report]
    client.post(review_url(report), {"confirm": "1"})
    obligation.refresh_from_db()
    assert obligation.closure_confirmed


@pytest.mark.parametrize("status", [Status.CONTINUED, Status.DROPPED])
def test_every_closing_status_is_a_claim(
    client, region_coordinator, secretariat_member, obligation, status
):
    client.force_login(region_coordinator)
    client.post(change_url(obligation), obligation_post(obligation, reports=[{"status": status}]))
    obligation.refresh_from_db()
    label = Status(status).label
    assert obligation.status_label() == f"{label} (anmeldt)"
    client.force_login(secretariat_member)
    claim = obligation.status_reports.get()
    client.post(review_url(claim), {"return": "1", "reason": "Ikke aftalt i Taskforcen."})
    obligation.refresh_from_db()
    assert obligation.status not in (Status.CONTINUED, Status.DROPPED)
    claim.refresh_from_db()
    assert claim.status_label() == f"{label} (sendt tilbage)"
