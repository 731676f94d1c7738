-- resource_capacity_days
-- Capacity per person and day over resource_calendar (docs/resources.md, "The rules"): scheduled
-- weekly hours / working days per week on a working day of the contract, times the part of the
-- day that is not a public holiday in the person's city or country, less leave, never below 0.
-- People without an HR contract take the capacity a tool states (a row spanning days spread over
-- its working days). A leave record is spread evenly over the days of its span that have
-- capacity: hours as given, days x the contract's daily hours, or the whole of each day.
-- is_open_day = a working day that is not a full public holiday for the person (where a planned
-- total is spread). resource_utilisation and the Capacity page total these days per week or month.
-- params: (none)
-- reads: capacity, resource_calendar, resource_holidays, resource_people, settings_resources
-- cache: summary
-- grain: person_id, day
-- columns: person_id, day, week_start, month_start, is_working_day, is_open_day, under_contract, daily_hours, capacity_hours
with
cap as materialized (
    select kind, person_id, start_date, end_date, hours, days from capacity where kind in ('capacity', 'leave')
),
cal as materialized (
    select day, is_working_day, week_start, month_start from resource_calendar
),
people as materialized (
    select
        p.*,
        coalesce(p.weekly_hours, p.fte * st.default_weekly_hours) / st.days_per_week as contract_daily_hours
    from resource_people p cross join settings_resources st
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
        p.person_id, c.day, c.week_start, c.month_start, c.is_working_day,
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
)
select
    b.person_id, b.day, b.week_start, b.month_start, b.is_working_day, b.is_open_day, b.under_contract,
    b.daily_hours,
    greatest(b.base_hours - coalesce(l.hours, 0), 0) as capacity_hours
from base b
left join leave l on l.person_id = b.person_id and l.day = b.day
order by b.person_id, b.day
