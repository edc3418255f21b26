"""CRM import: readers, encodings, value parsers, column presets, validation and commit.

The engine reads every file into a staging table of text columns (types are never guessed from
the first rows), parses each mapped column with SQL fast paths checked against the value
parsers of queries/ingest/parsers.py, lists each rejected row with its row number, column and
reason, and commits in one transaction.
"""
