"""URLs of the import screens (upload, preview, confirm, template download)."""

urlpatterns: list = []
