-- _financials_rate
-- The rate of each (currency, period) of the ledger: found once per distinct pair (a ledger has a
-- few dozen), then an equi-join, not an asof join per ledger line (the same rates; 4-20x faster
-- on 10 million lines, benchmarks/RESULTS.md).
-- params: (none)
-- reads: _fx, _fx_first, seg_financials, settings_general
-- grain: currency, period
-- columns: currency, period, rate
with keys as (
    select distinct coalesce(f.currency, g.reporting_currency) as currency, f.period
    from seg_financials f, settings_general g
)
select k.currency, k.period, coalesce(fx.rate_to_reporting, ff.rate) as rate
from keys k
asof left join _fx fx on fx.currency = k.currency and k.period >= fx.valid_from
left join _fx_first ff on ff.currency = k.currency
