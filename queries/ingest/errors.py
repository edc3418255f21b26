"""Why an import is refused: one code per failure, with the details a sentence needs.

The engine raises ``ImportRefused(code, file=..., **details)``; the page says it in the reader's
language (``import.refused.<code>`` in the catalogues) and the command line in English, so the
message lives in one place per language. Row-level problems are not refusals: they reject the
row (see ``REJECT_CODES``) and the others load.
"""

from __future__ import annotations

from locales import translate

# Whole-file refusals. Each one changes nothing in the workspace.
REFUSAL_CODES = (
    "file_not_found",  # path does not exist (command line)
    "empty_file",  # 0 bytes
    "too_large",  # over the configured size limit; details: size_mb, limit_mb
    "binary_file",  # not text, not a workbook, not parquet
    "unsupported_format",  # a known format we do not read; details: format
    "extension_mismatch",  # the name says one format, the content another; details: named, actual
    "spreadsheet_bomb",  # xlsx expands far beyond its size; details: expanded_mb, ratio
    "corrupt_workbook",  # xlsx that is not a readable workbook
    "corrupt_parquet",
    "sheet_not_found",  # details: sheet, sheets
    "undecodable",  # no encoding reads it; details: encoding
    "malformed_csv",  # the CSV reader cannot read it at all; details: detail
    "no_header",  # nothing but blank lines
    "headers_only",  # a header row and no data rows
    "unknown_kind",  # cannot tell leads/deals/campaigns/spend; details: hint
    "missing_required",  # details: kind, missing (e.g. "the stage or status")
    "unknown_column",  # --map FIELD=COLUMN names a column the file lacks; details: column
    "unknown_field",  # --map names a field the kind lacks; details: field, kind
    "duplicate_file",  # same sha256 imported before; details: when, import_id
    "sample_workspace",  # importing into the sample company without choosing; details: path
    "not_a_file",  # the path is a folder, a pipe or a device
    "unreadable_file",  # the file cannot be opened (permissions)
    "password_protected",  # an encrypted workbook (OLE2 container holding EncryptedPackage)
    "formulas_without_values",  # xlsx formulas never calculated; details: sheet, cell, count
    "sheet_empty",  # the chosen sheet is blank, others have data; details: sheet, sheets
    "workbook_too_big",  # over the cell or time cap of the workbook reader; details: limit
    "all_rejected",  # every row was rejected: nothing to import; details: rows, reason
    "all_existing",  # every record is in the workspace already (append); details: rows, kind
    "stage_ids_unmapped",  # the stage column holds ids with no outcome said; details: column, ids
)

# Row-level rejects: the row is listed (row number, column, value) and the others load.
REJECT_CODES = (
    "bad_money",
    "bad_number",
    "bad_percent",
    "bad_date",
    "bad_outcome",  # a status value that is not won/lost/open
    "bad_value",  # a value outside the field's allowed set (objective, category)
    "missing_value",  # a value the record cannot be stored without (its id, a lead's date)
    "duplicate_in_file",  # the same id earlier in the file; details: first_row
    "already_exists",  # append: the id is in the workspace already
    "end_before_start",
    "field_count",  # the line has more or fewer fields than the header
    "bad_flag",  # a yes/no value that is neither
    "no_close_date",  # a won or lost deal without a close date
    "closed_before_created",  # a deal closed before it was created
)

# English sentences stored in import_rejects.reason (the page translates by code).
REASONS = {
    "bad_money": 'column "{column}": "{value}" is not an amount of money',
    "bad_number": 'column "{column}": "{value}" is not a number',
    "bad_percent": 'column "{column}": "{value}" is not a percentage',
    "bad_date": 'column "{column}": "{value}" is not a date',
    "bad_outcome": 'column "{column}": "{value}" is not won, lost or open',
    "bad_flag": 'column "{column}": "{value}" is not yes or no',
    "no_close_date": 'column "{column}": the deal is {value} but has no close date, so it '
    "could never count as won or lost in a period",
    "closed_before_created": 'column "{column}": the close date "{value}" is before the '
    "deal was created",
    "bad_value": 'column "{column}": "{value}" is not one of the allowed values',
    "missing_value": 'column "{column}" is empty, and the record cannot be stored without it',
    "duplicate_in_file": 'column "{column}": "{value}" appears earlier in the file (row {detail})',
    "already_exists": 'column "{column}": "{value}" is already in the workspace '
    "(use upsert to update it)",
    "end_before_start": 'column "{column}": the end date "{value}" is before the start date',
    "field_count": "the line has {detail}",
}


class ImportRefused(Exception):
    """The whole file is refused; nothing was written."""

    def __init__(self, code: str, *, file: str, **details: object) -> None:
        if code not in REFUSAL_CODES:
            raise ValueError(f"unknown refusal code {code!r}")
        self.code = code
        self.file = file
        self.details = details
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        """One sentence naming the file and what is wrong, in ``lang``."""
        return translate(f"import.refused.{self.code}", lang, file=self.file, **self.details)
