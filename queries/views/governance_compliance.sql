-- governance_compliance
-- Standards compliance per project and status date: the share of the governance checks judged
-- (pass or fail; not measurable ones left out) that pass. At each date a project is judged on
-- (a reporting check exists for it then), every check counts with its newest finding on or before
-- that date (a plan's checks from its export's status date on), so the trend shows standards
-- improving or slipping across status dates.
-- params: (none)
-- reads: governance_findings, projects
-- grain: project_id, as_of
-- columns: project_id, as_of, checks_judged, checks_passed, checks_failed, checks_not_measurable, compliance, failed_checks, project_name, portfolio, program, department, manager, stage
with
findings as (
    select * from governance_findings
),

judged_dates as (
    select distinct project_id, as_of from findings where check_group = 'reporting'
),

project_checks as (
    select distinct project_id, check_id from findings
),

grid as (
    select d.project_id, d.as_of, c.check_id
    from judged_dates d
    join project_checks c on c.project_id = d.project_id
),

newest as (
    select g.project_id, g.as_of, g.check_id, f.measurable, f.passed, f.check_name
    from grid g
    asof join findings f
        on f.project_id = g.project_id and f.check_id = g.check_id and g.as_of >= f.as_of
),

final as (
    select
        project_id,
        as_of,
        count(*) filter (where passed is not null) as checks_judged,
        count(*) filter (where passed) as checks_passed,
        count(*) filter (where not passed) as checks_failed,
        count(*) filter (where passed is null) as checks_not_measurable,
        count(*) filter (where passed) / nullif(count(*) filter (where passed is not null), 0) as compliance,
        list(check_name order by check_name) filter (where not passed) as failed_checks
    from newest
    group by project_id, as_of
)

select f.*, p.project_name, p.portfolio, p.program, p.department, p.manager, p.stage
from final f
left join projects p on p.project_id = f.project_id
