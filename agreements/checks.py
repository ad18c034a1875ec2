"""The rules an obligation's data must keep, wherever it comes from (the fixture files that
`load_agreements` reads, a CSV or Excel file that `import_obligations` reads), and the one
error both raise: a list of problems, and nothing saved."""

from django.core.validators import slug_re

from agreements import dates
from agreements.models import Obligation, phrase_reading
from agreements.text import normalize_text, phrase_in_quote

OBLIGATION_FIELDS = ("key", "action", "quote", "phrase", "owners", "kind")
_SLUG = slug_re


class InvalidData(Exception):
    """The data cannot be loaded or imported; nothing was saved. One line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _max_length(name: str) -> int:
    return Obligation._meta.get_field(name).max_length


def check_obligation(
    here: str,
    values: dict,
    problems: list[str],
    *,
    text: str,
    text_name: str,
    year: int | None,
    occurrence: int | None = None,
    read_phrase: bool = True,
) -> None:
    """Check one obligation's fields: all there, a known kind, within the lengths the
    database holds, its quote found verbatim in the agreement's (normalised) text, its
    time phrase standing in the quote and readable (unless its window is set by hand)."""
    for name in OBLIGATION_FIELDS:
        if not values.get(name):
            problems.append(f"{here}: {name} is empty")
    for name in ("key", "action", "phrase"):
        if len(values.get(name) or "") > _max_length(name):
            problems.append(f"{here}: {name} is too long ({_max_length(name)} characters at most)")
    # The key is part of the obligation's public address: a slug, as the admin's field
    # requires (a "=HYPERLINK(…)" or "a/../x" would break its page).
    if values.get("key") and not _SLUG.fullmatch(str(values["key"])):
        problems.append(
            f"{here}: key {values['key']!r} is not a slug (letters, digits, - and _ only)"
        )
    quote, phrase = values.get("quote") or "", values.get("phrase") or ""
    if quote and normalize_text(quote) not in text:
        problems.append(f"{here}: the quote is not found in {text_name}")
    if phrase and quote and not phrase_in_quote(phrase, quote):
        problems.append(f"{here}: the phrase {phrase!r} is not in the quote")
    if values.get("kind") and values["kind"] not in Obligation.Kind.values:
        problems.append(f"{here}: unknown kind {values['kind']!r}")
    if read_phrase and phrase and year:
        reading = phrase_reading(phrase, year, occurrence)
        if isinstance(reading, dates.Unreadable):
            problems.append(f"{here}: {reading.error}")
