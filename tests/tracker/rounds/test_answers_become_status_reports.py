"""An answer on the answer page is a status report by the contact, given in the round."""

import datetime

import time_machine
from django.utils import timezone

from agreements.status import Status
from tests.tracker.rounds.conftest import answer_path
from tracker import completion
from tracker.models import ANSWER_GIVEN, ANSWER_UNCHANGED, RoundItem, StatusReport
from tracker.rounds import links


def item(status_round, obligation) -> RoundItem:
    return RoundItem.objects.select_related("report").get(
        status_round=status_round, obligation=obligation
    )


def test_the_page_lists_the_partys_obligations_in_the_round_with_where_they_stand(
    client, status_round, rikke_token, world
):
    response = client.get(answer_path(rikke_token))
    page = response.text
    # Led and co-owned, open; not the closed one.
    for key in ("late", "soon", "shared"):
        assert f'data-obligation="{world[key].pk}"' in page
    assert f'data-obligation="{world["done"].pk}"' not in page
    assert "Forsinket" in page and "Kræftplan IV" in page
    assert "Besvaret: 0 af 3." in page


def test_a_new_status_becomes_a_report_by_the_contact_at_the_servers_time(
    client, status_round, rikke, rikke_token, world
):
    late = world["late"]
    moment = timezone.now().replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        response = client.post(
            answer_path(rikke_token),
            {
                f"o-{late.pk}-answer": Status.AT_RISK,
                f"o-{late.pk}-text": "Afventer svar fra ministeriet.",
                f"o-{late.pk}-url": "https://example.org/notat.pdf",
                # A posted time is not the server's: it is ignored.
                "reported_at": "2001-01-01T00:00",
            },
        )
    assert response.status_code == 302 and "gemt=1" in response["Location"]
    report = StatusReport.objects.get(obligation=late)
    assert (report.status, report.text, report.evidence_url) == (
        Status.AT_RISK,
        "Afventer svar fra ministeriet.",
        "https://example.org/notat.pdf",
    )
    assert report.contact == rikke and report.author is None
    assert report.status_round == status_round and not report.unchanged
    assert report.reported_at == moment
    late.refresh_from_db()
    assert late.status == Status.AT_RISK
    assert item(status_round, late).answer == ANSWER_GIVEN
    assert "Gemt: 1 svar." in client.get(response["Location"]).text


def test_unchanged_is_an_answer_too(client, status_round, rikke_token, world):
    soon = world["soon"]
    client.post(answer_path(rikke_token), {f"o-{soon.pk}-answer": "uaendret"})
    report = StatusReport.objects.get(obligation=soon)
    assert report.unchanged and report.status == Status.NOT_STARTED
    found = item(status_round, soon)
    assert found.answer == ANSWER_UNCHANGED and found.answered_at is not None
    soon.refresh_from_db()
    assert soon.status == Status.NOT_STARTED


def test_a_status_that_needs_a_word_is_refused_without_one_and_nothing_is_lost(
    client, status_round, rikke_token, world
):
    late, soon = world["late"], world["soon"]
    response = client.post(
        answer_path(rikke_token),
        {
            f"o-{soon.pk}-answer": Status.ON_TRACK,
            f"o-{soon.pk}-text": "Gruppen er nedsat og mødes i januar.",
            f"o-{late.pk}-answer": Status.DELAYED,
            f"o-{late.pk}-text": "",
            f"o-{late.pk}-url": "ikke et link",
        },
    )
    assert response.status_code == 200
    page = response.text
    assert "Intet er gemt." in page
    assert "teksten skal udfyldes ved »Forsinket«" in page
    assert "https://" in page and f'id="o-{late.pk}-url-error"' in page
    # What was typed on both rows stands on the page.
    assert "Gruppen er nedsat og mødes i januar." in page
    assert 'value="ikke et link"' in page
    assert f'<option value="{Status.DELAYED}" selected>' in page
    # Nothing saved: not even the row without an error.
    assert not StatusReport.objects.exists()
    assert not RoundItem.objects.filter(answered_at__isnull=False).exists()


def test_an_answer_is_changed_until_the_round_closes_and_the_history_keeps_it(
    client, status_round, rikke_token, world
):
    soon = world["soon"]
    path = answer_path(rikke_token)
    client.post(path, {f"o-{soon.pk}-answer": Status.ON_TRACK, f"o-{soon.pk}-text": "I gang."})
    client.post(path, {f"o-{soon.pk}-answer": Status.AT_RISK, f"o-{soon.pk}-text": "Mangler folk."})
    [report] = StatusReport.objects.filter(obligation=soon)
    assert (report.status, report.text) == (Status.AT_RISK, "Mangler folk.")
    assert list(report.history.order_by("history_date").values_list("text", flat=True)) == [
        "I gang.",
        "Mangler folk.",
    ]


def test_a_second_contact_of_the_party_sees_what_the_first_answered(
    client, status_round, rikke_token, world, regions
):
    soon = world["soon"]
    client.post(
        answer_path(rikke_token),
        {f"o-{soon.pk}-answer": Status.ON_TRACK, f"o-{soon.pk}-text": "Vi er i gang."},
    )
    rasmus = regions.contacts.get(email="rasmus@regioner.example.org")
    page = client.get(answer_path(links.mint(status_round, rasmus)[1])).text
    assert "Vi er i gang." in page and "af Rikke Region" in page
    assert "Besvaret: 1 af 3." in page


def test_a_closing_status_is_a_claim_the_secretariat_confirms(
    client, status_round, rikke_token, world, secretariat_member
):
    soon = world["soon"]
    client.post(
        answer_path(rikke_token),
        {f"o-{soon.pk}-answer": Status.DONE, f"o-{soon.pk}-text": "Oplægget er sendt."},
    )
    report = StatusReport.objects.get(obligation=soon)
    assert list(completion.awaiting_review()) == [report]
    completion.confirm(report, secretariat_member)
    # Reviewed, the answer can no longer be changed from the link.
    response = client.post(
        answer_path(rikke_token),
        {f"o-{soon.pk}-answer": Status.ON_TRACK, f"o-{soon.pk}-text": "Alligevel ikke."},
    )
    assert "Sekretariatet har behandlet svaret" in response.text
    report.refresh_from_db()
    assert report.status == Status.DONE and report.confirmed_at is not None


def test_a_page_opened_is_recorded_once(client, status_round, rikke_token):
    first = timezone.now() - datetime.timedelta(minutes=5)
    with time_machine.travel(first, tick=False):
        client.get(answer_path(rikke_token))
    client.get(answer_path(rikke_token))
    [link] = status_round.links.all()
    assert link.first_opened_at == first
