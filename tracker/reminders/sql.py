"""The database-specific SQL of planning: the outbox and the plans written in one
statement per chunk, each database its cheapest way."""

from __future__ import annotations

import datetime
from operator import itemgetter
from typing import TYPE_CHECKING

from django.db import connection, transaction

from tracker.models import Reminder, ReminderPlan

if TYPE_CHECKING:
    from tracker.reminders.planning import Chunk

OUTBOX_COLUMNS = ("obligation", "recipient", "step", "deadline", "status", "attempts",
                  "last_error", "next_attempt_at", "claimed_by", "created_at")  # fmt: skip
PLAN_COLUMNS = ("obligation", "step", "deadline", "escalated")


def add_to_outbox(chunk: Chunk, now: datetime.datetime) -> int:
    """Insert these reminders as pending, and record the obligations' plans, in one
    transaction; a key in the outbox already is left as it is.

    INSERT ... ON CONFLICT DO NOTHING (SQLite and PostgreSQL both have it): the unique key
    absorbs what is there already, and what another run writes at the same moment, so two
    runs at once plan each reminder once. Django's bulk_create does the same at several
    times the cost in Python for each value, so each database gets its own cheapest way
    in: one statement over arrays of the steps and their recipients on PostgreSQL, one
    prepared statement run for every row on SQLite. Returns how many rows were added.
    """
    if not chunk.steps:
        return 0
    pending = Reminder.Status.PENDING.value
    stamp = connection.ops.adapt_datetimefield_value(now)
    keys = ", ".join(_columns(ReminderPlan, PLAN_COLUMNS[:1]))
    # A column given as NULL keeps what the plan holds: the owners' step or the escalation
    # may be new on its own.
    table = connection.ops.quote_name(ReminderPlan._meta.db_table)
    update = ", ".join(
        f"{c} = COALESCE(excluded.{c}, {table}.{c})"
        for c in _columns(ReminderPlan, PLAN_COLUMNS[1:])
    )
    plan = f"{_insert(ReminderPlan, PLAN_COLUMNS)} %s ON CONFLICT ({keys}) DO UPDATE SET {update}"
    # Rows go in in recipient order: delivery claims and marks one recipient's rows at a
    # time, and rows written side by side share their pages, so each of those updates
    # writes a few pages instead of one page per row. One transaction: in autocommit
    # SQLite would commit (and sync) each row.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The steps and their sets of recipients go in as arrays; the database makes
            # the rows, so no Python tuple is made for each of them.
            used = sorted({group for *_, group in chunk.steps})
            members = [(group, email) for group in used for email in chunk.groups[group]]
            added = 0
            if members:
                cursor.execute(
                    f"{_insert(Reminder, OUTBOX_COLUMNS)} "
                    "SELECT s.id, g.email, s.step, s.deadline, %s, 0, '', %s, '', %s "
                    "FROM unnest(%s::bigint[], %s::varchar[], %s::date[], %s::int[]) "
                    "AS s (id, step, deadline, grp) "
                    "JOIN unnest(%s::int[], %s::varchar[]) AS g (grp, email) USING (grp) "
                    "ORDER BY g.email, s.id ON CONFLICT DO NOTHING",
                    [pending, stamp, stamp, *_arrays(chunk.steps), *_arrays(members)],
                )
                added = max(cursor.rowcount, 0)
            cursor.execute(
                plan % "SELECT * FROM unnest(%s::bigint[], %s::varchar[], %s::date[], "
                "%s::date[]) AS p (id, step, deadline, escalated) "
                # In key order, as every run locks them: two runs at once never deadlock.
                "ORDER BY p.id",
                _arrays(chunk.plans),
            )
            return added
        adapt = connection.ops.adapt_datefield_value
        values = [
            (obligation_id, recipient, step, adapt(deadline), pending, 0, "", stamp, "", stamp)
            for obligation_id, recipient, step, deadline in sorted(
                chunk.reminders, key=itemgetter(1, 0)
            )
        ]
        cursor.executemany(f"{_insert(Reminder, OUTBOX_COLUMNS)} {_values(OUTBOX_COLUMNS)} "
                           "ON CONFLICT DO NOTHING", values)  # fmt: skip
        added = max(cursor.rowcount, 0)
        cursor.executemany(
            plan % _values(PLAN_COLUMNS),
            [
                (pk, step, adapt(deadline), adapt(escalated))
                for pk, step, deadline, escalated in chunk.plans
            ],
        )
        return added


def _arrays(rows: list[tuple]) -> list[list]:
    """Rows (at least one) as one list per column, for unnest()."""
    return [list(column) for column in zip(*rows, strict=True)]


def _columns(model, fields) -> list[str]:
    return [connection.ops.quote_name(model._meta.get_field(f).column) for f in fields]


def _insert(model, fields) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    return f"INSERT INTO {table} ({', '.join(_columns(model, fields))})"


def _values(fields) -> str:
    return f"VALUES ({', '.join(['%s'] * len(fields))})"
