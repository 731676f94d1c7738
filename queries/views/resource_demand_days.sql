-- resource_demand_days
-- Demand per person (or unnamed placeholder role), project and day (docs/resources.md, "The
-- rules"). Planned hours = allocations: a total spread evenly over the span's open days for the
-- person (working days that are not a full public holiday; all on the first day if none), hours
-- per day on each such day, a % allocation that share of the day's capacity
-- (resource_capacity_days). Placeholders (no person) are spread over the span's working days, a %
-- of [resources] default_weekly_hours. Actual hours = time entries with a person; actual_cost =
-- hours x cost rate (reporting currency) where the rate is known, unpriced_hours the rest.
-- forecast = actual on days up to actuals_through (the last day any time entry covers), planned
-- after. The rows of a person and day add up to that person-day's demand in resource_utilisation.
-- params: (none)
-- reads: allocations, resource_calendar, resource_capacity_days, settings_resources, time_entries
-- cache: summary
-- grain: person_id (NULL for a placeholder, then role), project_id, day
-- columns: person_id, is_placeholder, role, project_id, day, planned_hours, actual_hours, forecast_hours, actual_cost, unpriced_hours
with
st as (
    select * from settings_resources
),
cal as materialized (
    select day, is_working_day, actuals_through from resource_calendar
),
person_day as materialized (
    select person_id, day, is_open_day, capacity_hours as day_capacity from resource_capacity_days
),
alloc as materialized (
    select row_number() over () as aid, person_id, role, project_id, start_date,
           coalesce(end_date, start_date) as end_date, hours, hours_per_day, allocation_pct
    from allocations
    where start_date is not null and coalesce(end_date, start_date) >= start_date
),
named_open as (
    select a.aid, a.person_id, a.project_id, d.day, a.hours, a.hours_per_day,
           count(*) over (partition by a.aid) as n
    from alloc a join person_day d on d.person_id = a.person_id and d.day between a.start_date and a.end_date
    where a.person_id is not null and d.is_open_day and a.allocation_pct is null
          and (a.hours is not null or a.hours_per_day is not null)
),
planned as (
    select person_id, project_id, day, sum(hours) as hours from (
        select person_id, project_id, day, coalesce(hours / n, hours_per_day) as hours from named_open
        union all
        -- a total with no open day in its span stays on its first day
        select a.person_id, a.project_id, a.start_date, a.hours from alloc a
        where a.person_id is not null and a.hours is not null and a.allocation_pct is null
              and a.aid not in (select aid from named_open)
        union all
        select a.person_id, a.project_id, d.day, a.allocation_pct * d.day_capacity from alloc a
        join person_day d on d.person_id = a.person_id and d.day between a.start_date and a.end_date
        where a.person_id is not null and a.hours is null and a.hours_per_day is null and d.day_capacity > 0
    ) group by all
),
actual as (
    select person_id, project_id, work_date as day, sum(hours) as hours,
           sum(hours * cost_rate) as cost,
           sum(case when cost_rate is null then hours else 0 end) as unpriced
    from time_entries where person_id is not null and work_date is not null
    group by all
),
named as (
    select
        coalesce(p.person_id, a.person_id) as person_id,
        coalesce(p.project_id, a.project_id) as project_id,
        coalesce(p.day, a.day) as day,
        coalesce(p.hours, 0) as planned_hours,
        coalesce(a.hours, 0) as actual_hours,
        a.cost as actual_cost,
        coalesce(a.unpriced, 0) as unpriced_hours
    from planned p
    full join actual a on a.person_id = p.person_id and a.day = p.day
                      and a.project_id is not distinct from p.project_id
),
placeholder_open as (
    select a.aid, coalesce(a.role, 'Unnamed role') as role, a.project_id, c.day, a.hours, a.hours_per_day,
           a.allocation_pct, count(*) over (partition by a.aid) as n
    from alloc a join cal c on c.day between a.start_date and a.end_date and c.is_working_day
    where a.person_id is null
),
placeholder as (
    select role, project_id, day, sum(hours) as hours from (
        select role, project_id, day,
               coalesce(hours / n, hours_per_day, allocation_pct * st.default_weekly_hours / st.days_per_week) as hours
        from placeholder_open cross join st
        union all
        select coalesce(a.role, 'Unnamed role'), a.project_id, a.start_date, a.hours from alloc a
        where a.person_id is null and a.hours is not null and a.aid not in (select aid from placeholder_open)
    ) group by all
),
actuals as (
    select any_value(actuals_through) as actuals_through from cal
)
select
    n.person_id, false as is_placeholder, cast(null as varchar) as role, n.project_id, n.day,
    n.planned_hours, n.actual_hours,
    case when x.actuals_through is not null and n.day <= x.actuals_through then n.actual_hours
         else n.planned_hours end as forecast_hours,
    n.actual_cost, n.unpriced_hours
from named n cross join actuals x
union all
select
    null, true, p.role, p.project_id, p.day,
    p.hours, 0.0,
    case when x.actuals_through is not null and p.day <= x.actuals_through then 0.0 else p.hours end,
    null, 0.0
from placeholder p cross join actuals x
order by day, person_id, role, project_id
