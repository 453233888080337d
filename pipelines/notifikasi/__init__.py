"""Messages to officers and leaders (docs/operations.md): built with the standard `email` package,
delivered over SMTP or, with no mail server configured, written as .eml files to kotak_keluar/.

Plain Python: no Dagster, no dashboard. The jobs that decide who is told live in pipelines/defs.
"""
