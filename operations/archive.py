"""One backup of everything on PostgreSQL: the database and the evidence files together.

`backup_archive FILE.tar` writes a tar file, readable by its owner only, that holds
`database.dump` (pg_dump's custom format: every table, sequence and index, with the history),
the files under MEDIA_ROOT in `files/`, and `manifest.json` with each table's row count and
each file's SHA-256. `restore_archive FILE.tar` restores it into an empty database (created,
not migrated) and an empty MEDIA_ROOT, and checks the result against the manifest: a
restore that does not give back every row and every byte is an error.
(`backup_data`/`restore_data` in backup.py is the other way: JSON, for either database.)
"""

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from operations.backup import write_private

DUMP = "database.dump"
MANIFEST = "manifest.json"
FILES = "files"


class ArchiveError(Exception):
    pass


def pg_tool(name: str) -> str:
    """The newest installed PostgreSQL's tool, so that it can read any server the tests run."""
    for directory in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (directory / name).exists():
            return str(directory / name)
    found = shutil.which(name)
    if found is None:
        raise ArchiveError(f"{name} is not installed (Debian: postgresql-client)")
    return found


def _connection_args() -> tuple[list[str], dict[str, str]]:
    if connection.vendor != "postgresql":
        raise ArchiveError("backup_archive needs PostgreSQL; with SQLite use backup_data")
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db["HOST"]:
        args += ["--host", db["HOST"]]
    if db["PORT"]:
        args += ["--port", str(db["PORT"])]
    if db["USER"]:
        args += ["--username", db["USER"]]
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    return args, env


def row_counts() -> dict[str, int]:
    """Every table's row count in the database now."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in sorted(tables):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def file_checksums(root: Path) -> dict[str, str]:
    checksums = {}
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            checksums[path.relative_to(root).as_posix()] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    return checksums


def backup_archive(path: Path) -> dict:
    """Writes the archive; returns its manifest."""
    args, env = _connection_args()
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work, transaction.atomic():
        dump = Path(work) / DUMP
        # pg_dump and the row counts read one snapshot, so that the counts are the dump's
        # even while the site is writing.
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        result = subprocess.run(
            [
                *(pg_tool("pg_dump"), "--format", "custom", "--no-owner", "--no-acl"),
                *("--snapshot", snapshot, "--file", str(dump), *args),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise ArchiveError(f"pg_dump failed: {result.stderr.strip()}")
        manifest = {"tables": row_counts(), "files": file_checksums(media)}
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w") as archive:
            archive.add(dump, DUMP)
            if media.exists():
                for name in manifest["files"]:
                    archive.add(media / name, f"{FILES}/{name}")
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    write_private(path, buffer.getvalue())
    return manifest


def restore_archive(path: Path) -> dict:
    """Restores the archive into the empty database and MEDIA_ROOT; checks it; returns the
    manifest."""
    args, env = _connection_args()
    media = Path(settings.MEDIA_ROOT)
    if connection.introspection.table_names():
        raise ArchiveError("the database is not empty: restore into a new, empty database")
    if media.exists() and any(media.iterdir()):
        raise ArchiveError(f"MEDIA_ROOT ({media}) is not empty")
    with tempfile.TemporaryDirectory() as work, tarfile.open(path) as archive:
        archive.extractall(work, filter="data")
        manifest = json.loads((Path(work) / MANIFEST).read_text())
        result = subprocess.run(
            [
                *(pg_tool("pg_restore"), "--no-owner", "--no-acl", "--exit-on-error"),
                *(*args, str(Path(work) / DUMP)),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise ArchiveError(f"pg_restore failed: {result.stderr.strip()}")
        files = Path(work) / FILES
        if files.exists():
            media.mkdir(parents=True, exist_ok=True)
            shutil.copytree(files, media, dirs_exist_ok=True)
    differences = compare(manifest)
    if differences:
        raise ArchiveError("the restore differs from the backup: " + "; ".join(differences))
    return manifest


def compare(manifest: dict) -> list[str]:
    """What differs between the manifest and the database and files now."""
    differences = []
    counts = row_counts()
    for table, count in manifest["tables"].items():
        if counts.get(table) != count:
            differences.append(f"{table}: {counts.get(table)} rows, not {count}")
    checksums = file_checksums(Path(settings.MEDIA_ROOT))
    for name, checksum in manifest["files"].items():
        if checksums.get(name) != checksum:
            differences.append(f"{name}: {'changed' if name in checksums else 'missing'}")
    return differences
