"""A claim the secretariat sends back leaves the obligation with the status it had before the
claim, in the record, with the reason: not "igangsat" whatever it was."""

import pytest
from django.urls import reverse

from agreements.status import Status
from tests.admin_forms import change_url, obligation_post

pytestmark = pytest.mark.django_db


def report_in_admin(client, user, obligation, status, text):
    client.force_login(user)
    response = client.post(
        change_url(obligation),
        obligation_post(obligation, reports=[{"status": status, "text": text}]),
    )
    assert response.status_code == 302
    obligation.refresh_from_db()
    return obligation.latest_report()


def send_back_in_admin(client, secretariat_member, claim, reason):
    client.force_login(secretariat_member)
    url = reverse("admin:tracker_statusreport_review", args=[claim.pk])
    assert client.post(url, {"return": "1", "reason": reason}).status_code == 302


@pytest.mark.parametrize("before", [Status.AT_RISK, Status.DELAYED])
def test_a_claim_sent_back_restores_the_open_status_before_it(
    client, region_coordinator, secretariat_member, obligation, before
):
    report_in_admin(client, region_coordinator, obligation, before, "Det trækker ud.")
    claim = report_in_admin(client, region_coordinator, obligation, Status.DONE, "Færdigt.")

    send_back_in_admin(client, secretariat_member, claim, "Mangler bilag.")

    obligation.refresh_from_db()
    assert obligation.status == before
    restored = obligation.latest_report()
    assert (restored.status, restored.author) == (before, secretariat_member)
    assert restored.text == "Færdiggjort er sendt tilbage af sekretariatet: Mangler bilag."
    assert restored.history.first().history_user == secretariat_member
    assert list(
        obligation.status_reports.order_by("reported_at", "pk").values_list("status", flat=True)
    ) == [
        before,
        Status.DONE,
        before,
    ]


def test_a_claim_on_an_obligation_never_reported_on_returns_to_ikke_igangsat(
    client, region_coordinator, secretariat_member, obligation
):
    assert obligation.status == Status.NOT_STARTED
    claim = report_in_admin(client, region_coordinator, obligation, Status.DROPPED, "Opgivet.")

    send_back_in_admin(client, secretariat_member, claim, "Ikke aftalt i Taskforcen.")

    obligation.refresh_from_db()
    assert obligation.status == Status.NOT_STARTED
    assert obligation.status_label() == "Ikke igangsat"
    restored = obligation.latest_report()
    assert restored.status == Status.NOT_STARTED
    assert "Ikke aftalt i Taskforcen." in restored.text
