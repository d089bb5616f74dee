from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "pageSize"
    max_page_size = 500

    def get_paginated_response_schema(self, schema):
        """The schema of a page; its examples are those of a one-page answer (drf-spectacular wraps an endpoint's
        OpenApiExample of one item in them)."""
        page = super().get_paginated_response_schema(schema)
        properties = page["properties"]
        properties["count"]["example"] = 1
        properties["next"]["example"] = None
        properties["previous"]["example"] = None
        return page
