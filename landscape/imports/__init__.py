"""Imports into the landscape registry: the documented template (docs/import-template.md) and open grant registers.

`reading` turns bytes into tables safely, `values` parses Dutch cell values, `template` and `grants` give the columns
their meaning and produce `records`, which `landscape.services.import_records` validates against the registry and
writes all-or-nothing. `run_import()` ties these together for the command, the UI and the background job.
"""
