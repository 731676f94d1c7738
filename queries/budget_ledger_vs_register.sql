-- budget_ledger_vs_register
-- Per project, the budget in the project register (projects.budget, BAC) next to the sum of the
-- ledger's budget lines, both in the reporting currency. FAC is compared with the ledger's budget;
-- where the ledger phases only part of a project's budget (for example only the current fiscal
-- years), the page says so. Projects in only one of the two have NULL on the other side.
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all)
-- reads: ledger_monthly, projects
-- grain: project_id
-- columns: project_id, project_name, register_budget, ledger_budget, difference_amount, difference_pct
with
ledger as (
    select project_id, sum(amount) as ledger_budget
    from ledger_monthly
    where kind = 'budget' and amount is not null
    group by project_id
),
register as (
    select project_id, project_name, budget as register_budget, portfolio, program, department, manager, stage
    from projects
),
joined as (
    select
        coalesce(r.project_id, l.project_id) as project_id,
        r.project_name,
        r.register_budget,
        l.ledger_budget,
        r.portfolio, r.program, r.department, r.manager, r.stage
    from register r
    full outer join ledger l on l.project_id = r.project_id
),
final as (
    select
        project_id,
        project_name,
        register_budget,
        ledger_budget,
        ledger_budget - register_budget as difference_amount,
        (ledger_budget - register_budget) / nullif(register_budget, 0) as difference_pct
    from joined
    where ($portfolio is null or portfolio = $portfolio)
      and ($program is null or program = $program)
      and ($department is null or department = $department)
      and ($manager is null or manager = $manager)
      and ($stage is null or stage = $stage)
)
select * from final
order by project_id
