"""Agreements arrive as saved web pages and Word files too: their main text is read, one
block per line (headings, paragraphs, bullets, table rows), without the page's furniture."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from docx import Document

from agreements.models import Agreement
from agreements.reading import UnreadableFile, read_agreement_file

WEB_PAGE = """<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>Aftale om en ny ordning</title></head>
<body>
<a href="#main">Spring til hovedindhold</a>
<nav><ul><li><a href="/">Forside</a></li><li><a href="/nyheder">Nyheder</a></li>
<li><a href="/om">Om ministeriet</a></li></ul></nav>
<div id="cookie">Vi bruger cookies til statistik. <button>Accepter alle</button></div>
<main id="main"><article>
<h1>Aftale om en ny indsats for tidlig opsporing</h1>
<p>Regeringen, Danske Regioner og KL har indgået en aftale om en ny indsats for tidlig
opsporing af kræft. Aftalen følges op af en arbejdsgruppe, som mødes løbende, og den
bygger på erfaringerne fra de seneste års pilotprojekter i regionerne og kommunerne.</p>
<h2>Tidsplan</h2>
<ul>
<li>April 2027: Sundhedsstyrelsen udarbejder faglige anbefalinger.</li>
<li>1. januar 2028: Regionerne igangsætter den nye indsats.</li>
</ul>
<table><tr><th>Hvornår</th><th>Hvad</th></tr>
<tr><td>Ultimo 2028</td><td>KL udarbejder en status for kommunernes del.</td></tr></table>
</article></main>
<footer><p>Ministeriet · Holmens Kanal 22 · Tlf. 72 26 90 00</p></footer>
</body></html>"""


def word_file(*, with_table: bool = True) -> bytes:
    document = Document()
    document.add_heading("Aftale om en ny indsats for tidlig opsporing", level=1)
    document.add_paragraph("Parterne er enige om følgende tidsplan for indsatsen.")
    document.add_paragraph(
        "April 2027: Sundhedsstyrelsen udarbejder faglige anbefalinger.", style="List Bullet"
    )
    document.add_paragraph(
        "1. januar 2028: Regionerne igangsætter den nye indsats.", style="List Bullet"
    )
    if with_table:
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Hvornår", "Hvad"
        table.cell(1, 0).text = "Ultimo 2028"
        table.cell(1, 1).text = "KL udarbejder en status for kommunernes del."
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_web_page_gives_its_main_text_without_menus_or_cookie_text():
    text = read_agreement_file("aftale.html", WEB_PAGE.encode())
    lines = text.splitlines()
    assert "Aftale om en ny indsats for tidlig opsporing" in lines
    assert "• April 2027: Sundhedsstyrelsen udarbejder faglige anbefalinger." in lines
    assert "• 1. januar 2028: Regionerne igangsætter den nye indsats." in lines
    assert "Ultimo 2028 | KL udarbejder en status for kommunernes del." in lines
    for furniture in ["Spring til hovedindhold", "cookies", "Om ministeriet", "Holmens Kanal"]:
        assert furniture not in text


def test_a_web_page_in_another_encoding_is_read():
    page = WEB_PAGE.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("latin-1")
    assert "Sundhedsstyrelsen udarbejder faglige" in read_agreement_file("aftale.htm", page)


def test_a_word_file_gives_its_paragraphs_bullets_and_table_rows_in_order():
    lines = read_agreement_file("aftale.docx", word_file()).splitlines()
    assert lines == [
        "Aftale om en ny indsats for tidlig opsporing",
        "Parterne er enige om følgende tidsplan for indsatsen.",
        "• April 2027: Sundhedsstyrelsen udarbejder faglige anbefalinger.",
        "• 1. januar 2028: Regionerne igangsætter den nye indsats.",
        "Hvornår | Hvad",
        "Ultimo 2028 | KL udarbejder en status for kommunernes del.",
    ]


def zip_bomb() -> bytes:
    """A .docx-looking zip whose one member unpacks to far more than the upload limit."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 3_000_000)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tom.html", b"   ", "Websiden er tom"),
        ("menu.html", b"<html><body><nav><a href='/'>Forside</a></nav></body></html>", "ingen"),
        ("rod.docx", b"PK\x03\x04" + bytes(range(256)) * 4, "kan ikke læses som Word-dokument"),
        ("tekst.docx", b"Dette er ikke et Word-dokument", "kan ikke læses som Word-dokument"),
        ("gammel.doc", b"\xd0\xcf\x11\xe0", "Gem dokumentet som .docx"),
    ],
)
def test_a_bad_file_is_a_clear_danish_error(name, content, message):
    with pytest.raises(UnreadableFile, match=message):
        read_agreement_file(name, content)


@override_settings(IMPORT_MAX_BYTES=1_000_000)
def test_a_word_file_that_unpacks_to_too_much_is_refused():
    with pytest.raises(UnreadableFile, match="udpakker til mere, end det må"):
        read_agreement_file("bombe.docx", zip_bomb())


def test_an_empty_word_file_says_so():
    out = io.BytesIO()
    Document().save(out)
    with pytest.raises(UnreadableFile, match="ingen tekst"):
        read_agreement_file("tom.docx", out.getvalue())


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".html", ".docx"])
def test_find_candidates_reads_web_pages_and_word_files(tmp_path, suffix):
    path = tmp_path / f"aftale{suffix}"
    path.write_bytes(WEB_PAGE.encode() if suffix == ".html" else word_file())
    out = io.StringIO()
    call_command("find_candidates", str(path), "--format", "json", stdout=out)
    found = {c["phrase"].lower(): c for c in json.loads(out.getvalue())}
    assert found["april 2027"]["start"] == "2027-04-01"
    assert "Sundhedsstyrelsen udarbejder faglige anbefalinger" in found["april 2027"]["quote"]
    assert found["1. januar 2028"]["end"] == "2028-01-01"
    assert "Regionerne igangsætter" in found["1. januar 2028"]["quote"]
    assert found["ultimo 2028"]["end"] == "2028-12-31"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"), [("aftale.html", WEB_PAGE.encode()), ("aftale.docx", word_file())]
)
def test_the_upload_page_takes_a_web_page_or_a_word_file(
    client, secretariat_member, regions, name, content
):
    client.force_login(secretariat_member)
    response = client.post(
        reverse("agreements:upload"),
        {
            "title": "Aftale om tidlig opsporing",
            "short_name": "Tidlig opsporing",
            "year": "2027",
            "date_note": "Ingen dato i teksten",
            "parties": [regions.pk],
            "file": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Agreement.objects.get(short_name="Tidlig opsporing").source_text
    assert "• April 2027: Sundhedsstyrelsen udarbejder faglige anbefalinger." in stored
    assert "Spring til hovedindhold" not in stored
