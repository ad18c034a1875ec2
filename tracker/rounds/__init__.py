"""The status round before a forum's meeting: every owner is asked where its open
obligations stand, and answers from a personal link without a login.

- `opening`: a round covers the open obligations of the agreements not closed out, and
  invites each contact of an owning party through the reminders' outbox.
- `links`: the personal links (a 256-bit token, stored only as its hash).
- `answers`: the answer page's rows and the rules an answer is saved by.
- `progress`: who has answered, the reminders to those not done, and closing the round.
"""
