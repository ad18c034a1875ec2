"""Reading Danish time phrases into due windows (see docs: shared design dates.md).

INTERFACE ONLY: the grammar is being written; read_phrase currently reads bare years.
"""

import datetime
import re
from dataclasses import dataclass

# How long "hurtigst muligt efter X" and other relative phrases run from the day
# their anchor is done, when the phrase names no span of its own.
DEFAULT_RELATIVE_SPAN = datetime.timedelta(days=30)


@dataclass(frozen=True)
class Window:
    start: datetime.date | None
    end: datetime.date | None
    year_from_context: bool = False


@dataclass(frozen=True)
class Relative:
    to: str
    span: datetime.timedelta = DEFAULT_RELATIVE_SPAN

    def window_after(self, anchor_done: datetime.date) -> Window:
        return Window(anchor_done, anchor_done + self.span)


@dataclass(frozen=True)
class Unreadable:
    error: str


Reading = Window | Relative | Unreadable


def read_phrase(phrase: str, year: int | None = None) -> Reading:
    match = re.fullmatch(r"\s*(?:i\s+)?(\d{4})\s*\.?\s*", phrase, re.IGNORECASE)
    if match:
        y = int(match.group(1))
        return Window(datetime.date(y, 1, 1), datetime.date(y, 12, 31))
    return Unreadable(f"Tidsudtrykket blev ikke forstået: {phrase!r}")
