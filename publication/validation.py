"""Offline validation of OCDS packages against the OCDS 1.1.5 JSON Schemas (Draft 4), without network access.

The schema files are looked up in settings.OCDS_SCHEMA_DIR (default: ../shared/ocds/1.1.5 beside the project).
Extension schema patches (the lots extension) are not available offline: packages are validated against the core
schema, which allows the extension's additional fields (docs/adr/0005-ocds-lots-and-extensions.md).
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

BASE_URL = "https://standard.open-contracting.org/schema/1__1__5/"


def schema_dir() -> Path:
    return Path(getattr(settings, "OCDS_SCHEMA_DIR", settings.BASE_DIR.parent / "shared" / "ocds" / "1.1.5"))


def _load(name):
    return json.loads((schema_dir() / name).read_text(encoding="utf-8"))


@cache
def _validators():
    registry = Registry().with_resources(
        (BASE_URL + name, Resource.from_contents(_load(name), default_specification=DRAFT4))
        for name in ("release-schema.json", "versioned-release-validation-schema.json")
    )
    checker = FormatChecker()
    return {
        "release": Draft4Validator(_load("release-package-schema.json"), registry=registry, format_checker=checker),
        "record": Draft4Validator(_load("record-package-schema.json"), registry=registry, format_checker=checker),
    }


def errors(package: dict) -> list[str]:
    """Every schema error of a release or record package, as "path: message"."""
    validator = _validators()["record" if "records" in package else "release"]
    found = sorted(validator.iter_errors(package), key=lambda e: list(e.absolute_path))
    return ["/".join(map(str, e.absolute_path)) + ": " + e.message for e in found]
