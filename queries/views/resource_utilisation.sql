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
-- (strictly, compared at 6 decimals); NULL for people whose capacity is not known at all (in no HR
-- or capacity export) and for placeholders. Unnamed placeholder demand has one row per role with no
-- person and no capacity: a role's deficit = sum(forecast_hours) - sum(capacity_hours) over its
-- rows, and a group's utilisation = sum(forecast_hours) / sum(capacity_hours), never the mean of
-- utilisation. actual_cost = actual hours x cost rate (reporting currency) where the rate is
-- known; unpriced_hours = actual hours without one. Every person known to any resource table
-- gets a row for every period from the first to the last day of demand.
-- params: (none)
-- reads: allocations, capacity, resource_holidays, resource_people, settings_resources, time_entries
-- grain: bucket_start, person_id (placeholders: person_id NULL, one row per role)
-- columns: bucket, bucket_start, bucket_end, person_id, person_name, employee_id, role, team, department, location, is_placeholder, capacity_hours, planned_hours, actual_hours, forecast_hours, availability_hours, utilisation, planned_utilisation, actual_utilisation, is_over_allocated, utilisation_note, actual_cost, unpriced_hours, actuals_through
with
te as materialized (
    select work_date, hours, person_id, cost_rate from time_entries
),
al as materialized (
    select person_id, role, start_date, end_date, hours, hours_per_day, allocation_pct from allocations
),
cap as materialized (
    select kind, person_id, start_date, end_date, hours, days from capacity where kind in ('capacity', 'leave')
),
st as (
    select * from settings_resources
),
actuals as (
    select max(work_date) as actuals_through from te
),
bounds as (
    select min(d) as first_day, max(d) as last_day from (
        select work_date as d from te
        union all select start_date from al
        union all select coalesce(end_date, start_date) from al
    )
),
cal as materialized (
    select
        g.day,
        list_contains(st.working_days, isodow(g.day)) as is_working_day,
        case when st.bucket = 'month' then cast(date_trunc('month', g.day) as date)
             else cast(date_trunc('week', g.day) as date) end as bucket_start
    from (
        select cast(unnest(generate_series(
            case when st.bucket = 'month' then cast(date_trunc('month', b.first_day) as date)
                 else cast(date_trunc('week', b.first_day) as date) end,
            case when st.bucket = 'month' then last_day(b.last_day)
                 else cast(date_trunc('week', b.last_day) as date) + 6 end,
            interval 1 day)) as date) as day
        from bounds b cross join st
        where b.first_day is not null
    ) g
    cross join st
),
people as materialized (
    select
        p.*,
        coalesce(p.weekly_hours, p.fte * st.default_weekly_hours) / st.days_per_week as contract_daily_hours
    from resource_people p cross join st
),
holiday as materialized (
    -- the part of a day that is a public holiday where the person works (city or country calendar)
    select p.person_id, h.holiday_date as day, max(h.days) as share
    from people p
    join resource_holidays h on h.location_key in (lower(trim(p.location)), lower(trim(p.country)))
    group by all
),
stated_rows as (
    select row_number() over () as rid, person_id, start_date, coalesce(end_date, start_date) as end_date, hours
    from cap
    where kind = 'capacity' and person_id is not null and start_date is not null and hours is not null
),
stated as (
    -- a tool's capacity: one row per day; a row spanning days is spread over its working days
    select person_id, day, sum(hours / n) as hours from (
        select s.person_id, c.day, s.hours, count(*) over (partition by s.rid) as n
        from stated_rows s join cal c on c.day between s.start_date and s.end_date
        where c.is_working_day or s.start_date = s.end_date
    ) group by all
),
base as materialized (
    select
        p.person_id, c.day, c.bucket_start, c.is_working_day,
        c.is_working_day and coalesce(h.share, 0) < 1 as is_open_day,
        p.has_contract
            and (p.contract_start is null or c.day >= p.contract_start)
            and (p.contract_end is null or c.day <= p.contract_end) as under_contract,
        case
            when p.has_contract then
                case when c.is_working_day
                          and (p.contract_start is null or c.day >= p.contract_start)
                          and (p.contract_end is null or c.day <= p.contract_end)
                     then coalesce(p.contract_daily_hours, 0) * (1 - coalesce(h.share, 0))
                     else 0 end
            else coalesce(s.hours, 0)
        end as base_hours,
        coalesce(p.contract_daily_hours, s.hours) as daily_hours
    from people p
    cross join cal c
    left join holiday h on h.person_id = p.person_id and h.day = c.day
    left join stated s on s.person_id = p.person_id and s.day = c.day
),
leave_rows as (
    select row_number() over () as lid, person_id, start_date, coalesce(end_date, start_date) as end_date, hours, days
    from cap
    where kind = 'leave' and person_id is not null and start_date is not null
),
leave as (
    -- a leave record is spread evenly over the days of its span that have capacity
    select person_id, day, sum(
        case when hours is not null then hours / n
             when days is not null then days / n * daily_hours
             else base_hours end) as hours
    from (
        select l.person_id, b.day, b.base_hours, b.daily_hours, l.hours, l.days,
               count(*) over (partition by l.lid) as n
        from leave_rows l
        join base b on b.person_id = l.person_id and b.day between l.start_date and l.end_date
        where b.base_hours > 0
    ) group by all
),
person_day as materialized (
    select b.*, greatest(b.base_hours - coalesce(l.hours, 0), 0) as capacity
    from base b left join leave l on l.person_id = b.person_id and l.day = b.day
),
alloc as materialized (
    select row_number() over () as aid, person_id, role, start_date, coalesce(end_date, start_date) as end_date,
           hours, hours_per_day, allocation_pct
    from al
    where start_date is not null and coalesce(end_date, start_date) >= start_date
),
named_open as (
    select a.aid, a.person_id, d.day, a.hours, a.hours_per_day, count(*) over (partition by a.aid) as n
    from alloc a join person_day d on d.person_id = a.person_id and d.day between a.start_date and a.end_date
    where a.person_id is not null and d.is_open_day and a.allocation_pct is null
          and (a.hours is not null or a.hours_per_day is not null)
),
planned as materialized (
    select person_id, day, sum(hours) as hours from (
        select person_id, day, coalesce(hours / n, hours_per_day) as hours from named_open
        union all
        -- a total with no open day in its span stays on its first day
        select a.person_id, a.start_date, a.hours from alloc a
        where a.person_id is not null and a.hours is not null and a.allocation_pct is null
              and a.aid not in (select aid from named_open)
        union all
        select a.person_id, d.day, a.allocation_pct * d.capacity from alloc a
        join person_day d on d.person_id = a.person_id and d.day between a.start_date and a.end_date
        where a.person_id is not null and a.hours is null and a.hours_per_day is null and d.capacity > 0
    ) group by all
),
actual as materialized (
    select person_id, work_date as day, sum(hours) as hours,
           sum(hours * cost_rate) as cost,
           sum(case when cost_rate is null then hours else 0 end) as unpriced
    from te where person_id is not null
    group by all
),
person_rows as (
    select
        d.person_id, d.bucket_start,
        sum(d.capacity) as capacity_hours,
        sum(coalesce(pl.hours, 0)) as planned_hours,
        sum(coalesce(ac.hours, 0)) as actual_hours,
        sum(case when x.actuals_through is not null and d.day <= x.actuals_through then coalesce(ac.hours, 0)
                 else coalesce(pl.hours, 0) end) as forecast_hours,
        sum(ac.cost) as actual_cost,
        sum(coalesce(ac.unpriced, 0)) as unpriced_hours,
        bool_or(d.under_contract) as under_contract
    from person_day d
    cross join actuals x
    left join planned pl on pl.person_id = d.person_id and pl.day = d.day
    left join actual ac on ac.person_id = d.person_id and ac.day = d.day
    group by all
),
placeholder_open as (
    select a.aid, coalesce(a.role, 'Unnamed role') as role, c.day, a.hours, a.hours_per_day, a.allocation_pct,
           count(*) over (partition by a.aid) as n
    from alloc a join cal c on c.day between a.start_date and a.end_date and c.is_working_day
    where a.person_id is null
),
placeholder_day as (
    select role, day, sum(hours) as hours from (
        select role, day, coalesce(hours / n, hours_per_day, allocation_pct * st.default_weekly_hours / st.days_per_week)
            as hours
        from placeholder_open cross join st
        union all
        select coalesce(a.role, 'Unnamed role'), a.start_date, a.hours from alloc a
        where a.person_id is null and a.hours is not null and a.aid not in (select aid from placeholder_open)
    ) group by all
),
placeholder_rows as (
    select
        p.role, c.bucket_start,
        sum(p.hours) as planned_hours,
        sum(case when x.actuals_through is not null and p.day <= x.actuals_through then 0 else p.hours end)
            as forecast_hours
    from placeholder_day p
    join cal c on c.day = p.day
    cross join actuals x
    group by all
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
    from person_rows r join people p using (person_id)
    union all
    select
        bucket_start, null, null, null, role, null, null, null,
        true, 0.0, planned_hours, 0.0, forecast_hours, null, 0.0, true,
        'unnamed demand (placeholder): no capacity of its own'
    from placeholder_rows
)
select
    st.bucket,
    f.bucket_start,
    case when st.bucket = 'month' then last_day(f.bucket_start) else f.bucket_start + 6 end as bucket_end,
    f.person_id, f.person_name, f.employee_id, f.role, f.team, f.department, f.location, f.is_placeholder,
    f.capacity_hours, f.planned_hours, f.actual_hours, f.forecast_hours,
    f.capacity_hours - f.forecast_hours as availability_hours,
    case when round(f.capacity_hours, 6) > 0 then f.forecast_hours / f.capacity_hours end as utilisation,
    case when round(f.capacity_hours, 6) > 0 then f.planned_hours / f.capacity_hours end as planned_utilisation,
    case when round(f.capacity_hours, 6) > 0 then f.actual_hours / f.capacity_hours end as actual_utilisation,
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
