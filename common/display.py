"""Small helpers for what pages, reports and e-mails show."""

from collections.abc import Sequence
from dataclasses import dataclass

# Who made a change that no user made (a command, a migration, the reminder job).
NOBODY = "systemet"


def changed_by(user, *, full_name: bool = False) -> str:
    """The name shown for who made a change; "systemet" when no user did."""
    if user is None:
        return NOBODY
    if full_name:
        return user.get_full_name() or user.get_username()
    return user.get_username()


@dataclass(frozen=True)
class Capped:
    """The first items of a list that may be long, and how many there are in all: a page,
    a report or an e-mail lists `shown` and says "… og {more} flere"."""

    shown: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.shown)

    @classmethod
    def of(cls, items: Sequence, limit: int) -> "Capped":
        return cls(list(items[:limit]), len(items))

    @classmethod
    def of_query(cls, queryset, limit: int) -> "Capped":
        """The first rows of a query, and its count (one query each)."""
        return cls(list(queryset[:limit]), queryset.count())
