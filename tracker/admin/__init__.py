"""The follow-up's admin: the obligation's page with its status reports, the reports and
their review, the reminders' outbox, the calendar links and the status rounds."""

from tracker.admin import obligations, reports, rounds  # noqa: F401 - registers the admin classes
