-- financials
-- Ledger lines with the project id resolved (aliases) and the amount in the reporting currency
-- at the rate valid in the line's month; the original amount and currency are kept.
-- params: (none)
-- reads: _financials_rate, _project_alias, seg_financials, settings_general
-- grain: one row per ledger line
-- columns: period, category, cost_center, kind, amount_original, capex_opex, source, project_id, currency, amount
select f.* exclude (project_id, amount, currency, _ingest_id),
       coalesce(a.project_id, f.project_id) as project_id,
       coalesce(f.currency, g.reporting_currency) as currency,
       f.amount_original * r.rate as amount
from seg_financials f
cross join settings_general g
left join _project_alias a on a.alias = f.project_id
left join _financials_rate r
    on r.currency = coalesce(f.currency, g.reporting_currency) and r.period is not distinct from f.period
