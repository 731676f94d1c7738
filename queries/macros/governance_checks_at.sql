-- governance_checks_at
-- The governance checks judged on a status date, for the projects the shared filters select: the
-- date is the newest status date with findings on or before at_date (NULL = the newest); the
-- projects judged on it are those with a reporting finding that day (from their first status,
-- else start, until they close); each check counts with its newest finding on or before it (a
-- plan's checks from its export's status date on). Offending task ids also by their task names
-- (Project Online ids are GUIDs). The date does not depend on the filters, so a filter change
-- cuts the same rows. governance_project_checks (the page) and governance_report (`pmo check
-- --governance`) read it.
-- params: (none; the macro's arguments are at_date and the filters f_portfolio .. f_stage)
-- reads: filtered_projects, governance_findings, tasks
-- grain: project_id, check_id
-- columns: project_id, project_name, portfolio, program, department, manager, stage, as_of, check_id, check_group, check_name, measurable, passed, numerator, denominator, value, threshold, rule, export, note, offending, offending_names, finding_date, check_order
create or replace macro governance_checks_at(at_date, f_portfolio, f_program, f_department, f_manager, f_stage) as table
with
target as (
    select max(as_of) as as_of
    from governance_findings
    where check_group = 'reporting' and (at_date::date is null or as_of <= at_date::date)
),

judged as (
    select distinct f.project_id
    from governance_findings f
    join target t on f.as_of = t.as_of
    join filtered_projects(f_portfolio, f_program, f_department, f_manager, f_stage) s
        on s.project_id = f.project_id
    where f.check_group = 'reporting'
),

newest as (
    select f.*, t.as_of as judged_on
    from governance_findings f
    join judged j on j.project_id = f.project_id
    cross join target t
    where f.as_of <= t.as_of
    qualify row_number() over (partition by f.project_id, f.check_id order by f.as_of desc) = 1
),

task_names as (
    select project_id, task_id, any_value(task_name) as task_name
    from tasks
    where project_id in (select project_id from judged)
    group by all
),

named as (
    select n.project_id, n.check_id,
           list(coalesce(t.task_name, n.offending[r.i]) order by r.i) as offending_names
    from newest n
    cross join range(1, len(n.offending) + 1) r(i)
    left join task_names t on t.project_id = n.project_id and t.task_id = n.offending[r.i]
        and n.check_group in ('plan', 'schedule')
    group by n.project_id, n.check_id
)

select
    n.project_id, n.project_name, n.portfolio, n.program, n.department, n.manager, n.stage,
    n.judged_on as as_of, n.check_id, n.check_group, n.check_name, n.measurable, n.passed,
    n.numerator, n.denominator, n.value, n.threshold, n.rule, n.export, n.note, n.offending,
    coalesce(m.offending_names, n.offending) as offending_names, n.as_of as finding_date, n.check_order
from newest n
left join named m on m.project_id = n.project_id and m.check_id = n.check_id
