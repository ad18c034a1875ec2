"""The follow-up's admin: the obligation's page with its status reports, the reports and
their review, the reminders' outbox and the calendar links."""

from followup.admin import obligations, reports  # noqa: F401 - registers the admin classes
