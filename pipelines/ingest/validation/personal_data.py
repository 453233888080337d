"""Stage 1, the privacy gate: a file holding personal data is rejected whole, before anything
else reads it, on every sheet of a workbook (UU PDP 27/2022). What counts as personal data is
declared in pipelines.contracts.privacy; this module only looks for it and names the places."""

from dataclasses import dataclass

import polars as pl

from pipelines.contracts.datasets import Dataset, Kind
from pipelines.contracts.privacy import is_personal_header, personal_value_columns
from pipelines.ingest.reading import LINE, RawTable
from pipelines.ingest.validation.headers import canonical_names
from pipelines.ingest.validation.issues import Validation, rejected


@dataclass
class PersonalData:
    """Where a file holds personal data, named by place only, never by value."""

    columns: list[str]  # headers (as written) of the sheet the pipeline reads
    sheets: dict[str, list[str]]  # every other sheet of a workbook: its Excel column letters

    def __bool__(self) -> bool:
        return bool(self.columns or self.sheets)


def find_personal_data(table: RawTable, dataset: Dataset) -> PersonalData:
    """The privacy check of docs/contracts.md, on every sheet. The sheet the pipeline reads: a column
    is personal by its header's words or by any of its values' shape (a value of the declared
    length in a declared identifier column, the NIB, is that identifier). Every other sheet has
    no known header row, so each of its cells is judged both ways, as a header and as a value."""
    values = table.frame.select(pl.exclude(LINE))
    lengths = {c.name: c.digits for c in dataset.all_columns if c.kind is Kind.DIGITS and c.digits}
    identifiers = {
        column: lengths[name]
        for column, name in zip(
            values.columns, canonical_names(table.source_columns, dataset), strict=True
        )
        if name in lengths
    }
    # By position: a header may be written twice, or look like a pattern (`*`).
    flagged = set(personal_value_columns(values, identifiers))
    columns = [
        header
        for header, name in zip(table.source_columns, values.columns, strict=True)
        if is_personal_header(header) or name in flagged
    ]
    sheets = {}
    for sheet, letters, frame in table.other_sheets:
        by_value = set(personal_value_columns(frame))
        found = [
            letter
            for letter, column in zip(letters, frame.iter_columns(), strict=True)
            if column.name in by_value
            or any(map(is_personal_header, column.alias("v").drop_nulls().unique()))
        ]
        if found:
            sheets[sheet] = found
    return PersonalData(columns, sheets)


def personal_data_rejection(personal: PersonalData, table: RawTable) -> Validation:
    """Names each place (sheet, column) to clean, never a value: a cell on another sheet may
    be a name, so those are named by their Excel column letter only."""
    places = []
    if personal.columns:
        where = f"kolom {', '.join(personal.columns)}"
        if table.other_sheets:  # a workbook of several sheets: say which one
            where += f" di lembar '{table.sheet_name}'"
        places.append(where)
    places += [
        f"lembar '{sheet}' kolom {', '.join(letters)}" for sheet, letters in personal.sheets.items()
    ]
    validation = rejected(
        [
            f"berkas berisi data pribadi: {'; '.join(places)}. Dataset ini hanya menerima angka "
            "agregat; hapus kolom tersebut (NIK, No. KK, nama perorangan, nomor HP/WhatsApp, "
            "alamat e-mail), atau lembar yang memuatnya, lalu kirim ulang. Isi berkas tidak "
            "disalin ke mana pun selain folder rejected/."
        ],
        [],
        personal=personal.columns,
    )
    validation.personal_data = True
    return validation
