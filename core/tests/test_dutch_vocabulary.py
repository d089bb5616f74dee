"""Everything a Dutch reader sees is Dutch: every public page of the demo, the exports of the landscape lists and the
figures (XLSX) of every published scenario are scanned for English words taken from the code's own vocabulary (the
values of every TextChoices field and the target group codes, e.g. `volunteer_with_staff`, `transfers`, `elderly`).
One such word in a Dutch page fails.

Words that Dutch shares with English (open, status quo, contract, tender, ranking, ...) are not counted.
"""

import csv
import html
import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from continuity.models import Scenario
from core.models import Municipality
from landscape.models import Organisation
from landscape.vocabulary import TARGET_GROUPS
from tenders.models import Commissioning

pytestmark = pytest.mark.django_db

OWN_APPS = {"core", "audit", "landscape", "continuity", "tenders", "publication", "bids", "evaluation", "contracts"}
# Words of the code values that are also ordinary Dutch (or Dutch loanwords), and Dutch code values.
ALSO_DUTCH = {
    "anders",
    "auditor",
    "bv",
    "contract",
    "cooperatie",
    "eenmanszaak",
    "half",  # "na een half jaar"
    "informeel",
    "manager",
    "open",
    "quo",
    "ranking",
    "status",
    "stichting",
    "tender",
    "vereniging",
}


def english_vocabulary() -> set[str]:
    values = {code for code, _ in TARGET_GROUPS}
    for model in apps.get_models():
        if model._meta.app_label not in OWN_APPS:
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "choices", None) or []:
                if isinstance(value, str):
                    values.add(value)
    words = {w for v in values for w in re.split(r"[^a-z]+", v.lower()) if len(w) > 1}
    return words - ALSO_DUTCH


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def english_words_in(text: str, vocabulary: set[str]) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in vocabulary}


def test_vocabulary_holds_the_code_values_the_issue_found():
    vocabulary = english_vocabulary()
    assert {"volunteer", "staff", "transfers", "ends", "elderly", "loneliness", "worries"} <= vocabulary
    assert english_words_in("Koffie voor elderly, loneliness", vocabulary) == {"elderly", "loneliness"}
    assert english_words_in("Een open procedure, status quo, 12 ouderen", vocabulary) == set()


def _public_pages(client):
    yield reverse("core:home")
    yield reverse("core:accessibility")
    yield reverse("publication:ocds_policy")
    for m in Municipality.objects.all():
        code = m.cbs_code
        yield reverse("landscape:overview", args=[code])
        yield reverse("landscape:district_table", args=[code])
        for name in ("landscape:organisation_list", "landscape:activity_list"):
            url = reverse(name, args=[code])
            pages = client.get(url).context["page"].paginator.num_pages
            for number in range(1, pages + 1):
                yield f"{url}?pagina={number}"
        for organisation in Organisation.objects.filter(municipality=m):
            yield reverse("landscape:organisation_detail", args=[code, organisation.pk])
        yield reverse("continuity:list", args=[code])
        for scenario in Scenario.objects.filter(municipality=m, published=True):
            yield reverse("continuity:scenario", args=[code, scenario.pk])
        yield reverse("publication:list", args=[code])
    for c in Commissioning.objects.exclude(published_at=None):
        for m in c.municipalities():
            yield reverse("publication:detail", args=[m.cbs_code, c.pk])


def test_no_english_code_vocabulary_on_any_public_demo_page_or_export(client):
    call_command("load_demo", stdout=io.StringIO())
    vocabulary = english_vocabulary()
    found = {}
    pages = 0
    for url in _public_pages(client):
        response = client.get(url)
        assert response.status_code == 200, url
        pages += 1
        words = english_words_in(visible_text(response.content.decode()), vocabulary)
        if words:
            found[url] = sorted(words)
    for m in Municipality.objects.all():
        for export in ("landscape:organisation_export", "landscape:activity_export"):
            xlsx = client.get(reverse(export, args=[m.cbs_code, "xlsx"]))
            sheet = load_workbook(io.BytesIO(xlsx.content)).active
            cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
            if words := english_words_in(" ".join(cells), vocabulary):
                found[f"{m.cbs_code} {export} xlsx"] = sorted(words)
            text = client.get(reverse(export, args=[m.cbs_code, "csv"])).content.decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text), delimiter=";"))
            if words := english_words_in(" ".join(" ".join(r) for r in rows), vocabulary):
                found[f"{m.cbs_code} {export} csv"] = sorted(words)
    published = Scenario.objects.filter(published=True).select_related("municipality")
    assert published.count() >= 4, "the demo publishes its scenarios"
    for scenario in published:
        # The council report's figures (continuity/exports.py): labels, not code values such as `transfers`.
        xlsx = client.get(reverse("continuity:xlsx", args=[scenario.municipality.cbs_code, scenario.pk]))
        assert xlsx.status_code == 200, scenario
        workbook = load_workbook(io.BytesIO(xlsx.content))
        cells = [str(v) for ws in workbook for row in ws.iter_rows(values_only=True) for v in row if v is not None]
        if words := english_words_in(" ".join(cells), vocabulary):
            found[f"{scenario} xlsx"] = sorted(words)
    assert pages > 50
    assert found == {}
