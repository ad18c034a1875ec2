"""An obligation's key is part of its public address: a key that is not a slug (a formula,
a path) is refused by the import and the loader, and nothing is saved."""

import csv
import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from agreements.export import FIELDS
from agreements.loading import FIXTURES_DIR
from agreements.models import Obligation

pytestmark = pytest.mark.django_db

BAD_KEYS = ['=HYPERLINK("https://example.org","x")', "a/../x", "to ord", "æble"]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_the_import_refuses_a_key_that_is_not_a_slug(agreements_loaded, tmp_path, key):
    path = tmp_path / "forpligtelser.csv"
    call_command(
        "export_obligations", "--format", "csv", "--output", str(path), stderr=io.StringIO()
    )
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    rows[0]["key"] = key
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    before = Obligation.objects.count()
    with pytest.raises(CommandError, match="is not a slug"):
        call_command("import_obligations", str(path), stdout=io.StringIO())
    assert Obligation.objects.count() == before


def test_the_loader_refuses_a_key_that_is_not_a_slug(tmp_path):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(FIXTURES_DIR, fixtures)
    path = fixtures / "agreements" / "kraeftplan-iv.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("key: maal-overlevelse-2025", "key: a/../x", 1), encoding="utf-8")
    before = list(Obligation.objects.values_list("pk", "key", "version"))
    with pytest.raises(CommandError, match="is not a slug"):
        call_command("load_agreements", "--fixtures", str(fixtures), stdout=io.StringIO())
    assert list(Obligation.objects.values_list("pk", "key", "version")) == before
