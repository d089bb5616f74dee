"""PDFs of publication: the shared renderer lives in core.pdf (every stage makes PDFs; none may import another)."""

from core.pdf import pdf_response, render_pdf

__all__ = ["pdf_response", "render_pdf"]
