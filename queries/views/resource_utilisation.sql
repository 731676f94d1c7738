-- resource_utilisation
-- Capacity against demand per person and period ([resources] bucket: ISO week Monday-Sunday, or
-- calendar month), from HR contracts, leave, public holidays and tool capacity (`capacity`),
-- plans (`allocations`) and timesheets (`time_entries`). Rules (pmo/resources.py, which
-- tests/test_resources.py checks this view against; docs/resources.md):
-- capacity per day = weekly hours / working days on a working day of the contract, less the
-- part of the day that is a public holiday in the person's city or country, less leave, never
-- below 0; people without an HR contract take the capacity a tool states per day. Planned hours
-- = allocations: a total spread evenly over the span's working days that are not a full holiday
-- for the person (all on the first day if none), hours per day on each such day, a % of the
-- day's capacity. Actual hours = time entries; forecast = actual on days up to actuals_through
-- (the last day any time entry covers), planned after. utilisation = forecast / capacity,
-- planned_ / actual_utilisation likewise; NULL when capacity is 0, with utilisation_note saying
-- why. availability = capacity - forecast; over-allocated only when forecast > capacity
-- (strictly, compared at 6 decimals; hours enter the ratios at 6 decimals, so the order in which
-- a float sum adds up cannot make 40 on 40 read 99.99...%); NULL for people whose capacity is not known at all (in no HR
-- or capacity export) and for placeholders. Unnamed placeholder demand has one row per role with no
-- person and no capacity: a role's deficit = sum(forecast_hours) - sum(capacity_hours) over its
-- rows, and a group's utilisation = sum(forecast_hours) / sum(capacity_hours), never the mean of
-- utilisation. actual_cost = actual hours x cost rate (reporting currency) where the rate is
-- known; unpriced_hours = actual hours without one. Every person known to any resource table
-- gets a row for every period from the first to the last day of demand. The days come from
-- resource_capacity_days and resource_demand_days (the same rules per day, which the Capacity page
-- totals per week or month as it is asked).
-- params: (none)
-- reads: resource_calendar, resource_capacity_days, resource_demand_days, resource_people, settings_resources
-- grain: bucket_start, person_id (placeholders: person_id NULL, one row per role)
-- columns: bucket, bucket_start, bucket_end, person_id, person_name, employee_id, role, team, department, location, is_placeholder, capacity_hours, planned_hours, actual_hours, forecast_hours, availability_hours, utilisation, planned_utilisation, actual_utilisation, is_over_allocated, utilisation_note, actual_cost, unpriced_hours, actuals_through
with
st as (
    select * from settings_resources
),
cal as materialized (
    -- the configured bucket's periods from the first to the last day of demand
    select c.day, c.actuals_through,
           case when st.bucket = 'month' then c.month_start else c.week_start end as bucket_start
    from resource_calendar c cross join st
    where c.day >= case when st.bucket = 'month' then cast(date_trunc('month', c.first_day) as date)
                        else cast(date_trunc('week', c.first_day) as date) end
      and c.day <= case when st.bucket = 'month' then last_day(c.last_day)
                        else cast(date_trunc('week', c.last_day) as date) + 6 end
),
actuals as (
    select any_value(actuals_through) as actuals_through from resource_calendar
),
demand as materialized (
    select d.person_id, d.is_placeholder, d.role, c.bucket_start,
           sum(d.planned_hours) as planned_hours, sum(d.actual_hours) as actual_hours,
           sum(d.forecast_hours) as forecast_hours, sum(d.actual_cost) as actual_cost,
           sum(d.unpriced_hours) as unpriced_hours
    from resource_demand_days d join cal c on c.day = d.day
    group by all
),
cap_totals as (
    select d.person_id, c.bucket_start, sum(d.capacity_hours) as capacity_hours,
           bool_or(d.under_contract) as under_contract
    from resource_capacity_days d join cal c on c.day = d.day
    group by all
),
person_rows as (
    select
        k.person_id, k.bucket_start, k.capacity_hours,
        coalesce(m.planned_hours, 0) as planned_hours,
        coalesce(m.actual_hours, 0) as actual_hours,
        coalesce(m.forecast_hours, 0) as forecast_hours,
        m.actual_cost,
        coalesce(m.unpriced_hours, 0) as unpriced_hours,
        k.under_contract
    from cap_totals k
    left join demand m on m.person_id = k.person_id and m.bucket_start = k.bucket_start and not m.is_placeholder
),
final as (
    select
        r.bucket_start, r.person_id, p.person_name, p.employee_id, p.role, p.team, p.department, p.location,
        false as is_placeholder, r.capacity_hours, r.planned_hours, r.actual_hours, r.forecast_hours,
        r.actual_cost, r.unpriced_hours,
        not p.has_contract and not coalesce(p.has_stated_capacity, false) as capacity_unknown,
        case
            when round(r.capacity_hours, 6) > 0 then null
            when not p.has_contract and not coalesce(p.has_stated_capacity, false)
                then 'no capacity known: not in the HR export nor in a capacity export'
            when p.has_contract and not r.under_contract then 'not under contract in this period'
            else 'no working time in this period (leave, public holidays or non-working days)'
        end as utilisation_note
    from person_rows r join resource_people p using (person_id)
    union all
    select
        bucket_start, null, null, null, role, null, null, null,
        true, 0.0, planned_hours, 0.0, forecast_hours, null, 0.0, true,
        'unnamed demand (placeholder): no capacity of its own'
    from demand where is_placeholder
)
select
    st.bucket,
    f.bucket_start,
    case when st.bucket = 'month' then last_day(f.bucket_start) else f.bucket_start + 6 end as bucket_end,
    f.person_id, f.person_name, f.employee_id, f.role, f.team, f.department, f.location, f.is_placeholder,
    f.capacity_hours, f.planned_hours, f.actual_hours, f.forecast_hours,
    f.capacity_hours - f.forecast_hours as availability_hours,
    case when round(f.capacity_hours, 6) > 0 then round(f.forecast_hours, 6) / round(f.capacity_hours, 6) end as utilisation,
    case when round(f.capacity_hours, 6) > 0 then round(f.planned_hours, 6) / round(f.capacity_hours, 6) end as planned_utilisation,
    case when round(f.capacity_hours, 6) > 0 then round(f.actual_hours, 6) / round(f.capacity_hours, 6) end as actual_utilisation,
    case when not f.capacity_unknown then round(f.forecast_hours, 6) > round(f.capacity_hours, 6) end
        as is_over_allocated,
    f.utilisation_note,
    f.actual_cost,
    f.unpriced_hours,
    x.actuals_through
from final f
cross join st
cross join actuals x
order by f.bucket_start, f.is_placeholder, f.person_id, f.role
