"""Real import files for tests (and the benchmark): XLSX workbooks via openpyxl, CSV in any dialect and encoding."""

import csv
import io
import zipfile

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


def with_xml_bomb(workbook: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """`workbook` with an XML entity-expansion ("billion laughs") payload in `part`: nine levels of ten entities
    each, a billion "lol"s (3 GB) when a parser expands them. The cell A2 uses the last level."""
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    doctype = f"<!DOCTYPE lolz [{''.join(entities)}]>"
    source, target = io.BytesIO(workbook), io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename == part:
                text = content.decode()
                text = text.replace("<t>Stichting Test 0</t>", "<t>&lol9;</t>")
                content = (doctype + text).encode()
            zout.writestr(item, content)
    return target.getvalue()
