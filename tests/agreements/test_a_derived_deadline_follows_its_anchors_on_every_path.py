"""A deadline that comes from the obligation it refers to ("Inden da", "forud herfor",
"hurtigst muligt efter …") is worked out on every path that writes the obligation or its
anchors: the loader, the admin's form (adding or changing anchors), either side of the
relation in code, and an anchor whose window moves (in the admin or by the import)."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from agreements import dates
from agreements.export import FIELDS
from agreements.models import Obligation
from tests.factories import AgreementFactory, ObligationFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Oplægget fremsendes til godkendelse medio november 2023. Inden da drøftes udkast til "
    "oplæg i Taskforcen."
)


def expected_window(obligation: Obligation) -> dates.Window | None:
    """The window the time phrase gives from the anchors as they stand: by the earliest
    anchor's deadline ("inden da"), from the day the last anchor was done ("efter")."""
    reading = obligation.read_phrase()
    anchors = list(obligation.anchors.all())
    if reading.before:
        deadlines = [a.due_end for a in anchors]
        return None if None in deadlines else reading.window_before(min(deadlines))
    done = [a.completed_on() for a in anchors]
    return None if None in done else reading.window_after(max(done))


def test_loading_the_agreements_gives_every_derived_deadline():
    call_command("load_agreements", stdout=io.StringIO())

    derived = Obligation.objects.filter(due_set_manually=False).exclude(relative_to="")
    checked = 0
    for obligation in derived.exclude(anchors=None).prefetch_related("anchors"):
        window = expected_window(obligation)
        if window is not None:
            checked += 1
            assert (obligation.due_start, obligation.due_end) == (window.start, window.end), (
                obligation.key
            )
    assert checked >= 3
    deadlines = dict(
        Obligation.objects.filter(
            key__in=[
                "faelles-faglige-vejledninger",
                "patientraadgivning-udkast-taskforce",
                "specialenhed-udkast-taskforce",
            ]
        ).values_list("key", "due_end")
    )
    assert deadlines == {
        "faelles-faglige-vejledninger": datetime.date(2015, 9, 30),
        "patientraadgivning-udkast-taskforce": datetime.date(2023, 11, 20),
        "specialenhed-udkast-taskforce": datetime.date(2023, 11, 20),
    }


@pytest.fixture
def text_agreement(regions):
    return AgreementFactory(slug="patientraadgivning", year=2023, source_text=TEXT)


@pytest.fixture
def submission(text_agreement, regions):
    return ObligationFactory(
        agreement=text_agreement,
        key="oplaeg-fremsendes",
        quote="Oplægget fremsendes til godkendelse medio november 2023.",
        phrase="medio november 2023",
        lead_owner=regions,
    )


def test_anchors_chosen_in_the_admin_give_the_deadline(
    client, superuser, text_agreement, regions, submission
):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:agreements_obligation_add"),
        {
            "agreement": text_agreement.pk,
            "key": "udkast-taskforce",
            "action": "Udkast drøftes i Taskforcen",
            "kind": Obligation.Kind.EVENT,
            "quote": TEXT,
            "phrase": "Inden da",
            "lead_owner": regions.pk,
            "anchors": [submission.pk],
            "order": 0,
            "expected_version": 1,
            "status_reports-TOTAL_FORMS": 0,
            "status_reports-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    draft = Obligation.objects.get(key="udkast-taskforce")
    assert draft.due_end == datetime.date(2023, 11, 20)


@pytest.fixture
def draft(text_agreement, regions, submission):
    return ObligationFactory(
        agreement=text_agreement,
        key="udkast-taskforce",
        quote=TEXT,
        phrase="Inden da",
        lead_owner=regions,
    )


def test_an_anchor_added_or_removed_from_either_side_sets_or_clears_the_deadline(draft, submission):
    submission.dependents.add(draft)
    draft.refresh_from_db()
    assert draft.due_end == datetime.date(2023, 11, 20)

    submission.dependents.clear()
    draft.refresh_from_db()
    assert draft.due_end is None

    draft.anchors.set([submission])
    draft.refresh_from_db()
    assert draft.due_end == datetime.date(2023, 11, 20)


def test_an_anchor_moved_in_the_admin_moves_its_dependents_deadline(
    client, superuser, draft, submission
):
    draft.anchors.add(submission)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:agreements_obligation_change", args=[submission.pk]),
        {
            "agreement": submission.agreement_id,
            "key": submission.key,
            "action": submission.action,
            "kind": submission.kind,
            "quote": submission.quote,
            "phrase": submission.phrase,
            "lead_owner": submission.lead_owner_id,
            "due_set_manually": "on",
            "due_start": "",
            "due_end": "15.12.2023",
            "due_manual_reason": "Udskudt efter aftale med ministeriet.",
            "order": 0,
            "expected_version": submission.version,
            "status_reports-TOTAL_FORMS": 0,
            "status_reports-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.due_end == datetime.date(2023, 12, 15)


def test_anchors_in_a_circle_stop_and_stay_undated(text_agreement, regions, draft, submission):
    other = ObligationFactory(
        agreement=text_agreement, key="andet", quote=TEXT, phrase="Inden da", lead_owner=regions
    )
    draft.anchors.add(submission, other)
    other.anchors.add(draft)
    draft.anchors.add(other)

    submission.due_set_manually = True
    submission.due_end = datetime.date(2023, 11, 1)
    submission.due_manual_reason = "Fremrykket."
    submission.save()

    # Each waits for the other's deadline: neither gets one, and nothing loops.
    assert dict(Obligation.objects.values_list("key", "due_end")) == {
        "oplaeg-fremsendes": datetime.date(2023, 11, 1),
        "udkast-taskforce": None,
        "andet": None,
    }


def test_an_anchor_moved_by_the_import_moves_its_dependents_deadline(tmp_path):
    call_command("load_agreements", stdout=io.StringIO())
    draft = Obligation.objects.get(key="patientraadgivning-udkast-taskforce")
    assert draft.due_end == datetime.date(2023, 11, 20)
    path = tmp_path / "forpligtelser.csv"
    call_command("export_obligations", "--format", "csv", "--output", str(path))
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    for row in rows:
        if row["key"] == "patientraadgivning-oplaeg-fremsendes":
            row["phrase"] = "november 2023"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8-sig"))

    call_command("import_obligations", str(path), stdout=io.StringIO())

    draft.refresh_from_db()
    assert draft.due_end == datetime.date(2023, 11, 30)
