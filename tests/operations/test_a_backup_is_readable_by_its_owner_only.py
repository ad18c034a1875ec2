"""A backup holds the users' password hashes: only its owner may read it."""

import os
import stat
from contextlib import contextmanager

import pytest
from django.core.management import call_command

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


@pytest.mark.parametrize("name", ["backup.json", "backup.json.gz"])
def test_a_backup_is_made_readable_and_writable_by_its_owner_only(tmp_path, name):
    UserFactory(username="rikke")
    with umask(0o022):
        call_command("backup_data", str(tmp_path / name))
    assert mode(tmp_path / name) == "0o600"
    assert [path.name for path in tmp_path.iterdir()] == [name]


def test_a_backup_over_a_readable_file_is_readable_by_its_owner_only(tmp_path):
    UserFactory(username="rikke")
    old = tmp_path / "backup.json"
    old.write_text("[]")
    old.chmod(0o644)
    with umask(0o022):
        call_command("backup_data", str(old))
    assert mode(old) == "0o600"
    assert '"username": "rikke"' in old.read_text()
