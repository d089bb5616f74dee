"""In headless chromium: a bidder writes an answer, attaches a PDF, submits after confirming and gets the receipt;
a disguised file is refused in Dutch next to its field. axe finds no violation on any of these pages."""

import pytest
from django.urls import reverse

from bids.models import SealedVersion

from .factories_b1 import leaf_criteria, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bidder_answers_attaches_submits_and_gets_the_receipt(page, browser_login, axe_check, draft, lead):
    browser_login(page, lead[1], next_url=reverse("bids:draft", args=[draft.pk]))
    axe_check(page)
    criterion = leaf_criteria(draft.commissioning)[0]
    page.fill(f"#id_c{criterion.pk}-text", "Wij werken samen met de buurthuizen.")
    page.locator(f"form[action$='/antwoord/{criterion.pk}'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "Uw antwoord is opgeslagen" in page.content()

    page.set_input_files("#id_file", files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": b"GIF89a"}])
    page.locator("form[action$='/bijlage'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "Alleen PDF" in page.locator("#id_file_error0").inner_text()
    assert "id_file_error0" in page.locator("#id_file").get_attribute("aria-describedby")
    axe_check(page)

    page.set_input_files("#id_file", files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}])
    page.locator("form[action$='/bijlage'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "plan.pdf" in page.content()

    page.get_by_role("link", name="Indienen", exact=True).click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("button", name="Ja, nu indienen").click()
    page.wait_for_load_state()
    version = SealedVersion.objects.get()
    assert version.receipt_sha256 in page.content()
    axe_check(page)
    for name in ("bids:my_submissions", "bids:verify"):
        page.goto(reverse(name))
        axe_check(page)
