"""The follow-up of the obligations: status reports and their review, evidence, reminders
and calendar feeds."""
