-- portfolio_headline
-- Headline figures for the home page: projects, budget, spend to date, reported RAG counts.
-- params: (none)
-- reads: ledger_monthly, projects
-- grain: one row
-- columns: project_count, active_projects, budget_total, actual_to_date, red_count, amber_count, green_count, unreported_count, latest_as_of
with p as (
    select * from projects
),
spend as (
    select sum(amount) as actual_to_date from ledger_monthly where kind = 'actual'
),
final as (
    select
        count(*) as project_count,
        count(*) filter (where coalesce(stage, '') not ilike 'clos%' and actual_finish_date is null) as active_projects,
        sum(budget) as budget_total,
        (select actual_to_date from spend) as actual_to_date,
        count(*) filter (where reported_health = 'red') as red_count,
        count(*) filter (where reported_health = 'amber') as amber_count,
        count(*) filter (where reported_health = 'green') as green_count,
        count(*) filter (where reported_health is null) as unreported_count,
        max(as_of) as latest_as_of
    from p
)
select * from final
