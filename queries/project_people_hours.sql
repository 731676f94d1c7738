-- project_people_hours
-- The people (and unnamed placeholder roles) of one project with their hours, for the Project
-- page: planned hours (allocations), actual hours (timesheets), planned hours on the days
-- timesheets cover (planned to date, to set against actual), forecast hours still to come (planned
-- after the last logged day), and the first and last day with hours. Rules: docs/resources.md.
-- params: $project_id VARCHAR
-- reads: resource_calendar, resource_demand_days, resource_people
-- grain: person_id (placeholders: role)
-- columns: person_id, person_name, role, team, is_placeholder, planned_hours, actual_hours, planned_to_date_hours, remaining_hours, first_day, last_day
with
x as (
    select any_value(actuals_through) as actuals_through from resource_calendar
)
select
    d.person_id,
    any_value(p.person_name) as person_name,
    coalesce(any_value(d.role), any_value(p.role)) as role,
    any_value(p.team) as team,
    d.is_placeholder,
    sum(d.planned_hours) as planned_hours,
    sum(d.actual_hours) as actual_hours,
    sum(case when d.day <= x.actuals_through then d.planned_hours else 0 end) as planned_to_date_hours,
    sum(case when x.actuals_through is null or d.day > x.actuals_through then d.planned_hours else 0 end)
        as remaining_hours,
    min(d.day) as first_day,
    max(d.day) as last_day
from resource_demand_days d
cross join x
left join resource_people p on p.person_id = d.person_id
where d.project_id = $project_id
group by d.person_id, d.is_placeholder, case when d.is_placeholder then d.role end
order by d.is_placeholder, sum(d.actual_hours) + sum(d.planned_hours) desc, person_name
