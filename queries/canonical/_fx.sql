-- _fx
-- One rate per currency and date it becomes valid (two files giving the same date: the lower
-- rate, so the choice does not depend on file order). Money is converted with the latest rate
-- valid at the row's date (`asof join` on this view).
-- params: (none)
-- reads: fx_rates
-- grain: currency, valid_from
-- columns: currency, rate_to_reporting, valid_from
select currency, rate_to_reporting, valid_from from (
    select *, row_number() over (partition by currency, valid_from order by rate_to_reporting) as n
    from fx_rates)
where n = 1
