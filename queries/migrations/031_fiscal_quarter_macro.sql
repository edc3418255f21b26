-- Migration 031: the first day of the quarter a timestamp or date falls in, when the fiscal
-- year starts in start_month (1-12; 1 = calendar quarters), as planning/fiscal.py's
-- quarter_start: the calendar quarter of the day shifted back by start_month - 1 months,
-- shifted forward again. Ten query parts wrote the expression out. The date is made with
-- make_date rather than a cast: DuckDB writes a stored cast's type back as DATE or "DATE"
-- depending on where the macro came from, and a compacted workspace must keep its schema as
-- it was, to the letter (tests/test_retention.py).
create macro fiscal_quarter_start(moment, start_month) as
    make_date(
        year(date_trunc('quarter', moment - to_months(start_month - 1)) + to_months(start_month - 1)),
        month(date_trunc('quarter', moment - to_months(start_month - 1)) + to_months(start_month - 1)),
        1
    );
