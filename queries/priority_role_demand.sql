-- priority_role_demand
-- Each project's planned demand per role and fiscal quarter, for the Prioritisation page's
-- "Respect role capacity" option (docs/prioritisation.md): the planned hours (allocations,
-- resource_demand_days) on the days after the last logged day (actuals_through; every day when no
-- timesheet is loaded) of the people whose capacity is known, under their role ('No role given'
-- when none), and of unnamed placeholders, under the role they ask for. Hours booked on someone
-- whose capacity is not known (in no HR or capacity export) are not set against the role's
-- capacity: unmatched_hours counts them per project, for the page to say so. Every project with
-- planned hours is listed (not only the candidates): the page sets the work of projects outside
-- the selection against the capacity first. project_stage tells a closed project's leftover plan.
-- params: $fiscal_start_month INTEGER
-- reads: projects, remaining_fiscal_days, resource_demand_days, resource_people
-- warm: fiscal_start_month = config general.fiscal_year_start_month
-- grain: project_id, capacity_role, period_start
-- columns: project_id, project_stage, capacity_role, period_start, fiscal_year, fiscal_quarter, remaining_demand_hours, unmatched_hours
with
remaining as materialized (
    select * from remaining_fiscal_days(cast($fiscal_start_month as integer))
),
people as (
    select person_id, coalesce(nullif(trim(role), ''), 'No role given') as capacity_role,
           has_contract or coalesce(has_stated_capacity, false) as capacity_known
    from resource_people
),
rows as (
    select d.project_id,
           case when d.is_placeholder then coalesce(nullif(trim(d.role), ''), 'Unnamed role')
                else p.capacity_role end as capacity_role,
           d.is_placeholder or coalesce(p.capacity_known, false) as counted,
           r.period_start, r.fiscal_year, r.fiscal_quarter, d.planned_hours
    from resource_demand_days d
    join remaining r on r.day = d.day
    left join people p on p.person_id = d.person_id and not d.is_placeholder
    where d.project_id is not null and d.planned_hours <> 0
)
select x.project_id, any_value(j.stage) as project_stage, x.capacity_role, x.period_start,
       x.fiscal_year, x.fiscal_quarter,
       sum(case when x.counted then x.planned_hours else 0 end) as remaining_demand_hours,
       sum(case when x.counted then 0 else x.planned_hours end) as unmatched_hours
from rows x
left join projects j on j.project_id = x.project_id
group by x.project_id, x.capacity_role, x.period_start, x.fiscal_year, x.fiscal_quarter
order by x.project_id, x.capacity_role, x.period_start
