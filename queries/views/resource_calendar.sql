-- resource_calendar
-- The days the resource views compute over: from the first to the last day of demand (time
-- entries and allocation spans), widened to whole ISO weeks and whole calendar months so that a
-- page may total them by week or by month and every period is complete. Each day says whether it
-- is a working day ([resources] working_days), its ISO week (Monday) and month, and carries the
-- demand bounds and actuals_through (the last day any time entry covers: forecast = actual up to
-- it, planned after).
-- params: (none)
-- reads: allocations, settings_resources, time_entries
-- cache: summary
-- grain: day
-- columns: day, is_working_day, week_start, month_start, first_day, last_day, actuals_through
with
bounds as (
    select min(d) as first_day, max(d) as last_day from (
        select work_date as d from time_entries
        union all select start_date from allocations
        union all select coalesce(end_date, start_date) from allocations
    )
),
actuals as (
    select max(work_date) as actuals_through from time_entries
),
days as (
    select cast(unnest(generate_series(
               least(cast(date_trunc('week', b.first_day) as date), cast(date_trunc('month', b.first_day) as date)),
               greatest(cast(date_trunc('week', b.last_day) as date) + 6, last_day(b.last_day)),
               interval 1 day)) as date) as day
    from bounds b
    where b.first_day is not null
)
select
    d.day,
    list_contains(st.working_days, isodow(d.day)) as is_working_day,
    cast(date_trunc('week', d.day) as date) as week_start,
    cast(date_trunc('month', d.day) as date) as month_start,
    b.first_day, b.last_day, x.actuals_through
from days d
cross join bounds b
cross join actuals x
cross join settings_resources st
order by d.day
