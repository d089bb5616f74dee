"""How an OCDS package becomes its file: UTF-8 JSON, indented by two spaces, non-ASCII characters as themselves.

orjson (a project dependency) writes the same bytes as `json.dumps(package, ensure_ascii=False, indent=2)` about
fifty times faster (docs/benchmarks.md, bench_ocds_export); the export command and the benchmark both use this."""

from pathlib import Path

import orjson


def serialise(package: dict) -> bytes:
    return orjson.dumps(package, option=orjson.OPT_INDENT_2)


def write(path: Path, package: dict) -> None:
    path.write_bytes(serialise(package))
