"""A published agreement with every kind of thing that must not be public beside what is,
and an agreement that is not published."""

import datetime
import io
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from agreements import publishing
from agreements.models import Agreement
from tests.factories import (
    AgreementFactory,
    ObligationFactory,
    PartyFactory,
    StatusReportFactory,
    UserFactory,
)
from tracker import completion


@pytest.fixture(autouse=True)
def fresh_cache():
    """The public pages are cached for a minute: each test starts with none cached."""
    cache.clear()
    yield
    cache.clear()


def at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T10:00:00+01:00")


@dataclass
class Published:
    agreement: object
    obligation: object  # igangsat, then a claim of færdiggjort not confirmed yet
    kl_obligation: object  # færdiggjort, confirmed, with a public text and file
    hidden_agreement: object
    hidden_obligation: object
    # What is never on a public page:
    secrets: list[str]
    # What is:
    shown: list[str]
    public_report: object
    private_report: object


def urls(published: "Published") -> list[str]:
    """Every public page and data file there is for the scenario."""
    slug = published.agreement.slug
    return [
        "/offentlig/",
        f"/offentlig/aftaler/{slug}/",
        f"/offentlig/aftaler/{slug}/{published.obligation.key}/",
        f"/offentlig/aftaler/{slug}/{published.kl_obligation.key}/",
        "/offentlig/data/",
        "/offentlig/data/forpligtelser.json",
        "/offentlig/data/forpligtelser.csv",
        f"/offentlig/data/aftaler/{slug}/forpligtelser.json",
        f"/offentlig/data/aftaler/{slug}/forpligtelser.csv",
    ]


@pytest.fixture
def published(agreement, obligation, kl_obligation, superuser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    author = UserFactory(
        username="frida-forfatter", first_name="Frida", last_name="Forfatter", is_superuser=True
    )
    StatusReportFactory(
        obligation=obligation,
        status="igangsat",
        text="Oplægget er under udarbejdelse.",
        public=True,
        registered_at=at("2024-01-10"),
        author=author,
    )
    private_report = StatusReportFactory(
        obligation=obligation,
        status="i_risiko",
        text="Intern note: budgettet er ikke godkendt.",
        evidence_url="https://intranet.example.org/intern-note",
        registered_at=at("2024-02-10"),
        author=author,
    )
    private_report.evidence_file.save("intern-note.pdf", io.BytesIO(b"%PDF-1.4\n%%EOF\n"))
    claim = StatusReportFactory(
        obligation=obligation,
        status="faerdiggjort",
        text="Anmeldt færdig: oplægget er sendt.",
        public=True,
        registered_at=at("2024-03-10"),
        author=author,
    )
    claim.evidence_file.save("anmeldt-bilag.pdf", io.BytesIO(b"%PDF-1.4\n%%EOF\n"))

    done = StatusReportFactory(
        obligation=kl_obligation,
        status="faerdiggjort",
        text="Puljen er udmøntet til alle kommuner.",
        evidence_url="https://www.sst.dk/puljen",
        public=True,
        registered_at=at("2024-04-10"),
        author=author,
    )
    done.evidence_file.save("udmoentning.pdf", io.BytesIO(b"%PDF-1.4\n%%EOF\n"))
    completion.confirm(done, superuser)

    hidden_party = PartyFactory(name="Hemmelighedsstyrelsen", slug="hemmelighedsstyrelsen")
    hidden = AgreementFactory(
        title="Den hemmelige udmøntningsaftale", short_name="Hemmelig", slug="hemmelig"
    )
    hidden_obligation = ObligationFactory(
        agreement=hidden, action="Hemmelig plan udarbejdes", lead_owner=hidden_party
    )
    publishing.publish(Agreement.objects.filter(pk=agreement.pk), superuser)
    return Published(
        agreement=agreement,
        obligation=obligation,
        kl_obligation=kl_obligation,
        hidden_agreement=hidden,
        hidden_obligation=hidden_obligation,
        secrets=[
            "Den hemmelige udmøntningsaftale",
            "Hemmelig plan udarbejdes",
            "Hemmelighedsstyrelsen",
            "/hemmelig/",
            "Rikke Region",
            "rikke@regioner.example.org",
            "Karl Kommune",
            "karl@kl.example.org",
            "@example.org",
            "frida-forfatter",
            "Frida",
            "Intern note",
            "intranet.example.org",
            "intern-note",
            "Anmeldt færdig",
            "anmeldt-bilag",
            "(anmeldt)",
        ],
        shown=[obligation.action, kl_obligation.action, "Puljen er udmøntet til alle kommuner."],
        public_report=done,
        private_report=private_report,
    )
