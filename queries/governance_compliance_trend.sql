-- governance_compliance_trend
-- Standards compliance of the projects the filters select at every status date up to $as_of, per
-- project and check group: at each date a project is judged on, every check counts with its newest
-- finding on or before that date (as governance_compliance does), so the page can sum passed /
-- judged per date for the whole selection and per group (reporting, plan, schedule, gates) and
-- show when a group enters the score (task checks from the plan export's status date on).
-- cache: per project
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all), $as_of DATE (NULL = latest)
-- reads: filtered_projects, governance_findings
-- grain: project_id, as_of, check_group
-- columns: project_id, portfolio, as_of, check_group, checks_judged, checks_passed, checks_failed, checks_not_measurable
with
findings as (
    select f.*
    from governance_findings f
    where f.project_id in (select project_id from filtered_projects($portfolio, $program, $department, $manager, $stage))
),

judged_dates as (
    select distinct project_id, portfolio, as_of
    from findings
    where check_group = 'reporting' and ($as_of::date is null or as_of <= $as_of::date)
),

project_checks as (
    select distinct project_id, check_id from findings
),

grid as (
    select d.project_id, d.portfolio, d.as_of, c.check_id
    from judged_dates d
    join project_checks c on c.project_id = d.project_id
),

newest as (
    select g.project_id, g.portfolio, g.as_of, f.check_group, f.passed
    from grid g
    asof join findings f
        on f.project_id = g.project_id and f.check_id = g.check_id and g.as_of >= f.as_of
)

select
    project_id,
    portfolio,
    as_of,
    check_group,
    count(*) filter (where passed is not null) as checks_judged,
    count(*) filter (where passed) as checks_passed,
    count(*) filter (where not passed) as checks_failed,
    count(*) filter (where passed is null) as checks_not_measurable
from newest
group by project_id, portfolio, as_of, check_group
order by as_of, project_id, check_group
