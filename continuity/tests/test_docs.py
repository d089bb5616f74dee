"""docs/continuity.md explains each headline figure in the same words as the page (issue 14)."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

from continuity import selectors

DOC = Path(settings.BASE_DIR) / "docs" / "continuity.md"


def test_docs_explain_every_headline_figure_with_the_pages_label_and_sentence():
    text = DOC.read_text()
    with translation.override("nl"):
        for _section, key, label, _fmt, sentence in selectors.HEADLINES:
            assert f"| {label} |" in text, key
            # The sentence with its figures left out: every fixed piece of it is in the docs, in order.
            pieces = [p.strip() for p in re.split(r"%\((?:value|before)\)s", str(sentence)) if p.strip()]
            row = next(line for line in text.splitlines() if line.startswith(f"| {label} |"))
            position = 0
            for piece in pieces:
                piece = piece.strip(" .;")
                found = row.find(piece, position)
                assert found >= 0, (key, piece)
                position = found + len(piece)
