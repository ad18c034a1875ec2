"""`manage.py taskforce_report`: the report as a file, for a meeting or any day."""

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader


def run(*args: str) -> str:
    err = io.StringIO()
    call_command("taskforce_report", *args, stderr=err)
    return err.getvalue()


def test_the_command_writes_the_report_as_html(scenario, tmp_path):
    output = tmp_path / "rapport.html"
    said = run("--meeting", "2017-06-01", "--output", str(output))
    html = output.read_text()
    assert "Møde 1. juni 2017: Sommermødet" in html
    assert "Hvidbog om patientansvarlig læge" in html
    assert said.startswith(f"Wrote {output}: meeting, 6 obligations")


def test_the_command_writes_the_report_as_pdf(scenario, tmp_path):
    output = tmp_path / "rapport.PDF"
    run("--meeting", "2017-06-01", "--output", str(output))
    text = "".join(page.extract_text() for page in PdfReader(output).pages)
    assert "4. Ændringer siden sidste møde" in text
    assert "Hvidbog om patientansvarlig" in text


def test_a_day_without_a_meeting_gives_a_preview(scenario, tmp_path):
    output = tmp_path / "preview.html"
    said = run("--meeting", "2017-07-01", "--output", str(output))
    assert "preview (no meeting recorded that day)" in said
    assert "Forhåndsvisning for 1. juli 2017" in output.read_text()


def test_the_command_filters_by_agreement_and_owner(scenario, tmp_path):
    output = tmp_path / "kl.html"
    run(
        "--meeting",
        "2017-06-01",
        "--forum",
        "taskforce",
        "--agreement",
        "kraeftplan-iv",
        scenario.other_agreement.slug,
        "--owner",
        "kl",
        "--output",
        str(output),
    )
    html = output.read_text()
    assert "Kommunal plan for rehabilitering" in html
    assert "Oplæg om hurtigere udredning" in html
    assert "Hvidbog om patientansvarlig læge" not in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--meeting", "2017-13-01"], "Bad date '2017-13-01': write it as YYYY-MM-DD"),
        (["--meeting", "2017-06-01", "--forum", "styregruppen"], "Unknown forum 'styregruppen'"),
        (["--meeting", "2017-06-01", "--agreement", "nope"], "Unknown agreement: nope"),
        (["--meeting", "2017-06-01", "--owner", "nobody"], "Unknown owner: nobody"),
    ],
)
def test_bad_input_gives_a_clear_error(scenario, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args, "--output", str(tmp_path / "r.pdf"))
    assert not (tmp_path / "r.pdf").exists()


def test_an_unknown_output_extension_is_refused_before_any_work(db, tmp_path):
    with pytest.raises(
        CommandError, match=r"Unknown output extension '\.odt': use \.pdf, \.docx or \.html"
    ):
        run("--meeting", "2017-06-01", "--output", str(tmp_path / "r.odt"))
