"""Loading the captured agreements, and with them their public status history if asked,
all checked first and then written in one transaction."""

from pathlib import Path

from django.db import transaction

from agreements.checks import InvalidData
from agreements.loading import (
    FIXTURES_DIR,
    LoadSummary,
    read_fixtures,
    write_fixtures,
)
from tracker.history import read_history, write_history


def load_agreements(directory: Path = FIXTURES_DIR, *, with_history: bool = False) -> LoadSummary:
    problems: list[str] = []
    fixtures = read_fixtures(directory, problems)
    history = None
    if with_history:
        history = read_history(directory, fixtures.obligation_keys(), problems)
    if problems:
        raise InvalidData(problems)
    summary = LoadSummary()
    with transaction.atomic():
        write_fixtures(fixtures, summary)
        if history is not None:
            write_history(history, summary)
    return summary
