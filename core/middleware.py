class DutchUnlessChosen:
    """The UI speaks Dutch by default: the browser's Accept-Language is ignored, English only when the visitor chose
    it with the language switch (Django's language cookie). Sits before LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
