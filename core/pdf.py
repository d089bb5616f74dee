"""PDFs a person can read, rendered with WeasyPrint from a print template (no external resources are fetched).
Shared by every stage (publication, bids, evaluation, contracts): an app never imports another app for its PDFs."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"external resource not allowed in PDFs: {url}")


def render_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def pdf_response(template: str, context: dict, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
