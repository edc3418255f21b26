"""CRM import. A file goes one way through modules of one concept each (bottom first; a module
imports only those before it, tests/ingest/test_layers.py holds them to it):

    aliases/     each CRM's names for the fields, as data (one module per CRM)
    fields       the kinds, their fields and value types, and which are required
    parsers      what a value means (money, numbers, dates, outcomes, flags), in Python
    errors       why a file is refused (said in the reader's language), why a row is rejected
    encodings, workbook, files    reading a file and staging it as text columns
    presets      detection: which CRM and kind a file is, the suggested mapping
    targets      where each kind lands in the workspace, and which columns a file feeds
    compile      the SQL of an import, from how the file is read (a Reading)
    fast_paths   how each typed column is read: a checked SQL fast path, Python for the rest
    check        stage → checked rows → rejects, and what the report counts
    history      what the workspace keeps of its imports (records, remembered mappings)
    write        one transaction per import; undo
    engine       the plan that runs them: open_import, configure, validate, preview, commit

Types are never guessed from the first rows: every value of a mapped column is parsed, and
every rejected row is listed with its row number, column and reason.
"""
