"""A status text with a control character (a NUL, a vertical tab from a paste), a link that
is too long, not http(s), or holds a character that turns the writing direction, is refused
with a Danish error on every path that writes a report: the answer page, the obligation's
page with its inline, and the report's own page. Nothing is saved, what was typed stays, and
no path answers 500 (PostgreSQL cannot store a NUL at all; the suite runs this there too)."""

import pytest

from agreements.status import Status
from common.validation import LINK_MAX_LENGTH
from tests.admin_forms import change_url, obligation_post, report_post
from tests.factories import StatusReportFactory
from tests.tracker.rounds.conftest import answer, answer_path, form_fields
from tracker.models import StatusReport

pytestmark = pytest.mark.django_db

LONG = "https://example.org/" + "a" * (LINK_MAX_LENGTH - len("https://example.org/"))
BAD = [
    ("text", "Forsinket\x00 pga. data", "kontroltegn"),
    ("text", "Indsat fra Word\x0b med lodret tabulator", "kontroltegn"),
    ("url", LONG + "b", f"{LINK_MAX_LENGTH} tegn"),
    ("url", "https://example.org/\u202egpj.exe", "skriveretningen"),
    ("url", "javascript:alert(1)", "https://"),
    ("url", "https://example.org/\x00", "kontroltegn"),
]


@pytest.mark.parametrize(("field", "value", "said"), BAD)
def test_the_answer_page_refuses_it_and_keeps_what_was_typed(
    client, status_round, rikke_token, world, field, value, said
):
    soon = world["soon"]
    fields = form_fields(client.get(answer_path(rikke_token)).text)
    typed = {"text": "Status som ventet.", "url": ""} | {field: value}
    response = client.post(
        answer_path(rikke_token), answer(fields, soon, Status.DELAYED, typed["text"], typed["url"])
    )
    assert response.status_code == 200
    assert "Intet er gemt." in response.text and said in response.text
    assert f'id="o-{soon.pk}-{field}-error"' in response.text
    assert not StatusReport.objects.exists()


def test_the_longest_link_the_page_allows_is_kept_whole(client, status_round, rikke_token, world):
    soon = world["soon"]
    fields = form_fields(client.get(answer_path(rikke_token)).text)
    response = client.post(
        answer_path(rikke_token), answer(fields, soon, Status.DELAYED, "Se notatet.", LONG)
    )
    assert response.status_code == 302
    assert StatusReport.objects.get(obligation=soon).evidence_url == LONG


def refused(response) -> None:
    """The admin's form says, in Danish, by the field, that the value was not taken (Django's
    own form fields may word it before the model's rule does)."""
    errors = response.context["errors"]
    assert errors, "the form was not refused"
    assert any(word in str(errors) for word in ("tegn", "URL", "adresse", "Linket"))


@pytest.mark.parametrize(("field", "value", "said"), BAD)
def test_the_obligations_page_refuses_it_in_a_new_report(
    client, obligation, region_coordinator, field, value, said
):
    client.force_login(region_coordinator)
    report = {"status": Status.DELAYED, "text": "Status.", "evidence_url": ""}
    report["evidence_url" if field == "url" else "text"] = value
    response = client.post(change_url(obligation), obligation_post(obligation, reports=[report]))
    assert response.status_code == 200
    refused(response)
    assert not StatusReport.objects.exists()


@pytest.mark.parametrize(("field", "value", "said"), BAD)
def test_the_reports_own_page_refuses_it_in_a_correction(
    client, obligation, region_coordinator, field, value, said
):
    report = StatusReportFactory(
        obligation=obligation, status=Status.ON_TRACK, text="Før.", author=region_coordinator
    )
    client.force_login(region_coordinator)
    url = f"/admin/tracker/statusreport/{report.pk}/change/"
    response = client.post(
        url, report_post(report, **{"evidence_url" if field == "url" else "text": value})
    )
    assert response.status_code == 200
    refused(response)
    report.refresh_from_db()
    assert (report.text, report.evidence_url) == ("Før.", "")
