"""The schema class of the OpenAPI document (settings.REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"])."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from .access import PublicReadOnly

ERROR_BODY = {
    "type": "object",
    "description": "`detail` with a message, or per parameter a list of messages (in Dutch).",
    "additionalProperties": True,
}
ERRORS = {
    "400": "Bad input: a parameter that is not valid (the body names it).",
    "403": "Not logged in with a role that may use this endpoint.",
    "404": "Not found: an unknown or non-public object, or a page beyond the last.",
}


class AutoSchema(SpectacularAutoSchema):
    """The OpenAPI document tells the whole truth (schemathesis checks it, core/tests/test_api_schemathesis.py):
    public endpoints need no authentication, and every operation documents its error responses."""

    def _is_public(self) -> bool:
        classes = getattr(self.view, "permission_classes", [])
        return bool(classes) and all(issubclass(c, PublicReadOnly) for c in classes)

    def get_auth(self):
        auth = super().get_auth()
        if self._is_public() and {} not in auth:
            auth.append({})  # anonymous allowed; a session cookie is optional
        return auth

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return operation
        responses = operation.setdefault("responses", {})
        for code, description in ERRORS.items():
            if code == "403" and self._is_public():
                continue
            responses.setdefault(
                code, {"description": description, "content": {"application/json": {"schema": ERROR_BODY}}}
            )
        return operation
