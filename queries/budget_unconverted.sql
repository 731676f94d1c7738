-- budget_unconverted
-- Ledger lines the Budget variance page leaves out of every total because their currency has no FX
-- rate to the reporting currency: per currency and kind, how many lines, how much (in the line's
-- own currency), for which projects and months. Same project filters as budget_lines.
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all)
-- reads: ledger_monthly, projects
-- grain: currency, kind
-- columns: currency, kind, line_count, amount_original, project_count, projects, first_period, last_period
with
lines as (
    select f.*
    from ledger_monthly f
    left join projects p on p.project_id = f.project_id
    where f.amount is null
      and f.amount_original is not null
      and ($portfolio is null or p.portfolio = $portfolio)
      and ($program is null or p.program = $program)
      and ($department is null or p.department = $department)
      and ($manager is null or p.manager = $manager)
      and ($stage is null or p.stage = $stage)
),
final as (
    select
        currency,
        kind,
        cast(sum(line_count) as bigint) as line_count,
        sum(amount_original) as amount_original,
        count(distinct project_id) as project_count,
        string_agg(distinct project_id, ', ' order by project_id) as projects,
        min(period) as first_period,
        max(period) as last_period
    from lines
    group by currency, kind
)
select * from final
order by currency, kind
