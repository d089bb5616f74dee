from landscape.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Import organisations, activities, fundings (and districts) from the landscape template (XLSX or CSV files)."
    format = "template"
