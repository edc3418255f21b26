-- Migration 019: a deal's amount as the figures read it, in one place. With the setting
-- zero_amount_is_missing = '1' (migration 016, Data page) an amount of 0 means "not entered"
-- and reads as null; the `deals` view applies the same rule to its `amount`. The queries that
-- read raw_deals directly (funnel, 4P mix) call this instead of repeating the rule.
create macro shown_amount(amount) as
    case
        when
            amount = 0
            and (
                select coalesce(max(value) = '1', false)
                from settings
                where key = 'zero_amount_is_missing'
            )
            then null
        else amount
    end;
