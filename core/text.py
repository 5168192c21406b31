"""One normalisation for every piece of text that comes in, through the pages (core.forms) and
through the API (core.api_helpers): NFC; line ends as "\\n"; never control characters, except
newline and tab in long text; never lone surrogates, unassigned or noncharacter code points; never
the invisible controls that reverse the display of text (bidi overrides); and in codes, nothing
invisible at all (zero-width characters, bidi marks), so that "\\u202e100-P-SUC" cannot pose as
"CUS-P-001".

Three kinds of field: LINE (one line: a name, a title), TEXT (long text: may hold newlines and
tabs) and CODE (an identifier people read and compare). `kind_for()` decides, the same way for a
form field and an API field.
"""

from __future__ import annotations

import enum
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class Kind(enum.Enum):
    LINE = "line"
    TEXT = "text"
    CODE = "code"


# Embeddings, overrides and isolates: they reorder what is displayed after them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"[\n\t]")
MULTILINE_FROM = 1000  # an API field this long (or a Textarea) holds long text

MESSAGES = {
    "control": _("Remove the control characters (such as NUL) from this text."),
    "line": _("This field holds one line: remove the line breaks and tabs."),
    "invalid": _("This text contains characters that are not valid Unicode text."),
    "bidi": _("Remove the invisible characters that change the direction of the text."),
    "code": _("A code may contain only visible letters, digits, punctuation and spaces."),
}


def kind_for(name: str, *, max_length: int | None = None, multiline: bool | None = None) -> Kind:
    """The kind of a field: a code by its name (code, *_code); long text when the form shows a
    text area (`multiline`) or, in the API, when it may be MULTILINE_FROM characters or more."""
    if name == "code" or name.endswith("_code"):
        return Kind.CODE
    if multiline is not None:
        return Kind.TEXT if multiline else Kind.LINE
    return Kind.TEXT if max_length is None or max_length >= MULTILINE_FROM else Kind.LINE


def problem(value: str, kind: Kind) -> str | None:
    """The key of MESSAGES that refuses `value` (already NFC), or None when it is clean."""
    if _ASCII_CONTROLS.search(value):
        return "control"
    if kind is not Kind.TEXT and _LINE_BREAKS.search(value):
        return "line"
    if value.isascii():
        return None
    for ch in set(value):
        if ch.isascii():
            continue
        category = unicodedata.category(ch)
        if category in {"Cs", "Cn"}:  # lone surrogates; unassigned code points and noncharacters
            return "invalid"
        if category == "Cc":  # C1 controls (U+0080–U+009F)
            return "control"
        if ch in BIDI_CONTROLS:
            return "bidi"
        if kind is Kind.CODE and category[0] not in "LNPSM":  # format (zero-width, marks), separators…
            return "code"
    return None


def normalize(value: str) -> str:
    """NFC with "\\n" line ends (before the checks, so a pasted CRLF is fine)."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    try:
        return unicodedata.normalize("NFC", text)
    except UnicodeError:  # pragma: no cover - NFC does not fail on str, kept for safety
        return text


def clean(value: str, kind: Kind) -> str:
    """The normalised text, or a ValidationError saying what to remove."""
    text = normalize(value)
    key = problem(text, kind)
    if key is not None:
        raise ValidationError(MESSAGES[key], code=f"text_{key}")
    return text
