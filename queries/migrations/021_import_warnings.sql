-- Migration 021: what an import warned about stays with its record. A file whose amounts are in
-- another currency than the workspace's is imported as written (nothing is converted); the
-- warning the wizard and `flywheel import` showed then is kept here so the Data page's import
-- history can say it again later, in the reader's language.
-- A JSON array of objects {"kind": "currency_mismatch", file, column, written, currency,
-- workspace_currency, rows, first_rows}; NULL when the import warned of nothing (and for the
-- imports made before this migration, which did not keep theirs).

alter table imports add column warnings varchar;
