"""Public API of the landscape registry under /api/v1/ (no trailing slashes)."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter(trailing_slash=False)
router.register("organisations", api.OrganisationViewSet, basename="landscape-organisation")
router.register("activities", api.ActivityViewSet, basename="landscape-activity")
router.register("districts", api.DistrictViewSet, basename="landscape-district")
router.register("fundings", api.FundingViewSet, basename="landscape-funding")

urlpatterns = router.urls
