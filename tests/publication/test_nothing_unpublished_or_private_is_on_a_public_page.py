"""An unpublished agreement, its obligations, a contact, an evidence file, an unconfirmed
claim and a non-public status text are absent from every public page, the JSON and the CSV."""

import pytest

from tests.publication.conftest import urls

pytestmark = pytest.mark.django_db


def test_no_secret_is_on_any_public_page_or_data_file(client, published):
    for url in urls(published):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode("utf-8-sig")
        for secret in published.secrets:
            assert secret not in text, (url, secret)


def test_what_is_published_is_there(client, published):
    pages = {url: client.get(url).content.decode("utf-8-sig") for url in urls(published)}
    agreement_page = pages[f"/offentlig/aftaler/{published.agreement.slug}/"]
    for shown in published.shown:
        assert shown in agreement_page, shown
    for url in ("/offentlig/data/forpligtelser.json", "/offentlig/data/forpligtelser.csv"):
        assert published.obligation.action in pages[url]
        assert published.kl_obligation.action in pages[url]


def test_an_unpublished_agreement_and_its_obligations_are_not_found(client, published):
    slug, key = published.hidden_agreement.slug, published.hidden_obligation.key
    for url in (
        f"/offentlig/aftaler/{slug}/",
        f"/offentlig/aftaler/{slug}/{key}/",
        f"/offentlig/data/aftaler/{slug}/forpligtelser.json",
        f"/offentlig/data/aftaler/{slug}/forpligtelser.csv",
    ):
        assert client.get(url).status_code == 404, url


def test_a_withdrawn_agreement_leaves_the_public_pages(client, published, superuser):
    from agreements import publishing
    from agreements.models import Agreement

    publishing.withdraw(Agreement.objects.filter(pk=published.agreement.pk), superuser)
    assert client.get(f"/offentlig/aftaler/{published.agreement.slug}/").status_code == 404
    assert published.obligation.action not in client.get("/offentlig/").content.decode()
    assert client.get("/offentlig/data/forpligtelser.json").json() == []


def test_a_claim_not_confirmed_shows_the_state_before_it(client, published):
    rows = client.get("/offentlig/data/forpligtelser.json").json()
    by_key = {row["noegle"]: row for row in rows}
    claimed = by_key[published.obligation.key]
    # The claim of færdiggjort waits for review: the report before it, i risiko, stands,
    # and its text is not public.
    assert claimed["status"] == "i_risiko"
    assert claimed["status_tekst"] == "I risiko, overskredet"
    assert claimed["overskredet"] is True
    assert claimed["status_dato"] == "2024-02-10"
    assert claimed["status_beskrivelse"] == ""
    confirmed = by_key[published.kl_obligation.key]
    assert confirmed["status"] == "faerdiggjort"
    assert confirmed["status_tekst"] == "Færdiggjort (bekræftet)"
    assert confirmed["status_beskrivelse"] == "Puljen er udmøntet til alle kommuner."
    assert confirmed["dokumentation"] == "https://www.sst.dk/puljen"
    assert confirmed["ansvarlige"] == ["KL"]


def test_the_history_shows_only_public_texts_and_no_claim(client, published):
    page = client.get(
        f"/offentlig/aftaler/{published.agreement.slug}/{published.obligation.key}/"
    ).content.decode()
    assert "I risiko" in page
    assert "Oplægget er under udarbejdelse." in page
    assert "Færdiggjort" not in page


def test_only_a_public_evidence_file_is_served(client, published):
    page = client.get(
        f"/offentlig/aftaler/{published.agreement.slug}/{published.kl_obligation.key}/"
    ).content.decode()
    url = f"/offentlig/bilag/{published.public_report.pk}/"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/offentlig/bilag/{published.private_report.pk}/").status_code == 404
    claim = published.obligation.status_reports.get(status="faerdiggjort")
    assert client.get(f"/offentlig/bilag/{claim.pk}/").status_code == 404
