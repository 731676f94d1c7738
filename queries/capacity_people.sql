-- capacity_people
-- Capacity against demand per person and period ($bucket: ISO week or calendar month) for the
-- periods starting from $start_date to $end_date, for the Capacity page (docs/capacity.md). The
-- rules are resource_utilisation's, per day (resource_capacity_days, resource_demand_days), totalled
-- here by the period asked for. Every figure is the person's whole demand (all projects), so
-- over-allocation is judged on everything they are booked on; selected_forecast_hours is the part
-- on the projects the shared filters select. With no project filter every person is listed; with
-- one, the people with planned or actual hours on a selected project in the window. Unnamed
-- placeholders (is_placeholder, person_id NULL) have one row per role and period with their demand
-- on the selected projects and no capacity. capacity_known = the person is in the HR export or a
-- capacity export (else utilisation is not judged).
-- params: $bucket VARCHAR ('week' or 'month'), $start_date DATE, $end_date DATE, $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all)
-- reads: filtered_projects, resource_calendar, resource_capacity_days, resource_demand_days, resource_people
-- grain: bucket_start, person_id (placeholders: person_id NULL, one row per role)
-- columns: bucket_start, bucket_end, person_id, person_name, employee_id, role, team, department, location, is_placeholder, capacity_known, capacity_hours, planned_hours, actual_hours, forecast_hours, selected_forecast_hours, planned_to_date_hours, actual_cost, unpriced_hours, under_contract, actuals_through
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
pp as materialized (
    select * from resource_people
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
    select person_id from pp where (select all_projects from unfiltered)
    union
    select person_id from demand
    where is_selected and not is_placeholder and (planned_hours <> 0 or actual_hours <> 0)
),
cap_totals as (
    select k.person_id, c.bucket_start, sum(k.capacity_hours) as capacity_hours,
           bool_or(k.under_contract) as under_contract
    from resource_capacity_days k
    join cal c on c.day = k.day
    where k.person_id in (select person_id from people)
    group by all
),
person_demand as (
    select person_id, bucket_start,
           sum(planned_hours) as planned_hours, sum(actual_hours) as actual_hours,
           sum(forecast_hours) as forecast_hours,
           sum(case when is_selected then forecast_hours else 0 end) as selected_forecast_hours,
           sum(case when day <= actuals_through then planned_hours else 0 end) as planned_to_date_hours,
           sum(actual_cost) as actual_cost, sum(unpriced_hours) as unpriced_hours
    from demand
    where not is_placeholder and person_id in (select person_id from people)
    group by all
),
placeholder_demand as (
    select role, bucket_start,
           sum(planned_hours) as planned_hours, sum(forecast_hours) as forecast_hours,
           sum(case when day <= actuals_through then planned_hours else 0 end) as planned_to_date_hours
    from demand
    where is_placeholder and is_selected
    group by all
),
rows as (
    select
        k.bucket_start, k.person_id, p.person_name, p.employee_id, p.role, p.team, p.department, p.location,
        false as is_placeholder,
        p.has_contract or coalesce(p.has_stated_capacity, false) as capacity_known,
        k.capacity_hours,
        coalesce(m.planned_hours, 0) as planned_hours,
        coalesce(m.actual_hours, 0) as actual_hours,
        coalesce(m.forecast_hours, 0) as forecast_hours,
        coalesce(m.selected_forecast_hours, 0) as selected_forecast_hours,
        coalesce(m.planned_to_date_hours, 0) as planned_to_date_hours,
        m.actual_cost,
        coalesce(m.unpriced_hours, 0) as unpriced_hours,
        k.under_contract
    from cap_totals k
    join pp p using (person_id)
    left join person_demand m on m.person_id = k.person_id and m.bucket_start = k.bucket_start
    union all
    select
        bucket_start, null, null, null, role, null, null, null, true, false, 0.0,
        planned_hours, 0.0, forecast_hours, forecast_hours, planned_to_date_hours, null, 0.0, false
    from placeholder_demand
)
select
    r.bucket_start,
    case when $bucket = 'month' then last_day(r.bucket_start) else r.bucket_start + 6 end as bucket_end,
    r.* exclude (bucket_start),
    (select any_value(actuals_through) from resource_calendar) as actuals_through
from rows r
order by r.bucket_start, r.is_placeholder, r.person_id, r.role
