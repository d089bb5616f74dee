"""The UI speaks Dutch: every app's nl catalogue is complete, has no fuzzy guesses, and its compiled .mo is current."""

import gettext
import re
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

CATALOGUES = sorted(
    Path(app.path) / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    for app in apps.get_app_configs()
    if Path(app.path).is_relative_to(settings.BASE_DIR) and ".venv" not in Path(app.path).parts
)
CATALOGUES = [po for po in CATALOGUES if po.exists()]
IDS = [po.parent.parent.parent.parent.name for po in CATALOGUES]


def _entries(po: Path):
    """(flags, msgid, msgstrs) per entry of a .po file; obsolete entries (#~) left out. A line-by-line reader, since
    gettext allows blank lines inside an entry."""
    entries, flags, fields, key = [], "", {}, None

    def finish():
        if "msgid" in fields:
            entries.append((flags, fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")]))

    for line in po.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        starts_entry = line.startswith("#") or line.startswith(("msgctxt ", "msgid "))
        if starts_entry and any(k.startswith("msgstr") for k in fields):
            finish()
            flags, fields, key = "", {}, None
        if line.startswith("#~") or not line:
            continue
        if line.startswith("#,"):
            flags += " " + line[2:]
        elif line.startswith("#"):
            continue
        elif match := re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line):
            key = match.group(1)
            fields[key] = match.group(2)
        elif line.startswith('"') and key:
            fields[key] += line[1:-1]
    finish()
    return entries


def test_there_are_catalogues_to_check():
    assert {"core", "audit"} <= set(IDS)


@pytest.mark.parametrize("po", CATALOGUES, ids=IDS)
def test_every_message_has_a_dutch_translation(po):
    empty = [msgid for _, msgid, msgstrs in _entries(po) if msgid and (not msgstrs or not all(msgstrs))]
    assert empty == [], f"{po}: {len(empty)} message(s) without Dutch translation"


@pytest.mark.parametrize("po", CATALOGUES, ids=IDS)
def test_no_fuzzy_translations(po):
    fuzzy = [msgid for flags, msgid, _ in _entries(po) if "fuzzy" in flags and msgid]  # the header may stay fuzzy
    assert fuzzy == [], f"{po}: fuzzy entries must be checked and the flag removed"


@pytest.mark.parametrize("po", CATALOGUES, ids=IDS)
def test_compiled_catalogue_is_up_to_date(po, tmp_path):
    """The committed .mo equals what msgfmt makes of the committed .po (run `make messages` after editing)."""
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make messages`"
    fresh = tmp_path / "fresh.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(po)], check=True)  # noqa: S603, S607
    with mo.open("rb") as committed, fresh.open("rb") as compiled:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(compiled)._catalog, (
            f"{mo} is older than {po}: run `make messages`"
        )


def test_checker_finds_empty_and_fuzzy_entries(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Done"\nmsgstr ""\n\n#, fuzzy\nmsgid "Failed"\nmsgstr "Mislukt"\n\n'
        'msgid "%(n)s event"\nmsgid_plural "%(n)s events"\nmsgstr[0] "%(n)s gebeurtenis"\nmsgstr[1] ""\n\n'
        'msgid "Equal cut"\n\nmsgstr "Gelijke korting"\n',
        encoding="utf-8",
    )
    entries = list(_entries(po))
    assert [m for _, m, s in entries if m and not all(s)] == ["Done", "%(n)s event"]
    assert [m for f, m, _ in entries if "fuzzy" in f] == ["Failed"]
