"""What a text or a link may hold when it enters the record, on every path.

One set of rules for the answer page, the admin's forms and inlines, imports and commands:
the model fields carry the validators (so every ModelForm checks them) and the paths that
write without a form call them directly. Control characters (a NUL, a vertical tab from a
paste) are refused in texts: PostgreSQL cannot store a NUL, and Word and PDF cannot show
the others. Links are http(s) addresses of at most LINK_MAX_LENGTH characters with no
whitespace, control or bidirectional formatting character, which could make an address
read as another.

What is already stored is shown through `printable` on the way out.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

# One length for every evidence link: the model's column, the forms and the answer page.
LINK_MAX_LENGTH = 500

# C0 controls but tab, line feed and carriage return; DEL; C1 controls.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Characters XML 1.0 (Word's format) cannot hold at all, beyond the C0 controls.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Bidirectional formatting: embeddings, overrides, isolates and the invisible marks.
BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

_url = URLValidator(schemes=["http", "https"])


def _where(value: str, match: re.Match) -> str:
    position = match.start() + 1
    return f"tegn nr. {position} (U+{ord(match.group()):04X})"


def validate_text(value: str) -> None:
    """Refuse a text holding a control character (tabs and line breaks are fine)."""
    if not value:
        return
    found = CONTROL.search(value)
    if found:
        raise ValidationError(
            "Teksten indeholder et usynligt kontroltegn (%(where)s), ofte fra en kopi fra et "
            "andet program. Slet det, eller skriv teksten igen.",
            code="control_character",
            params={"where": _where(value, found)},
        )


def validate_link(value: str) -> None:
    """Refuse anything but a plain http(s) address of at most LINK_MAX_LENGTH characters."""
    if not value:
        return
    if len(value) > LINK_MAX_LENGTH:
        raise ValidationError(
            "Linket må højst være %(limit)d tegn (det er %(length)d).",
            code="link_too_long",
            params={"limit": LINK_MAX_LENGTH, "length": len(value)},
        )
    if not value.lower().startswith(("https://", "http://")):
        raise ValidationError(
            "Linket skal være en hel adresse, der begynder med https:// eller http://.",
            code="link_invalid",
        )
    found = CONTROL.search(value) or BIDI.search(value) or re.search(r"\s", value)
    if found:
        raise ValidationError(
            "Linket indeholder et tegn, der ikke hører til i en adresse (%(where)s): et "
            "mellemrum, et kontroltegn eller et tegn, der vender skriveretningen. Kopiér "
            "adressen fra browserens adresselinje.",
            code="link_character",
            params={"where": _where(value, found)},
        )
    try:
        _url(value)
    except ValidationError:
        raise ValidationError(
            "Linket skal være en hel adresse, der begynder med https:// eller http://.",
            code="link_invalid",
        ) from None


def validate_texts(instance: models.Model) -> None:
    """For a model's clean(): every text field typed into the record (new, or changed since
    it was stored) holds no control character; each field that does gets the error. Texts
    stored before the check are not refused while they stay as they are."""
    fields = [
        field
        for field in instance._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and field.editable
        and not field.choices
        and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
    ]
    stored = {}
    if instance.pk is not None:
        names = [field.attname for field in fields]
        stored = type(instance)._default_manager.filter(pk=instance.pk).values(*names).first()
    errors = {}
    for field in fields:
        value = getattr(instance, field.attname)
        if stored and stored.get(field.attname) == value:
            continue
        try:
            validate_text(value)
        except ValidationError as refused:
            errors[field.name] = refused
    if errors:
        raise ValidationError(errors)


def clean_text(value: str) -> str:
    """The text with control characters taken out: for text read from files (an agreement's
    text, an imported cell) where they carry no meaning and only break what follows."""
    return CONTROL.sub("", value) if value else value


def printable(value: str) -> str:
    """A stored text as Word, PDF and pages can show it: what XML cannot hold is dropped,
    and bidirectional formatting is taken out so that nothing reads in disguise."""
    if not value:
        return value
    return BIDI.sub("", NOT_XML.sub("", CONTROL.sub("", value)))


def has_nul(value: str) -> bool:
    return "\x00" in value
