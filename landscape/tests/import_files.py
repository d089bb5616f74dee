"""Real import files for tests (and the benchmark): XLSX workbooks via openpyxl, CSV in any dialect and encoding."""

import csv
import io

import openpyxl

ORGANISATION_HEADERS = ["Naam", "KvK-nummer", "Rechtsvorm", "Soort", "Vrijwilligers", "Betaalde krachten (fte)"]
ACTIVITY_HEADERS = ["Organisatie", "Titel", "Doelgroepen", "Wijken", "Bereik (deelnemers per jaar)", "Preventief"]
FUNDING_HEADERS = [
    "Organisatie",
    "Activiteit",
    "Jaar",
    "Soort",
    "Regeling of fonds",
    "Verleend bedrag",
    "Voorwaardelijk",
]


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = workbook.create_sheet(name)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], *, delimiter=";", encoding="utf-8", bom=False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode(encoding)


def landscape_sheets(n: int, district: str = "WK054601", volunteers: int = 10) -> dict[str, list[list]]:
    """A consistent template workbook with `n` organisations, each with one activity and one grant."""
    orgs = [ORGANISATION_HEADERS] + [
        [f"Stichting Test {i}", f"{10000000 + i}", "stichting", "vrijwilligersorganisatie", volunteers, "1,5"]
        for i in range(n)
    ]
    acts = [ACTIVITY_HEADERS] + [
        [f"Stichting Test {i}", "Inloop", "elderly, Eenzame inwoners", district, 100 + i, "ja"] for i in range(n)
    ]
    funds = [FUNDING_HEADERS] + [
        [f"{10000000 + i}", "Inloop", 2024, "gemeentelijke subsidie", "Welzijn", f"€ {i + 1}.000,00", "nee"]
        for i in range(n)
    ]
    return {"organisaties": orgs, "activiteiten": acts, "financiering": funds}
