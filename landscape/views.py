from django.shortcuts import render

from core.access import public_view

from . import selectors


@public_view
def overview(request, municipality):
    """Landscape overview of one municipality: totals, and per district."""
    return render(
        request,
        "landscape/overview.html",
        {"totals": selectors.totals(request.municipality), "districts": selectors.per_district(request.municipality)},
    )
