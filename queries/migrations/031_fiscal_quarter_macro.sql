-- Migration 031: the first day of the quarter a timestamp or date falls in, when the fiscal
-- year starts in start_month (1-12; 1 = calendar quarters), as planning/fiscal.py's
-- quarter_start: the calendar quarter of the day shifted back by start_month - 1 months,
-- shifted forward again. Ten query parts wrote the expression out.
create macro fiscal_quarter_start(moment, start_month) as
    (date_trunc('quarter', moment - to_months(start_month - 1)) + to_months(start_month - 1))::date;
