"""The choices of a commissioning (route, phase, service category, distribution rule, Wmo price basis); defined here
so that every models module of tenders can use them, and imported by tenders.models, where the rest of the code finds
them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Route(models.TextChoices):
    OPEN = "open", _("Open procedure")
    PRESELECTION = "preselection", _("Procedure with preselection")
    COMPETITIVE_DIALOGUE = "competitive_dialogue", _("Competitive dialogue")
    GRANT_ROUND = "grant_round", _("Grant round (Awb title 4.2)")


class Phase(models.TextChoices):
    DRAFT = "draft", _("Draft")
    TENDERING = "tendering", _("Open for bids")
    SELECTION = "selection", _("Selection stage")
    INVITATION = "invitation", _("Invitation to bid")
    DIALOGUE_1 = "dialogue_1", _("Dialogue phase 1 (scope)")
    DIALOGUE_SELECTION = "dialogue_selection", _("Selection for dialogue phase 2")
    DIALOGUE_2 = "dialogue_2", _("Dialogue phase 2 (content)")
    FINAL_BIDS = "final_bids", _("Final bids")
    APPLICATION_PERIOD = "application_period", _("Application period")
    EVALUATION = "evaluation", _("Evaluation")
    AWARDED = "awarded", _("Awarded")
    CANCELLED = "cancelled", _("Cancelled")


class ServiceCategory(models.TextChoices):
    SOCIAL = "social", _("Social and other specific services (Annex XIV)")
    GENERAL = "general", _("Services in general")


class DistributionRule(models.TextChoices):
    """How a grant round divides its subsidy ceiling among applications (Awb 4:26)."""

    QUALITY_RANKING = "quality_ranking", _("Ranking by quality: the best applications first, until the ceiling")


class WmoPriceBasis(models.TextChoices):
    """How the price of Wmo services bought from a third party is set (Uitvoeringsbesluit Wmo 2015 art. 5.4(1))."""

    FIXED_PRICE = "fixed_price", _("A fixed price, based on the cost price (art. 5.4(1)(a))")
    REAL_PRICE_FLOOR = "real_price_floor", _("A real price as the lower limit for bids (art. 5.4(1)(b))")
