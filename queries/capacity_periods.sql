-- capacity_periods
-- The periods (ISO weeks or calendar months, $bucket) the resource data covers, for the Capacity
-- page's window pickers: every period from the first to the last day of demand, with the last
-- day any time entry covers (actuals_through: forecast = actual up to it, planned after).
-- params: $bucket VARCHAR ('week' or 'month')
-- reads: resource_calendar
-- grain: bucket_start
-- columns: bucket_start, bucket_end, actuals_through
select
    case when $bucket = 'month' then month_start else week_start end as bucket_start,
    max(day) as bucket_end,
    any_value(actuals_through) as actuals_through
from resource_calendar
where day >= case when $bucket = 'month' then cast(date_trunc('month', first_day) as date)
                  else cast(date_trunc('week', first_day) as date) end
  and day <= case when $bucket = 'month' then last_day(last_day)
                  else cast(date_trunc('week', last_day) as date) + 6 end
group by all
order by bucket_start
