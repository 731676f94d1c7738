-- fx_rates
-- Exchange rates to the reporting currency as imported, plus the reporting currency itself at
-- 1.0 from 1900, so every conversion is a join (money in the reporting currency needs no rate).
-- params: (none)
-- reads: seg_fx_rates, settings_general
-- grain: currency, valid_from
-- columns: currency, rate_to_reporting, valid_from
select currency, rate_to_reporting, valid_from from seg_fx_rates
union all by name
select reporting_currency as currency, 1.0 as rate_to_reporting, date '1900-01-01' as valid_from
from settings_general
