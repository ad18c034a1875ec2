"""HTML and JavaScript typed into text fields is shown as text everywhere, never run."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from agreements.status import Status
from tests.commands import send_reminders
from tests.factories import ContactFactory, ObligationFactory, StatusReportFactory

pytestmark = pytest.mark.django_db

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def evil(agreement, regions, taskforce):
    ob = ObligationFactory(
        agreement=agreement,
        key="ond",
        action=f"Handling {EVIL}",
        quote=f"Citat {EVIL}",
        phrase="primo 2017",
        lead_owner=regions,
    )
    ob.forums.add(taskforce)
    StatusReportFactory(
        obligation=ob,
        status=Status.AT_RISK,
        text=f"Rapport {EVIL}",
        registered_at=datetime.datetime(2017, 3, 1, 12, tzinfo=datetime.UTC),
    )
    return ob


def assert_escaped(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_the_admin_shows_it_as_text(client, secretariat_member, evil):
    client.force_login(secretariat_member)
    assert_escaped(client.get(reverse("admin:agreements_obligation_changelist")).content.decode())
    change = reverse("admin:agreements_obligation_change", args=[evil.pk])
    assert_escaped(client.get(change).content.decode())
    history = reverse("admin:agreements_obligation_history", args=[evil.pk])
    assert "<script>alert" not in client.get(history).content.decode()


def test_the_taskforce_report_shows_it_as_text(client, secretariat_member, evil):
    client.force_login(secretariat_member)
    html = client.get(reverse("meetings:preview"), {"dato": "2017-06-01"}).content.decode()
    assert_escaped(html)


def test_the_pdf_prints_it_as_text(tmp_path, evil):
    target = tmp_path / "rapport.pdf"
    call_command(
        "taskforce_report", "--meeting", "2017-06-01", "--output", str(target), stdout=io.StringIO()
    )
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    assert "<script>" in " ".join(text.split())  # printed literally, as typed


def test_the_reminder_mail_shows_it_as_text(smtp_server, evil, regions):
    ContactFactory(party=regions, email="ond@example.org")
    send_reminders(datetime.date(2017, 5, 15))
    [message] = smtp_server.to("ond@example.org")
    assert_escaped(message.html)
    assert EVIL in message.text


def test_the_public_pages_show_it_as_text(client, superuser, evil):
    from agreements import publishing
    from agreements.models import Agreement

    evil.status_reports.update(public=True)
    publishing.publish(Agreement.objects.filter(pk=evil.agreement_id), superuser)
    slug = evil.agreement.slug
    for url in (f"/offentlig/aftaler/{slug}/", f"/offentlig/aftaler/{slug}/{evil.key}/"):
        assert_escaped(client.get(url).content.decode())
    csv = client.get(f"/offentlig/data/aftaler/{slug}/forpligtelser.csv").content.decode()
    assert "Rapport <script>" in csv  # data, not a page: as typed
