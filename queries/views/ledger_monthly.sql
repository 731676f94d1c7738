-- ledger_monthly
-- The ledger summed per project, month, category, cost centre, capex/opex, kind, currency and
-- source: what the pages read instead of the single lines (a ledger has many lines per month and
-- GL account; 10 million benchmark lines become about 1.7 million rows). `amount` is in the
-- reporting currency and NULL where the currency has no FX rate: the rate depends only on the
-- currency and the month, both part of the key, so a row is wholly converted or not at all.
-- The dashboard keeps this view as a table per store version and settings (pmo/db.py
-- MATERIALISE), saved under the store's cache/ so a new process does not recompute it.
-- params: (none)
-- cache: summary
-- reads: financials
-- grain: project_id, period, category, cost_center, capex_opex, kind, currency, source
-- columns: project_id, period, category, cost_center, capex_opex, kind, currency, source, amount, amount_original, line_count
select
    project_id, period, category, cost_center, capex_opex, kind, currency, source,
    sum(amount) as amount,
    sum(amount_original) as amount_original,
    count(*) as line_count
from financials
group by all
