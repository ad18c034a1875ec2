"""Cells written to CSV and Excel files, safe from formula injection (OWASP's advice on
CSV injection): a text cell that starts with =, +, -, @, a tab or a carriage return is
written with a leading apostrophe, so a spreadsheet shows it as text instead of running it
("=HYPERLINK(...)"). Imports take the apostrophe off again, so a file exported and imported
comes back exactly as it was."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _looks_like_a_formula(text: str) -> bool:
    # Also text that already starts with apostrophes before such a character: it gets one
    # more, which the import takes off, so it too comes back as it was.
    rest = text.lstrip("'")
    return rest.startswith(FORMULA_STARTS)


def spreadsheet_safe(value):
    """The value as a cell: text that a spreadsheet would run gets a leading apostrophe;
    numbers, dates and other text are left as they are."""
    if isinstance(value, str) and _looks_like_a_formula(value):
        return "'" + value
    return value


def from_spreadsheet(text: str) -> str:
    """A cell read back from a file: the apostrophe `spreadsheet_safe` added is taken off."""
    if text.startswith("'") and _looks_like_a_formula(text[1:]):
        return text[1:]
    return text
