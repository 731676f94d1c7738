-- amounts_without_fx_rate
-- Currencies with amounts that cannot be converted to the reporting currency (no FX rate).
-- reads: financials, projects, salaries
-- grain: table, currency
-- columns: item, detail
select 'financials in ' || currency as item,
       count(*) || ' lines, ' || round(sum(amount_original), 2) || ' ' || currency || ' not converted' as detail
from financials where amount is null and amount_original is not null
group by currency
union all
select 'salaries in ' || currency as item, count(*) || ' people not converted' as detail
from salaries where base_salary is null and base_salary_original is not null
group by currency
union all
select 'project budgets in ' || currency as item, count(*) || ' projects not converted' as detail
from projects where budget is null and budget_original is not null
group by currency
order by item
