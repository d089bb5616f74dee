from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path
from django_otp.admin import OTPAdminSite

# The admin requires a verified second factor like every other municipal page, and logs in through our own
# two-step login instead of its own form.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "wijkwaarde"


def admin_login(request, extra_context=None):
    return redirect_to_login(request.GET.get("next", "/admin/"))


admin.site.login = admin_login

urlpatterns = [
    path("", include("core.urls")),
    path("", include("landscape.urls")),
    path("", include("core.audit_urls")),
    path("", include("continuity.urls")),
    path("", include("tenders.urls")),
    path("", include("publication.urls")),
    path("inschrijven/", include("bids.urls")),
    path("beoordeling/", include("evaluation.urls")),
    path("contracten/", include("contracts.urls")),
    path("api/v1/", include("wijkwaarde.api_urls")),
    path("admin/", admin.site.urls),
]

handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
