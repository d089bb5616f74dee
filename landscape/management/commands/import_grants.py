from landscape.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Import a municipality's open grant register (CSV or XLSX) as organisations and municipal grants."
    format = "grants"
