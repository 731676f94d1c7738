-- governance_project_checks
-- The Governance page's findings: every check of every project the filters select that is judged
-- on the status date (the newest status date with findings on or before $as_of), each check with
-- its newest finding on or before that date (a plan's checks from its export's status date on),
-- as governance_report does for `pmo check --governance`; offending task ids also by their task
-- names. The date does not depend on the filters, so a filter change cuts the same rows.
-- cache: per project
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all), $as_of DATE (NULL = latest)
-- reads: filtered_projects, governance_findings, tasks
-- grain: project_id, check_id
-- columns: project_id, project_name, portfolio, program, department, manager, stage, as_of, check_id, check_group, check_name, measurable, passed, numerator, denominator, value, threshold, rule, export, note, offending, offending_names, finding_date, check_order
with
target as (
    select max(as_of) as as_of
    from governance_findings
    where check_group = 'reporting' and ($as_of::date is null or as_of <= $as_of::date)
),

selected as (
    select project_id, program, department, manager
    from filtered_projects($portfolio, $program, $department, $manager, $stage)
),

judged as (
    -- the projects judged on that date (from their first status, else start, until they close)
    select distinct f.project_id
    from governance_findings f
    join target t on f.as_of = t.as_of
    join selected s on s.project_id = f.project_id
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
    -- offending task ids shown by their names (Project Online ids are GUIDs)
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
order by n.portfolio nulls last, n.project_id, n.check_order
