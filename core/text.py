"""Cleaning text that comes from outside (imports, and exports that must never fail on what got in).

`clean_text` makes two strings that look the same one string: Unicode NFC (a precomposed "é" and "e" + combining
accent are equal), and it drops what a reader cannot see but a computer compares or a spreadsheet refuses: control
characters (C0 and C1, NUL included), zero-width characters (zero-width space/joiners, word joiner, BOM, soft hyphen)
and the bidirectional formatting characters (overrides, embeddings, isolates, marks) that can make a name display
as something else ("Trojan Source"). Line breaks and tabs are kept only with `keep_newlines=True`, as line breaks;
otherwise every run of whitespace becomes one space. So "Stichting A" and "Stichting\\u200b A" are one organisation.
"""

import re
import unicodedata

# Zero-width and invisible formatting characters, and the bidirectional controls (Unicode TR9 explicit formatting).
INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u061c"  # Arabic letter mark
    "\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b\u200c\u200d"  # zero-width space, non-joiner, joiner
    "\u200e\u200f"  # left-to-right / right-to-left mark
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # isolates
    "\u206a\u206b\u206c\u206d\u206e\u206f"
    "\u3164\ufeff\uffa0"  # Hangul fillers, BOM / zero-width no-break space
)
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}\ufe00-\ufe0f]")
# C0 and C1 control characters except tab, line feed and carriage return (handled as whitespace).
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS_RE = re.compile("\r\n|[\r\u2028\u2029\x85\x0b\x0c]")


def clean_text(value, *, keep_newlines: bool = False) -> str:
    """`value` as clean text (see the module docstring); None gives ""."""
    if value is None:
        return ""
    if isinstance(value, str) and value.isascii() and value.isprintable():  # the common case, 10x faster
        return " ".join(value.split())
    text = _LINE_BREAKS_RE.sub("\n" if keep_newlines else " ", str(value))
    # removed first, composed after: "e" + zero-width space + combining accent becomes "é"
    text = unicodedata.normalize("NFC", _INVISIBLE_RE.sub("", _CONTROL_RE.sub("", text)))
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2007", " ")
    if keep_newlines:
        lines = [re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n")]
        return "\n".join(lines).strip()
    return re.sub(r"\s+", " ", text).strip()
