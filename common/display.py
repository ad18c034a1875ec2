"""Small helpers for what pages, reports and e-mails show."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

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

    @classmethod
    def per_group(cls, queryset, field: str, limit: int, totals: dict) -> dict:
        """The first rows of each group of a query (rows with the same `field`, in the
        query's order), in one query however many groups there are, each with its count
        from `totals` (count_per_group)."""
        ranked = queryset.annotate(
            rank_in_group=Window(
                RowNumber(), partition_by=F(field), order_by=queryset.query.order_by
            )
        ).filter(rank_in_group__lte=limit)
        shown: dict = {}
        for row in ranked:
            shown.setdefault(getattr(row, field), []).append(row)
        return {key: cls(rows, totals[key]) for key, rows in shown.items()}


def count_per_group(queryset, field: str) -> dict:
    """How many rows of a query have each value of `field` (one grouped query)."""
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))
