"""The reader shows an agreement with its obligations and the clauses not yet captured."""

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Agreement
from operations.loading import load_agreements
from tests.browser import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    load_agreements()
    return Agreement.objects.get(slug="udmoentning-2023-97-mio")


def test_captured_obligations_are_highlighted_and_linked(client, secretariat_member, loaded):
    client.force_login(secretariat_member)
    html = client.get(reverse("agreements:reader", args=[loaded.slug])).content.decode()
    ob = loaded.obligations.first()
    assert reverse("admin:agreements_obligation_change", args=[ob.pk]) in html
    assert html.count('class="captured"') >= loaded.obligations.count() // 2
    assert "tidsudtryk dækket" in html


def test_uncovered_clauses_are_marked_with_a_prefilled_create_link(
    client, secretariat_member, loaded
):
    loaded.obligations.filter(key__startswith="skriftlig-status").delete()
    client.force_login(secretariat_member)
    html = client.get(reverse("agreements:reader", args=[loaded.slug])).content.decode()
    assert "[Kandidat" in html
    assert "Opret forpligtelse" in html
    assert "phrase=primo+2024" in html


def test_a_coordinator_reads_but_gets_no_create_links(client, region_coordinator, loaded):
    client.force_login(region_coordinator)
    html = client.get(reverse("agreements:reader", args=[loaded.slug])).content.decode()
    assert "tidsudtryk dækket" in html
    assert "Opret forpligtelse</a>" not in html


def test_agreement_text_is_escaped(client, secretariat_member, agreement):
    agreement.source_text = 'Sundhedsstyrelsen <script>alert("x")</script> udarbejder i 2027.'
    agreement.save()
    client.force_login(secretariat_member)
    html = client.get(reverse("agreements:reader", args=[agreement.slug])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def upload(client, file, **fields):
    data = {"title": "Aftale om Kræftplan VI", "short_name": "Kræftplan VI", "year": 2026,
            "date_note": "Ingen dato i teksten", "file": file, **fields}  # fmt: skip
    return client.post(reverse("agreements:upload"), data)


def test_uploading_a_text_creates_the_agreement_and_opens_the_reader(
    client, secretariat_member, regions
):
    client.force_login(secretariat_member)
    text = b"Sundhedsstyrelsen udarbejder anbefalinger primo 2027."
    response = upload(client, SimpleUploadedFile("kp6.txt", text), parties=[regions.pk])
    agreement = Agreement.objects.get(short_name="Kræftplan VI")
    assert response.url == reverse("agreements:reader", args=[agreement.slug])
    assert "primo 2027" in client.get(response.url).content.decode()


def test_uploading_a_pdf_reads_its_text_layer(client, secretariat_member, regions):
    client.force_login(secretariat_member)
    pdf = weasyprint.HTML(string="<p>Danske Regioner udarbejder en status ultimo 2027.</p>")
    response = upload(client, SimpleUploadedFile("kp6.pdf", pdf.write_pdf()), parties=[regions.pk])
    assert response.status_code == 302
    assert "ultimo 2027" in Agreement.objects.get(short_name="Kræftplan VI").source_text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", weasyprint.HTML(string="<p></p>").write_pdf(), "intet tekstlag"),
        ("aftale.docx", b"PK\x03\x04", "kan ikke læses som Word-dokument"),
        ("aftale.odt", b"PK\x03\x04", "Gem dokumentet som .docx"),
        ("aftale.xlsx", b"PK\x03\x04", "Kun .txt-, .pdf-, .html- og .docx-filer"),
        ("latin.txt", "kræft".encode("latin-1"), "ikke UTF-8"),
    ],
)
def test_a_bad_file_is_a_clear_error_that_keeps_the_form(
    client, secretariat_member, name, content, message
):
    client.force_login(secretariat_member)
    response = upload(client, SimpleUploadedFile(name, content))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Aftale om Kræftplan VI" in html
    assert not Agreement.objects.filter(short_name="Kræftplan VI").exists()


def test_only_the_secretariat_uploads(client, region_coordinator):
    client.force_login(region_coordinator)
    response = upload(client, SimpleUploadedFile("kp6.txt", b"primo 2027"))
    assert response.status_code == 403
    assert not Agreement.objects.filter(short_name="Kræftplan VI").exists()


@pytest.mark.django_db(transaction=True)
def test_the_reader_is_opened_from_the_admin_and_creates_an_obligation(page, live_server):
    load_agreements()
    agreement = Agreement.objects.get(slug="udmoentning-2023-97-mio")
    agreement.obligations.filter(key="skriftlig-status-primo-2024").delete()
    UserFactory(username="laeser", password="en-lang-adgangskode-3", is_superuser=True)
    log_in(page, live_server, "laeser", "en-lang-adgangskode-3")
    page.goto(f"{live_server.url}/admin/agreements/agreement/{agreement.pk}/change/")
    page.get_by_role("link", name="Åbn aftalen i læseren").click()
    assert page.locator("mark.captured").count() > 0
    page.locator("mark.candidate", has_text="primo 2024").get_by_role(
        "link", name="Opret forpligtelse"
    ).click()
    assert page.locator("#id_phrase").input_value() == "primo 2024"
    assert "primo 2024" in page.locator("#id_quote").input_value()


def test_a_timeline_offers_its_new_actors_as_parties_and_dates_bullets_by_heading(
    client, secretariat_member, regions
):
    client.force_login(secretariat_member)
    text = (
        "Tidsplan\n\n"
        "• April 2027: Lovforslaget fremsættes af sundhedsministeren.\n\n"
        "2. halvår 2027\n"
        "• STAR udsender en vejledning til jobcentrene\n"
    ).encode()
    response = upload(client, SimpleUploadedFile("kp6.txt", text), parties=[regions.pk])
    html = client.get(response.url).content.decode()
    party_add = reverse("admin:agreements_party_add")
    assert f'href="{party_add}?name=Sundhedsministeren">Opret part: Sundhedsministeren</a>' in html
    assert f'href="{party_add}?name=STAR">Opret part: STAR</a>' in html
    assert "[Frist fra overskriften »2. halvår 2027«: 2. halvår 2027]" in html
    # The bullet led by its date is one candidate with its action.
    assert "April 2027: Lovforslaget fremsættes af sundhedsministeren." in html
    assert "phrase=April+2027" in html
