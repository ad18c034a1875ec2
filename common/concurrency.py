"""Optimistic concurrency for admin forms: a second, stale edit is refused, not saved over.

A form carries the version of the record it was opened with. On saving, the record is
locked and its version compared: if someone else saved in between, the form is refused with
who, when and what they changed, and everything the user typed is kept on the page.
"""

from django import forms
from django.utils import timezone

from common.display import changed_by


def describe_change(instance) -> str:
    """Who last changed the record, when, and what: from its history."""
    records = list(instance.history.order_by("-history_id")[:2])
    if not records:
        return ""
    latest = records[0]
    who = changed_by(latest.history_user)
    when = timezone.localtime(latest.history_date).strftime("%d.%m.%Y kl. %H:%M")
    text = f"{who} gemte den {when}"
    if len(records) == 2:
        changes = latest.diff_against(records[1]).changes
        fields = {f.name: f.verbose_name for f in instance._meta.fields}
        parts = [
            f"{fields.get(c.field, c.field)}: »{c.old}« → »{c.new}«"
            for c in changes
            if c.field not in ("version",)
        ]
        if parts:
            text += " – " + "; ".join(parts)
    return text


class VersionedForm(forms.ModelForm):
    """A model form that refuses to save over a newer version of its record."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        changed = [name for name in self.changed_data if name != "expected_version"]
        if instance.pk and changed:
            expected = cleaned.get("expected_version")
            # The admin saves inside a transaction: the lock holds until the save commits.
            current = (
                type(instance)
                .objects.select_for_update()
                .filter(pk=instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if expected is None:
                # A form without the version it was opened with (an old tab, a hand-made
                # post) cannot show that nobody saved in between: it is refused as stale.
                raise forms.ValidationError(
                    "Formularen mangler den version, den blev åbnet med, så det kan ikke "
                    "ses, om nogen har gemt en nyere version imens. Dine ændringer er ikke "
                    "gemt: åbn siden igen, og gem dem derefter.",
                    code="stale",
                )
            if current is not None and current != expected:
                raise forms.ValidationError(
                    "Nogen har gemt en nyere version, mens du redigerede, så dine ændringer er "
                    f"ikke gemt. {describe_change(instance)}. Dine indtastninger står "
                    "herunder: åbn siden igen for at se den nye version, og gem dem derefter.",
                    code="stale",
                )
        return cleaned

    def save(self, commit=True):
        if self.instance.pk and [n for n in self.changed_data if n != "expected_version"]:
            self.instance.version = self.cleaned_data["expected_version"] + 1
        return super().save(commit=commit)
