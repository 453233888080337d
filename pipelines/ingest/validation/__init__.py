"""Check a raw table against its dataset declaration: one generic path for every dataset.

The result is either a typed frame ready for the warehouse, or the full list of what is wrong:
every bad cell of every row (line, column, value, reason), never just the first. File-level
problems (missing columns, personal data) stop the check early, because row errors would only
repeat them.

The stages, one module each, run in this order by `engine.validate`:

    scope.py          0. the upload: who sent the file, and which kabupaten it may speak for
    personal_data.py  1. the privacy gate: personal data on any sheet rejects the file
    headers.py        2. canonical header names; 4. the required columns
    areas.py          3. which village or kabupaten each row is about; the reference lists
    cells.py          5. every cell parsed by its declared kind
    values.py         6. rules on typed values: ranges, reference lists, duplicate keys
    rules.py             the dataset rules, each a small function registered by name
    issues.py         what a check is, the issue table, the `Validation` result

Why not pandera: the errors here must name the source line and the cell as the officer typed it,
in Bahasa Indonesia, and most of them arise while parsing text into types, before a typed schema
could run. Each rule is one vectorised Polars expression, so a library would add a layer of
translation without removing any code.
"""

from pipelines.ingest.validation.engine import validate
from pipelines.ingest.validation.headers import canonical_names
from pipelines.ingest.validation.issues import ERROR, WARNING, Validation
from pipelines.ingest.validation.personal_data import find_personal_data

__all__ = ["ERROR", "WARNING", "Validation", "canonical_names", "find_personal_data", "validate"]
