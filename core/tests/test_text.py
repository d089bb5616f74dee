"""core.text.clean_text: text from outside is normalised on the way in, so that look-alike names are one name."""

import pytest

from core.text import clean_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Stichting\u200b A", "Stichting A"),  # zero-width space
        ("Stichting\u200d\u200c\u2060 A", "Stichting A"),  # joiners, word joiner
        ("\ufeffStichting A", "Stichting A"),  # BOM
        ("Stichting\u202e A\u202c", "Stichting A"),  # right-to-left override and pop
        ("\u2066Stichting A\u2069", "Stichting A"),  # isolates
        ("Stichting\x00 A\x07\x1b", "Stichting A"),  # NUL, bell, escape
        ("Stichting\x85A", "Stichting A"),  # C1 next line is a line break
        ("Stichting\u00a0\t A\r\n", "Stichting A"),
        ("Cafe\u0301 de Buurt", "Caf\u00e9 de Buurt"),  # NFC: e + combining acute = é
        (None, ""),
        (12, "12"),
    ],
)
def test_clean_text_removes_control_zero_width_and_bidi_characters_and_composes(raw, clean):
    assert clean_text(raw) == clean


def test_clean_text_keeps_line_breaks_when_asked():
    assert clean_text("Regel 1\r\nRegel\u200b 2\x00\u2028Regel 3", keep_newlines=True) == "Regel 1\nRegel 2\nRegel 3"


def test_clean_text_is_idempotent_on_any_code_point():
    every = "".join(chr(i) for i in range(0x3000) if not 0xD800 <= i <= 0xDFFF)
    once = clean_text(every)
    assert clean_text(once) == once
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in once)
