"""The backup drill: one command backs up PostgreSQL and the evidence files together, and the
archive restores into an empty database with every row and every byte."""

import hashlib
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from agreements.status import Status
from operations.archive import row_counts
from tests.factories import ObligationFactory, UserFactory
from tests.paths import ROOT
from tests.servers import database_url
from tracker.models import StatusReport

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's backup: the pass on it runs this"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def empty_database():
    """A new, empty database on the test's PostgreSQL server, dropped afterwards."""
    name = f"drill_{uuid.uuid4().hex[:12]}"
    server = database_url().rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def checksums(root):
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def test_an_archive_restores_into_an_empty_database_with_the_same_rows_and_files(
    tmp_path, settings, empty_database
):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    author = UserFactory(username="rikke")
    for number in range(3):
        report = StatusReport(
            obligation=ObligationFactory(),
            status=Status.DELAYED,
            text=f"Forsinket, bilag {number}",
        )
        report.author = author
        report.evidence_file.save(
            f"plan-{number}.pdf", ContentFile(b"%PDF-1.4 " * (number + 1)), save=False
        )
        report.save()
    before_rows, before_files = row_counts(), checksums(settings.MEDIA_ROOT)
    assert len(before_files) == 3

    archive = tmp_path / "tracker-backup.tar"
    call_command("backup_archive", archive)
    assert archive.stat().st_mode & 0o777 == 0o600

    restored_media = tmp_path / "restored-uploads"
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_archive", str(archive)],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": empty_database,
            "MEDIA_ROOT": str(restored_media),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Restored and checked" in result.stdout

    with psycopg.connect(empty_database) as restored:
        after_rows = {
            table: restored.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in before_rows
        }
    assert after_rows == before_rows
    assert after_rows["tracker_statusreport"] == 3
    assert checksums(restored_media) == before_files


def test_an_archive_is_not_restored_over_data(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    archive = tmp_path / "tracker-backup.tar"
    call_command("backup_archive", archive)
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_archive", str(archive)],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "the database is not empty" in result.stderr
