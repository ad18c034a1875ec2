"""The link is the credential: what it does not open, it changes nothing through."""

import pytest
from django.test import Client

from agreements.status import Status
from tests.tracker.rounds.conftest import answer_path
from tracker.models import RoundItem, RoundLink, StatusReport
from tracker.rounds import links, progress


def record(status_round):
    """What a refused request must leave as it was."""
    return (
        list(StatusReport.objects.order_by("pk").values_list("pk", "status", "text")),
        list(
            RoundItem.objects.filter(status_round=status_round)
            .order_by("pk")
            .values_list("pk", "answered_at", "report_id")
        ),
    )


def answer(client, token, obligation, status=Status.DELAYED, text="Forsinket af udbud."):
    return client.post(
        answer_path(token),
        {f"o-{obligation.pk}-answer": status, f"o-{obligation.pk}-text": text},
    )


def test_the_token_is_long_random_and_stored_only_as_a_hash(status_round, rikke):
    link, token = links.mint(status_round, rikke)
    other = links.mint(status_round, rikke)[1]
    assert len(token) >= 43  # 256 bits as URL-safe base64; at least 128 asked
    assert token != other
    stored = RoundLink.objects.filter(pk=link.pk).values().get()
    assert token not in [str(v) for v in stored.values()]
    assert stored["token_hash"] == links.token_hash(token)


def test_a_wrong_token_opens_nothing(client, status_round, rikke_token, world):
    before = record(status_round)
    wrong = rikke_token[:-2] + ("AA" if not rikke_token.endswith("AA") else "BB")
    response = client.get(answer_path(wrong))
    assert response.status_code == 404
    assert "Linket findes ikke" in response.text
    assert answer(client, wrong, world["late"]).status_code == 404
    assert record(status_round) == before


def test_a_token_of_a_closed_round_opens_nothing(client, status_round, rikke_token, world):
    progress.close(status_round)
    before = record(status_round)
    response = client.get(answer_path(rikke_token))
    assert response.status_code == 410
    assert "Statusrunden er lukket" in response.text
    assert world["late"].action not in response.text
    assert answer(client, rikke_token, world["late"]).status_code == 410
    assert record(status_round) == before


def test_a_revoked_token_opens_nothing(client, status_round, rikke_token, world):
    RoundLink.objects.get().revoke()
    before = record(status_round)
    response = client.get(answer_path(rikke_token))
    assert response.status_code == 410
    assert "tilbagekaldt" in response.text
    assert answer(client, rikke_token, world["late"]).status_code == 410
    assert record(status_round) == before


def test_a_post_with_another_partys_obligation_changes_nothing(
    client, status_round, karl, world, agreement
):
    karl_token = links.mint(status_round, karl)[1]
    before = record(status_round)
    # KL's page shows only the obligation KL leads; Regions' own are not KL's to answer.
    response = client.post(
        answer_path(karl_token),
        {
            f"o-{world['shared'].pk}-answer": Status.ON_TRACK,
            f"o-{world['late'].pk}-answer": Status.DONE,
            f"o-{world['late'].pk}-text": "Færdig.",
        },
    )
    assert response.status_code == 400
    assert "intet er gemt" in response.text
    assert record(status_round) == before


def test_a_post_for_an_obligation_not_in_the_round_changes_nothing(
    client, status_round, rikke_token, world
):
    before = record(status_round)
    # The done obligation was not asked about: it is not in the round.
    response = answer(client, rikke_token, world["done"], Status.DROPPED, "Bortfaldet.")
    assert response.status_code == 400
    assert record(status_round) == before


def test_a_post_after_the_round_closed_changes_nothing(client, status_round, rikke_token, world):
    # The page was opened while the round was open...
    page = client.get(answer_path(rikke_token))
    assert page.status_code == 200 and world["late"].action in page.text
    progress.close(status_round)
    before = record(status_round)
    # ... and sent after it closed.
    response = answer(client, rikke_token, world["late"])
    assert response.status_code == 410
    assert record(status_round) == before


def test_a_link_of_a_contact_who_moved_to_another_party_opens_nothing(
    client, status_round, rikke, rikke_token, kl
):
    rikke.party = kl
    rikke.save()
    assert client.get(answer_path(rikke_token)).status_code == 410


def test_the_page_is_not_cached_sent_on_or_indexed(status_round, rikke_token):
    response = Client().get(answer_path(rikke_token))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.parametrize("method", ["put", "delete"])
def test_other_methods_are_refused(client, status_round, rikke_token, method):
    assert getattr(client, method)(answer_path(rikke_token)).status_code == 405
