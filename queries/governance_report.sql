-- governance_report
-- The governance checks of every project judged on a date, as `pmo check --governance` prints
-- them: the date is the newest status date on or before $as_of; each check counts with its newest
-- finding on or before it (a plan's checks from its export's date on). Ordered by portfolio,
-- project and check; offending task ids also by their task names.
-- params: $as_of DATE (NULL = the newest date judged), $portfolio VARCHAR (NULL = all)
-- reads: governance_findings, tasks
-- grain: project_id, check_id
-- columns: portfolio, project_id, project_name, as_of, check_id, check_group, check_name, measurable, passed, numerator, denominator, value, threshold, rule, export, note, offending, offending_names, finding_date, check_order
with
target as (
    select max(as_of) as as_of
    from governance_findings
    where check_group = 'reporting' and ($as_of::date is null or as_of <= $as_of::date)
),

judged as (
    select distinct f.project_id
    from governance_findings f
    join target t on f.as_of = t.as_of
    where f.check_group = 'reporting'
      and ($portfolio::varchar is null or f.portfolio = $portfolio::varchar)
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
    select project_id, task_id, any_value(task_name) as task_name from tasks group by all
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
    n.portfolio, n.project_id, n.project_name, n.judged_on as as_of, n.check_id, n.check_group, n.check_name,
    n.measurable, n.passed, n.numerator, n.denominator, n.value, n.threshold, n.rule, n.export, n.note,
    n.offending, m.offending_names, n.as_of as finding_date, n.check_order
from newest n
left join named m on m.project_id = n.project_id and m.check_id = n.check_id
order by n.portfolio nulls last, n.project_id, n.check_order
