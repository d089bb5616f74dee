"""Benchmark of the OCDS export (docs/benchmarks.md): 10 000 synthetic procedures' releases, exported as one release
package through the project's own path (`publication.ocds.release_package`, then `publication.export.serialise`, as
`manage.py export_ocds` does) against dumping the same release dicts with plain `orjson.dumps` in the same run.

The releases are built in memory (no database: the export path reads `Release.data` only): every procedure has the
shape of one that went through award — planning, a tender with two lots, milestones and documents, the buyer and six
economic operators, bid statistics and details, an award and a contract — with its own ids, names, amounts and dates
(and Dutch text with non-ASCII characters). A sample of them is validated against OCDS 1.1.5 first.
`BENCH_OCDS_PROCEDURES` sets the number (10 000), `BENCH_OCDS_REPEAT` the runs per variant (3, best counts). Also
measured, for comparison: the stdlib's `json.dumps(..., ensure_ascii=False, indent=2)` that the export command used
before (pure Python: the C encoder does not indent). Run: `python bench/bench_ocds_export.py` or through bench/run.py.
"""

import gc
import json
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

if not __package__:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common

URI = "/api/v1/ocds/releases"


def _money(amount: float) -> dict:
    return {"amount": amount, "currency": "EUR"}


def _operator(n: int, k: int) -> dict:
    kvk = f"{80000000 + n * 7 + k}"
    return {
        "id": f"NL-KVK-{kvk}",
        "name": f"Stichting Welzijn Wijk {n}-{k} “De Brug”",
        "identifier": {"scheme": "NL-KVK", "id": kvk, "legalName": f"Stichting Welzijn Wijk {n}-{k}"},
        "address": {
            "streetAddress": f"Brugstraat {k + 1}",
            "postalCode": "2311 CS",
            "locality": "Leiden",
            "countryName": "NL",
        },  # fmt: skip
        "roles": ["tenderer"],
        "details": {
            "consortia": [
                {"bid": f"bid-{n}-{k // 2}", "consortiumRole": "lead" if k % 2 == 0 else "member", "ring": k % 2}
            ]
        },  # fmt: skip
    }


def synthetic_release(n: int) -> dict:
    """Procedure n's release after its definitive award, as publication.ocds builds it."""
    ocid = f"ocds-wijkwaarde-GM{n % 400:04d}-{n}"
    day = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}"
    budget = 300000.0 + (n % 97) * 2500.0
    operators = [_operator(n, k) for k in range(6)]
    winners = [{"id": operators[0]["id"], "name": operators[0]["name"]},
               {"id": operators[1]["id"], "name": operators[1]["name"]}]  # fmt: skip
    operators[0]["roles"].append("supplier")
    operators[1]["roles"].append("supplier")
    lots = [{"id": str(k), "title": f"Perceel {k}: {('Jeugd', 'Ouderen')[k - 1]}", "description": "Sociale basis",
             "value": _money(budget * 6), "status": "complete"} for k in (1, 2)]  # fmt: skip
    municipality = f"GM{n % 400:04d}"
    return {
        "ocid": ocid,
        "id": f"{ocid}-0007",
        "date": f"{day}T10:00:00+01:00",
        "tag": ["award", "contract"],
        "initiationType": "tender",
        "language": "nl",
        "parties": [
            {
                "id": municipality,
                "name": f"Gemeente {n}",
                "roles": ["buyer", "procuringEntity"],
                "identifier": {"scheme": "NL-CBS", "id": municipality, "legalName": f"Gemeente {n}"},
            },
            *operators,
        ],  # fmt: skip
        "buyer": {"id": municipality, "name": f"Gemeente {n}"},
        "planning": {
            "rationale": f"Een sterke sociale basis in elke wijk ({n}); één loket, minder wachttijd.",
            "budget": {
                "id": f"{ocid}-budget",
                "description": "Looptijd 4 jaar + 2 × 1 jaar optie.",
                "amount": _money(budget * 12),
            },
        },  # fmt: skip
        "tender": {
            "id": f"{ocid}-tender",
            "title": f"Sociale basis {n}",
            "description": "Welzijn, jongerenwerk en mantelzorgondersteuning in de wijken.",
            "status": "complete",
            "procuringEntity": {"id": municipality, "name": f"Gemeente {n}"},
            "value": _money(budget * 12),
            "procurementMethod": "open",
            "procurementMethodDetails": "Openbare procedure",
            "mainProcurementCategory": "services",
            "awardCriteria": "qualityOnly",
            "awardCriteriaDetails": "Vast budget per perceel; kwaliteit (70%); samenwerking (30%)",
            "submissionMethod": ["electronicSubmission"],
            "hasEnquiries": n % 3 == 0,
            "documents": [
                {
                    "id": "tender-document",
                    "documentType": "biddingDocuments",
                    "title": f"Aanbestedingsdocument {n}",
                    "url": f"https://wijkwaarde.example/gemeenten/{municipality}/opdrachten/{n}/document.pdf",
                    "format": "application/pdf",
                    "language": "nl",
                }
            ],  # fmt: skip
            "lots": lots,
            "milestones": [
                {"id": kind, "title": kind, "type": "engagement", "dueDate": f"{day}T12:00:00+01:00", "status": "met"}
                for kind in ("questions", "bids", "opening")
            ],  # fmt: skip
            "tenderPeriod": {"startDate": f"{day}T09:00:00+01:00", "endDate": f"{day}T12:00:00+01:00"},
            "contractPeriod": {
                "startDate": "2027-01-01T00:00:00+01:00",
                "endDate": "2031-01-01T00:00:00+01:00",
                "maxExtentDate": "2033-01-01T00:00:00+01:00",
                "durationInDays": 1461,
            },  # fmt: skip
            "tenderers": [{"id": o["id"], "name": o["name"]} for o in operators],
            "numberOfTenderers": 6,
        },
        "bids": {
            "statistics": [
                {
                    "id": f"bids-lot-{k}",
                    "measure": "bids",
                    "value": 3,
                    "relatedLot": str(k),
                    "date": f"{day}T12:00:00+01:00",
                }
                for k in (1, 2)
            ],  # fmt: skip
            "details": [
                {
                    "id": f"bid-{n}-{b}",
                    "date": f"{day}T11:00:00+01:00",
                    "status": "pending",
                    "tenderers": [{"id": o["id"], "name": o["name"]} for o in operators[2 * b : 2 * b + 2]],
                    "relatedLots": ["1"],
                }
                for b in range(3)
            ],  # fmt: skip
        },
        "awards": [
            {
                "id": f"award-{n}",
                "title": "Gunning perceel 1: Jeugd",
                "status": "active",
                "date": f"{day}T10:00:00+01:00",
                "value": _money(budget * 6),
                "suppliers": winners,
                "relatedLots": ["1"],
            }
        ],  # fmt: skip
        "contracts": [
            {
                "id": f"contract-{n}",
                "awardID": f"award-{n}",
                "title": "Overeenkomst perceel 1: Jeugd",
                "status": "pending",
                "value": _money(budget * 6),
                "period": {
                    "startDate": "2027-01-01T00:00:00+01:00",
                    "endDate": "2031-01-01T00:00:00+01:00",
                    "maxExtentDate": "2033-01-01T00:00:00+01:00",
                    "durationInDays": 1461,
                },
            }
        ],  # fmt: skip
    }


def _best(fn, repeat: int) -> tuple[float, int]:
    """The fastest of `repeat` runs of fn() -> bytes/str, and the size of its result."""
    best, size = float("inf"), 0
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - started)
        size = len(out)
        del out
    return best, size


def run() -> dict:
    common.setup_django()
    import orjson

    from publication import export, ocds, validation

    count = int(os.environ.get("BENCH_OCDS_PROCEDURES", "10000"))
    repeat = int(os.environ.get("BENCH_OCDS_REPEAT", "3"))
    started = time.perf_counter()
    releases = [SimpleNamespace(data=synthetic_release(n)) for n in range(1, count + 1)]
    built = time.perf_counter() - started
    sample = ocds.release_package(releases[:20], URI)
    schema_errors = len(validation.errors(sample)) if validation.schema_dir().exists() else "schemas not available"
    dicts = [r.data for r in releases]

    def project():
        return export.serialise(ocds.release_package(releases, URI))

    def stdlib():
        return json.dumps(ocds.release_package(releases, URI), ensure_ascii=False, indent=2)

    def plain_orjson():
        return orjson.dumps(dicts)

    package = ocds.release_package(releases, URI)  # one package, one publishedDate: the same bytes either way
    same = export.serialise(package) == json.dumps(package, ensure_ascii=False, indent=2).encode()
    assert same, "the export path writes other bytes than json.dumps(ensure_ascii=False, indent=2)"
    del package
    rounds = {}
    for _ in range(repeat):  # the variants take turns, so that bursts of other work fall on each of them
        for name, fn in (("orjson", plain_orjson), ("project", project)):
            seconds, size = _best(fn, 1)
            old = rounds.get(name, (float("inf"), size))
            rounds[name] = (min(old[0], seconds), size)
    stdlib_seconds, stdlib_size = _best(stdlib, 1)
    orjson_seconds, orjson_size = rounds["orjson"]
    project_seconds, project_size = rounds["project"]
    return {
        "procedures (releases)": count,
        "export bytes identical to json.dumps(ensure_ascii=False, indent=2)": "yes" if same else "no",
        "OCDS 1.1.5 schema errors in a sample of 20": schema_errors,
        "building the release dicts (s)": round(built, 2),
        f"orjson.dumps of the release dicts, best of {repeat} (s)": round(orjson_seconds, 3),
        "  its size (MB)": round(orjson_size / 1e6, 1),
        f"export path: release_package + export.serialise, best of {repeat} (s)": round(project_seconds, 3),
        "  its size (MB, indented)": round(project_size / 1e6, 1),
        "export path as a share of orjson's speed (%) (goal ≥ 40)": round(100 * orjson_seconds / project_seconds, 1),
        "stdlib json.dumps(indent=2), the export before (s)": round(stdlib_seconds, 3),
        "  as a share of orjson's speed (%)": round(100 * orjson_seconds / stdlib_seconds, 1),
        "  its size (million characters)": round(stdlib_size / 1e6, 1),
    }


if __name__ == "__main__":
    for label, value in run().items():
        print(f"{label}: {value}")
