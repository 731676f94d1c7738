-- project_budget_lines
-- One project's ledger by month and category: budget, actual, forecast and commitment in the
-- reporting currency (credits and reversals included).
-- params: $project_id VARCHAR
-- reads: ledger_monthly
-- grain: period, category
-- columns: period, category, budget, actual, forecast, commitment
with
lines as (
    select period, coalesce(category, '(none)') as category, kind, amount
    from ledger_monthly
    where project_id = $project_id
),

final as (
    select
        period,
        category,
        sum(amount) filter (where kind = 'budget') as budget,
        sum(amount) filter (where kind = 'actual') as actual,
        sum(amount) filter (where kind = 'forecast') as forecast,
        sum(amount) filter (where kind = 'commitment') as commitment
    from lines
    group by period, category
)

select * from final
order by period, category
