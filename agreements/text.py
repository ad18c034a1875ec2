"""Normalising agreement text so that a quote can be found in it.

Agreement texts come from PDFs: lines are broken anywhere, often with blank
lines between them, and words are hyphenated at line ends ("ud-\\narbejder").
A quote is stored as a reader would write it; it is found in the text after
joining line breaks and hyphenated line ends, and nothing else.
"""

import re

# A word broken at a line end: a letter, a hyphen that ends the line, then the
# rest of the word in lower case on the next non-blank line.
_HYPHENATED_WORD = re.compile(r"(?<=[^\W\d_])-\n\s*(?=[a-zæøå])")
# A number range broken after its hyphen ("2017-\n2018"): keep the hyphen.
_HYPHENATED_OTHER = re.compile(r"-\n\s*")
_WHITESPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Join hyphenated line ends and fold every run of white space to one space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _HYPHENATED_WORD.sub("", text)
    text = _HYPHENATED_OTHER.sub("-", text)
    return _WHITESPACE.sub(" ", text).strip()


def quote_in_text(quote: str, text: str) -> bool:
    """Whether the quote stands in the text, once both are normalised."""
    return normalize_text(quote) in normalize_text(text)


def phrase_in_quote(phrase: str, quote: str) -> bool:
    """Whether the time phrase stands in the quote, once both are normalised, in any case."""
    return normalize_text(phrase).lower() in normalize_text(quote).lower()
