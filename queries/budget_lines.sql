-- budget_lines
-- Ledger amounts per project, month, category, cost centre and capex/opex in the reporting
-- currency, with what each row adds to the forecast at completion (FAC). The Budget variance page
-- cuts this one frame by any dimension. Rules (docs/budget.md):
--   close month = the latest month up to the as-of month with actual lines in the ledger (if none,
--   the month before the as-of month); actual = actual lines up to the close month.
--   remaining = what is still to be spent, in the months after the close month. A project with
--   forecast lines there: those lines ("forecast"; a later month with no forecast lines but actuals
--   posted since, as when looking at an earlier as-of date, counts at those actuals). A project with
--   none there: its remaining budget, max(total budget - actual to date, 0), spread over its later
--   budget lines, else put in the month after the close month ("remaining budget"); nothing if it
--   is finished (actual finish date by the as-of date, or stage Closed) ("finished").
--   fac = actual + remaining. Lines with no FX rate are left out (see budget_unconverted).
-- cache: saved, per project (every figure is computed within one project, and the close month from the
--   whole ledger, so the result for a filter is the unfiltered result's rows for the projects the
--   filter selects; the dashboard caches the unfiltered result and cuts it)
-- params: $as_of DATE (NULL = the latest month with actual lines), $fiscal_start_month INTEGER, $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all)
-- warm: as_of = today, fiscal_start_month = config general.fiscal_year_start_month
-- reads: ledger_monthly, projects
-- grain: project_id, period, category, cost_center, capex_opex
-- columns: project_id, project_name, portfolio, program, department, cost_center, category, capex_opex, period, fiscal_year, fiscal_quarter, budget, actual, forecast, commitment, remaining, fac, remaining_basis, close_month
with
settings as (
    select
        cast($as_of as date) as as_of_date,
        cast(date_trunc('month', cast($as_of as date)) as date) as as_of_month,
        cast($fiscal_start_month as integer) as fy_start
),
cutoff as (
    select coalesce(
        (select max(f.period) from ledger_monthly f, settings s
         where f.kind = 'actual' and (s.as_of_month is null or f.period <= s.as_of_month)),
        (select cast(s.as_of_month - interval 1 month as date) from settings s)
    ) as close_month
),
lines as (
    select
        f.project_id, f.period, f.category, f.cost_center, f.capex_opex, f.kind, f.amount,
        coalesce(
            (p.actual_finish_date is not null and (s.as_of_date is null or p.actual_finish_date <= s.as_of_date))
            or (p.actual_finish_date is null and lower(p.stage) = 'closed'),
            false) as is_finished
    from ledger_monthly f
    left join projects p on p.project_id = f.project_id
    cross join settings s
    where f.amount is not null
      and ($portfolio is null or p.portfolio = $portfolio)
      and ($program is null or p.program = $program)
      and ($department is null or p.department = $department)
      and ($manager is null or p.manager = $manager)
      and ($stage is null or p.stage = $stage)
),
cells as (
    select
        l.project_id, l.period, l.category, l.cost_center, l.capex_opex,
        coalesce(sum(l.amount) filter (where l.kind = 'budget'), 0) as budget,
        coalesce(sum(l.amount) filter (where l.kind = 'actual' and l.period <= c.close_month), 0) as actual,
        coalesce(sum(l.amount) filter (where l.kind = 'forecast'), 0) as forecast,
        coalesce(sum(l.amount) filter (where l.kind = 'commitment'), 0) as commitment,
        coalesce(sum(l.amount) filter (where l.kind = 'actual' and l.period > c.close_month), 0) as actual_later
    from lines l cross join cutoff c
    group by l.project_id, l.period, l.category, l.cost_center, l.capex_opex
),
later_months as (
    select l.project_id, l.period, bool_or(l.kind = 'forecast') as has_forecast
    from lines l cross join cutoff c
    where l.period > c.close_month and l.kind in ('forecast', 'actual')
    group by l.project_id, l.period
),
per_project as (
    select
        l.project_id,
        bool_or(l.is_finished) as is_finished,
        coalesce(sum(l.amount) filter (where l.kind = 'budget'), 0) as total_budget,
        coalesce(sum(l.amount) filter (where l.kind = 'actual' and l.period <= c.close_month), 0) as actual_to_date,
        coalesce(sum(l.amount) filter (where l.kind = 'budget' and l.period > c.close_month), 0) as later_budget,
        count(*) filter (where l.kind = 'forecast' and l.period > c.close_month) > 0 as has_later
    from lines l cross join cutoff c
    group by l.project_id
),
basis as (
    select
        *,
        case when has_later then 'forecast'
             when is_finished then 'finished'
             else 'remaining budget' end as remaining_basis,
        case when not has_later and not is_finished
             then greatest(total_budget - actual_to_date, 0) else 0 end as budget_gap
    from per_project
),
estimated as (
    select
        x.project_id, x.period, x.category, x.cost_center, x.capex_opex,
        x.budget, x.actual, x.forecast, x.commitment, b.remaining_basis,
        case
            when x.period <= c.close_month then 0
            when b.remaining_basis = 'forecast' then
                case when coalesce(m.has_forecast, false) then x.forecast else x.actual_later end
            when b.remaining_basis = 'remaining budget' and b.later_budget > 0 then
                x.budget * b.budget_gap / b.later_budget
            else 0
        end as remaining
    from cells x
    join basis b on b.project_id = x.project_id
    left join later_months m on m.project_id = x.project_id and m.period = x.period
    cross join cutoff c
),
unphased as (
    -- remaining budget with no later budget lines to spread it over: the month after the close
    -- month, split by each category's share of the project's budget
    select
        x.project_id,
        cast(c.close_month + interval 1 month as date) as period,
        x.category, x.cost_center, x.capex_opex,
        0.0 as budget, 0.0 as actual, 0.0 as forecast, 0.0 as commitment,
        b.remaining_basis,
        sum(x.budget) * b.budget_gap / b.total_budget as remaining
    from cells x
    join basis b on b.project_id = x.project_id
    cross join cutoff c
    where b.remaining_basis = 'remaining budget' and b.later_budget <= 0 and b.budget_gap > 0
      and b.total_budget > 0
    group by x.project_id, c.close_month, x.category, x.cost_center, x.capex_opex, b.remaining_basis,
             b.budget_gap, b.total_budget
),
combined as (
    select
        project_id, period, category, cost_center, capex_opex, remaining_basis,
        sum(budget) as budget, sum(actual) as actual, sum(forecast) as forecast,
        sum(commitment) as commitment, sum(remaining) as remaining
    from (select * from estimated union all by name select * from unphased)
    group by project_id, period, category, cost_center, capex_opex, remaining_basis
),
final as (
    select
        x.project_id,
        p.project_name,
        p.portfolio,
        p.program,
        p.department,
        x.cost_center,
        x.category,
        x.capex_opex,
        x.period,
        year(x.period) + case when s.fy_start > 1 and month(x.period) >= s.fy_start then 1 else 0 end
            as fiscal_year,
        (month(x.period) - s.fy_start + 12) % 12 // 3 + 1 as fiscal_quarter,
        x.budget,
        x.actual,
        x.forecast,
        x.commitment,
        x.remaining,
        x.actual + x.remaining as fac,
        x.remaining_basis,
        c.close_month
    from combined x
    left join projects p on p.project_id = x.project_id
    cross join settings s
    cross join cutoff c
)
-- no order by: sorting 600,000 rows at benchmark scale costs a quarter of the query, and the page
-- sorts what it shows
select * from final
