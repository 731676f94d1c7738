-- _fx_first
-- The earliest known rate of each currency: used for a date before the first rate. A currency
-- with no rate at all gives NULL, which the pages report instead of mixing currencies.
-- params: (none)
-- reads: _fx
-- grain: currency
-- columns: currency, rate
select currency, arg_min(rate_to_reporting, valid_from) as rate from _fx group by currency
