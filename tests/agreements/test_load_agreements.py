"""load_agreements: one transaction, idempotent, and a clear error for a broken fixture."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agreements.loading import FIXTURES_DIR
from agreements.models import Agreement, Obligation, Party
from agreements.status import Status
from tracker.models import StatusReport

pytestmark = pytest.mark.django_db


def load(*args, fixtures=None) -> str:
    out = StringIO()
    extra = ["--fixtures", str(fixtures)] if fixtures else []
    call_command("load_agreements", *args, *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def fixtures_copy(tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES_DIR, target)
    return target


def test_it_loads_all_five_agreements():
    load()
    assert Agreement.objects.count() == 5
    for agreement in Agreement.objects.all():
        assert agreement.obligations.exists(), agreement.slug
        assert agreement.source_text.strip()


def test_a_second_run_changes_nothing():
    load("--with-history")
    history_rows = Obligation.history.count() + StatusReport.history.count()
    out = load("--with-history")
    assert "Nothing changed." in out
    assert Obligation.history.count() + StatusReport.history.count() == history_rows


def test_it_never_touches_the_coordinators_status_reports(obligation):
    load()
    ob = Obligation.objects.filter(agreement__slug="kraeftplan-iv").first()
    report = StatusReport.objects.create(obligation=ob, status=Status.AT_RISK, text="Min rapport")
    load()
    assert StatusReport.objects.get(pk=report.pk).text == "Min rapport"
    ob.refresh_from_db()
    assert ob.status == Status.AT_RISK


def test_history_is_optional():
    load()
    assert not StatusReport.objects.exists()
    load("--with-history")
    reports = StatusReport.objects.all()
    assert reports.exists()
    assert all(report.source for report in reports)


def test_an_edited_fixture_updates_the_obligation(fixtures_copy):
    load(fixtures=fixtures_copy)
    path = fixtures_copy / "agreements" / "kraeftplan-iv.yaml"
    ob = Obligation.objects.filter(agreement__slug="kraeftplan-iv").first()
    path.write_text(
        path.read_text(encoding="utf-8").replace(ob.action, ob.action + " (rettet)", 1),
        encoding="utf-8",
    )
    load(fixtures=fixtures_copy)
    ob.refresh_from_db()
    assert ob.action.endswith("(rettet)")


def test_a_broken_fixture_is_a_clear_error_and_changes_nothing(fixtures_copy):
    load(fixtures=fixtures_copy)
    before = list(Obligation.objects.order_by("pk").values_list("pk", "action", "due_end"))
    path = fixtures_copy / "agreements" / "kraeftplan-iv.yaml"
    text = path.read_text(encoding="utf-8")
    # An owner nobody knows, and a quote that is not in the agreement.
    text = text.replace("owners: [", "owners: [ukendt-part, ", 1)
    text = text.replace("quote: ", "quote: Dette står ikke i aftalen. ", 1)
    path.write_text(text, encoding="utf-8")
    other = fixtures_copy / "agreements" / "jo-foer-jo-bedre.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("action: ", "action: NY ", 1))
    with pytest.raises(CommandError) as error:
        load(fixtures=fixtures_copy)
    message = str(error.value)
    assert "nothing was loaded" in message
    assert "unknown owner 'ukendt-part'" in message
    assert "the quote is not found" in message
    after = list(Obligation.objects.order_by("pk").values_list("pk", "action", "due_end"))
    assert after == before


def test_invalid_yaml_names_the_file(fixtures_copy):
    (fixtures_copy / "agreements" / "kraeftplan-iv.yaml").write_text("obligations: [\n  - key: x\n")
    with pytest.raises(CommandError, match=r"kraeftplan-iv\.yaml: not valid YAML"):
        load(fixtures=fixtures_copy)
    assert not Party.objects.exists()
