-- _time_rate
-- The FX rate of each (currency, day) of the timesheets' cost rates: found once per pair, as financials does per month.
-- params: (none)
-- reads: _fx, _fx_first, seg_time_entries, settings_general
-- grain: one row per row
-- columns: currency, work_date, rate
select k.currency, k.work_date, coalesce(fx.rate_to_reporting, ff.rate) as rate
    from (select distinct coalesce(currency, (select reporting_currency from settings_general)) as currency, work_date
          from seg_time_entries where cost_rate_original is not null) k
    asof left join _fx fx on fx.currency = k.currency and k.work_date >= fx.valid_from
    left join _fx_first ff on ff.currency = k.currency
