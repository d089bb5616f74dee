from urllib.parse import unquote_plus


class DutchUnlessChosen:
    """The UI speaks Dutch by default: the browser's Accept-Language is ignored, English only when the visitor chose
    it with the language switch (Django's language cookie). Sits before LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RejectNulBytes:
    """A NUL character in the path or query string is never meaningful and PostgreSQL refuses it in text ("A string
    literal cannot contain NUL"): answer 400 before any view or query sees it (issue #9)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "\x00" in unquote_plus(query) or "\x00" in request.path_info:
            from django.core.exceptions import BadRequest

            raise BadRequest("NUL character in the address")
        return self.get_response(request)


class ChartsMayEvaluate:
    """Vega compiles chart expressions with `new Function`: a page that loads it gets 'unsafe-eval' in its
    Content-Security-Policy; every other page keeps the strict policy (settings.CONTENT_SECURITY_POLICY). Listed
    after csp.middleware.CSPMiddleware, so it marks the response before the policy is built."""

    MARKER = b"vendor/vega/vega.min.js"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html") and not response.streaming and self.MARKER in response.content:
            response._csp_update = {"script-src": ["'unsafe-eval'"]}
        return response
