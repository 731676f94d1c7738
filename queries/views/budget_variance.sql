-- budget_variance
-- Budget, actual, forecast and commitment per project, month, category and cost centre, from the
-- ledger lines in the reporting currency, with variance = budget - actual (positive = under
-- budget, favourable) and variance_pct = variance / budget (NULL where the budget is 0). Several
-- lines per key are summed (credits and reversals are negative lines); a kind with no lines is 0.
-- Lines whose currency has no FX rate (amount NULL) are left out: `pmo check` and the Budget
-- variance page list them.
-- params: (none)
-- reads: ledger_monthly
-- grain: project_id, period, category, cost_center
-- columns: project_id, period, category, cost_center, budget, actual, forecast, commitment, variance, variance_pct
with
lines as (
    select project_id, period, category, cost_center, kind, amount
    from ledger_monthly
    where amount is not null
),
summed as (
    select
        project_id,
        period,
        category,
        cost_center,
        coalesce(sum(amount) filter (where kind = 'budget'), 0) as budget,
        coalesce(sum(amount) filter (where kind = 'actual'), 0) as actual,
        coalesce(sum(amount) filter (where kind = 'forecast'), 0) as forecast,
        coalesce(sum(amount) filter (where kind = 'commitment'), 0) as commitment
    from lines
    group by project_id, period, category, cost_center
),
final as (
    select
        *,
        budget - actual as variance,
        (budget - actual) / nullif(budget, 0) as variance_pct
    from summed
)
select * from final
order by project_id, period, category, cost_center
