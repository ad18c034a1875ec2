"""An old agreement is closed out once every obligation has a confirmed final status: it
leaves the lists, the reminders and the rounds, and stays in the record."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agreements.closing import close_out
from agreements.models import Agreement
from agreements.status import Status
from overview.dashboard import DUE_SOON, OVERDUE, dashboard
from tracker import closing, completion
from tracker.models import StatusReport
from tracker.rounds import opening


def test_an_agreement_with_open_obligations_is_not_closed_out(
    world, agreement, secretariat_member, today
):
    with pytest.raises(ValidationError) as refused:
        close_out(agreement, today, "Aftaleperioden er slut.", secretariat_member)
    # The done one too: its closing status is not confirmed.
    assert "4 forpligtelser har endnu ikke en bekræftet afsluttende status" in str(refused.value)
    agreement.refresh_from_db()
    assert not agreement.is_closed


def test_a_claimed_but_unconfirmed_closing_status_is_not_enough(
    world, agreement, secretariat_member, today
):
    # "done" in the world is only a status on the obligation: close the others, unconfirmed.
    for obligation in agreement.obligations.all():
        completion.write_report(
            StatusReport(obligation=obligation, status=Status.DONE, text="Færdig."),
            secretariat_member,
        )
    with pytest.raises(ValidationError, match="4 forpligtelser"):
        close_out(agreement, today, "Slut.", secretariat_member)


def test_the_bulk_action_closes_the_selected_with_one_status_and_reason_in_the_history(
    world, agreement, secretariat_member, today, taskforce
):
    changed = closing.close_obligations(
        agreement.obligations.all(), Status.DROPPED, "Aftalen er udløbet.", secretariat_member
    )
    assert changed == 4
    for obligation in agreement.obligations.all():
        report = obligation.latest_report()
        assert (report.status, report.text, report.author) == (
            Status.DROPPED,
            "Aftalen er udløbet.",
            secretariat_member,
        )
        assert report.confirmed_by == secretariat_member and obligation.closure_confirmed

    closed = close_out(agreement, today, "Aftaleperioden er slut.", secretariat_member)
    assert closed.closed_on == today and closed.closed_by == secretariat_member
    assert closed.history.first().history_change_reason == "Afsluttet: Aftaleperioden er slut."

    # No new reports on it, by any path that writes one.
    with pytest.raises(ValidationError, match="er afsluttet"):
        completion.write_report(
            StatusReport(obligation=world["soon"], status=Status.ON_TRACK), secretariat_member
        )
    # Out of the rounds; the record stays.
    status_round = opening.open_round(taskforce, today + datetime.timedelta(days=30))
    assert not status_round.items.exists()
    assert Agreement.objects.filter(pk=agreement.pk).exists()
    assert StatusReport.objects.filter(obligation__agreement=agreement).count() == 4


@pytest.mark.parametrize("status", [Status.ON_TRACK, ""])
def test_the_bulk_action_takes_only_a_closing_status_and_a_reason(
    world, agreement, secretariat_member, status
):
    with pytest.raises(ValidationError):
        closing.close_obligations(agreement.obligations.all(), status, "", secretariat_member)
    assert not StatusReport.objects.exists()


def test_only_the_secretariat_closes(world, agreement, region_coordinator, today):
    with pytest.raises(PermissionDenied):
        closing.close_obligations(
            agreement.obligations.all(), Status.DONE, "Færdig.", region_coordinator
        )
    with pytest.raises(PermissionDenied):
        close_out(agreement, today, "Slut.", region_coordinator)


def test_a_closed_agreement_leaves_the_front_page(world, agreement, secretariat_member, today):
    [before] = dashboard(secretariat_member, today)["agreements"].shown
    assert before.count(OVERDUE)
    closing.close_obligations(
        agreement.obligations.all(), Status.DONE, "Alt er leveret.", secretariat_member
    )
    close_out(agreement, today, "Slut.", secretariat_member)
    [after] = dashboard(secretariat_member, today)["agreements"].shown
    assert after.agreement.is_closed
    assert after.count(OVERDUE) == after.count(DUE_SOON) == 0


def test_the_admin_closes_out_through_the_same_rules(
    client, world, agreement, secretariat_member, today
):
    client.force_login(secretariat_member)
    url = reverse("admin:agreements_agreement_close_out", args=[agreement.pk])
    refused = client.post(url, {"closed_on": today.isoformat(), "closing_note": "Slut."})
    assert refused.status_code == 200 and "har endnu ikke en bekræftet" in refused.text
    # The bulk action on the obligations' list, asked first and then applied.
    changelist = reverse("admin:agreements_obligation_changelist")
    selected = [str(pk) for pk in agreement.obligations.values_list("pk", flat=True)]
    asked = client.post(changelist, {"action": "close_selected", "_selected_action": selected})
    assert "Afslut og bekræft" in asked.text
    applied = client.post(
        changelist,
        {
            "action": "close_selected",
            "_selected_action": selected,
            "apply": "1",
            "closing_status": Status.CONTINUED,
            "closing_reason": "Videreført i Kræftplan V.",
        },
    )
    assert applied.status_code == 302
    response = client.post(url, {"closed_on": today.isoformat(), "closing_note": "Slut."})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.is_closed and agreement.closing_note == "Slut."
