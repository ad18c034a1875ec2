"""Template filters that show what the record holds without hidden characters, loaded in
templates as `{% load shown %}` (registered in the TEMPLATES setting, since common is no app).

`printable` leaves out what cannot be shown (control characters stored before texts were
checked) and what turns the writing direction. `shown_link` is for every stored link, in
its text and its address: a character that has no place in an address is written out as
«U+202E», so that old data cannot make an address read as another.
"""

import re

from django import template

from common import validation

register = template.Library()

_HIDDEN_IN_LINK = re.compile(
    f"{validation.CONTROL.pattern}|{validation.BIDI.pattern}|{validation.NOT_XML.pattern}|\\s"
)


def visible(match: re.Match) -> str:
    return f"«U+{ord(match.group()):04X}»"


@register.filter(is_safe=True)
def printable(value):
    return validation.printable(str(value)) if value else value


@register.filter(is_safe=True)
def shown_link(value):
    return _HIDDEN_IN_LINK.sub(visible, str(value)) if value else value
