-- capacity_project_demand
-- Demand per person (or unnamed placeholder role), project and period ($bucket: ISO week or
-- calendar month, periods starting from $start_date to $end_date), for the Capacity page: demand
-- stacked by project, planned against actual per project, unstaffed demand, and which projects
-- overload an over-allocated person. Rows of the projects the shared filters select
-- (is_selected), and, for the people with hours on those, their other projects too (they count in
-- the person's total: the reason a person is over-allocated names every project). planned_to_date
-- = planned hours on days up to actuals_through, to set against the actual hours logged.
-- params: $bucket VARCHAR ('week' or 'month'), $start_date DATE, $end_date DATE, $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all)
-- reads: filtered_projects, projects, resource_calendar, resource_demand_days
-- grain: bucket_start, person_id (or role for a placeholder), project_id
-- columns: bucket_start, person_id, is_placeholder, role, project_id, project_name, is_selected, planned_hours, actual_hours, forecast_hours, planned_to_date_hours
with
unfiltered as (
    select ($portfolio is null and $program is null and $department is null and $manager is null
            and $stage is null) as all_projects
),
cal as materialized (
    select day, actuals_through,
           case when $bucket = 'month' then month_start else week_start end as bucket_start
    from resource_calendar
    where (case when $bucket = 'month' then month_start else week_start end)
          between cast($start_date as date) and cast($end_date as date)
),
selected as (
    select project_id from filtered_projects($portfolio, $program, $department, $manager, $stage)
),
demand as materialized (
    select d.*, c.bucket_start, c.actuals_through,
           (select all_projects from unfiltered) or d.project_id in (select project_id from selected) as is_selected
    from resource_demand_days d join cal c on c.day = d.day
),
people as (
    select distinct person_id from demand
    where is_selected and not is_placeholder and (planned_hours <> 0 or actual_hours <> 0)
)
select
    d.bucket_start, d.person_id, d.is_placeholder, d.role, d.project_id,
    any_value(p.project_name) as project_name,
    d.is_selected,
    sum(d.planned_hours) as planned_hours,
    sum(d.actual_hours) as actual_hours,
    sum(d.forecast_hours) as forecast_hours,
    sum(case when d.day <= d.actuals_through then d.planned_hours else 0 end) as planned_to_date_hours
from demand d
left join projects p on p.project_id = d.project_id
where d.is_selected or d.person_id in (select person_id from people)
group by d.bucket_start, d.person_id, d.is_placeholder, d.role, d.project_id, d.is_selected
order by d.bucket_start, d.person_id, d.role, d.project_id
