"""PDFs a person can read, rendered with WeasyPrint from a print template (no external resources are fetched). Print
templates extend core's `_print.html` (A4, page numbers, the commissioning's title in the footer)."""

from django.template.loader import render_to_string
from weasyprint import HTML


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"external resource not allowed in PDFs: {url}")


def render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()
