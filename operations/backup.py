"""Backup and restore of the tracker's data, history included.

A backup is Django's JSON serialisation of every domain model (agreements, obligations,
status reports, reminders, meetings and their history rows) and of the users and groups
they refer to. It is restored into an empty, migrated database of either kind, SQLite or
PostgreSQL. Permissions and content types are not in it: `migrate` makes them.
"""

import gzip
import io
import os
import tempfile
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

# App labels: the follow-up's models keep the label "tracker" (see tracker.apps).
DOMAIN_APPS = ("agreements", "tracker", "meetings")
LABELS = ("auth.group", "auth.user", *DOMAIN_APPS)


class RestoreError(Exception):
    pass


def _installed(label: str) -> bool:
    return label in {config.label for config in apps.get_app_configs()}


def _labels() -> list[str]:
    return [label for label in LABELS if "." in label or _installed(label)]


def backup(path: Path) -> int:
    """Write every domain record to ``path`` (gzip when it ends in .gz); return the count."""
    out = io.StringIO()
    call_command(
        "dumpdata",
        *_labels(),
        natural_foreign=True,
        # Groups and users are matched by name, so the roles that `migrate` makes are
        # reused, not duplicated.
        natural_primary=True,
        format="json",
        indent=1,
        stdout=out,
    )
    data = out.getvalue()
    encoded = data.encode("utf-8")
    write_private(path, gzip.compress(encoded) if path.suffix == ".gz" else encoded)
    return sum(1 for _ in serializers.deserialize("json", data))


def write_private(path: Path, content: bytes) -> None:
    """Write a file only its owner can read and write: a backup holds password hashes.

    mkstemp creates the file 0600 whatever the umask, so it is never readable by others,
    not even while it is written; renamed into place, it replaces an older backup (and
    that file's mode) only once it is whole.
    """
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def is_empty() -> bool:
    return not any(
        model.objects.exists()
        for app in DOMAIN_APPS
        if _installed(app)
        for model in apps.get_app_config(app).get_models()
    )


def restore(path: Path) -> int:
    """Load a backup into an empty database, all or nothing; return the count."""
    if not path.exists():
        raise RestoreError(f"{path} does not exist")
    if not is_empty():
        raise RestoreError("The database already holds data; restore only into an empty one.")
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            data = handle.read()
        objects = list(serializers.deserialize("json", data, handle_forward_references=True))
    except (OSError, ValueError, serializers.base.DeserializationError) as error:
        raise RestoreError(f"{path} is not a backup made by this tracker: {error}") from None
    # The history rows are in the backup: restoring must not write new ones, which
    # setting many-to-many relations would otherwise do.
    with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        for obj in objects:
            obj.save()
        for obj in objects:
            if obj.deferred_fields:
                obj.save_deferred_fields()
    _reset_sequences()
    return len(objects)


def _reset_sequences() -> None:
    """PostgreSQL's id sequences must continue after the restored ids."""
    from django.core.management.color import no_style
    from django.db import connection

    models = [m for label in _labels() for m in _models(label)]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _models(label: str):
    if "." in label:
        return [apps.get_model(label)]
    return list(apps.get_app_config(label).get_models())
