"""PDFs of the public documents (rendered by core.pdf), sent inline."""

from django.http import HttpResponse

from core.pdf import render_pdf


def pdf_response(template: str, context: dict, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
