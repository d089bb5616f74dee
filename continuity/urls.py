app_name = "continuity"
urlpatterns: list = []
