-- project_evm_by_month
-- The S-curve of one project: cumulative planned value at every month end of the plan (and at
-- each status date), earned value and actual cost at each status date up to the selected one.
-- PV follows the project_health view's method at the selected date (time-phased ledger budget,
-- scaled to BAC when the lines cover the plan, else the rest of BAC linear after the ledger's
-- last budget month; without a ledger budget linear between the baseline dates).
-- params: $project_id VARCHAR, $as_of DATE (NULL = latest)
-- reads: ledger_monthly, project_health
-- grain: date
-- columns: date, pv, ev, ac, is_status_date
with
history as (
    select *
    from project_health
    where project_id = $project_id and ($as_of::date is null or as_of <= $as_of::date)
),

current_ as (
    select * from history qualify row_number() over (order by as_of desc) = 1
),

lines as (
    select period, sum(amount) as amount
    from ledger_monthly
    where project_id = $project_id and kind = 'budget' and period is not null
    group by period
),

span as (
    select sum(amount) as budget_total, min(period) as first_period, max(period) as last_period
    from lines
),

bounds as (
    select
        least(c.baseline_start_date, s.first_period, (select min(as_of) from history)) as first_day,
        greatest(c.baseline_finish_date, c.forecast_finish_date, last_day(s.last_period),
                 c.as_of) as last_day
    from current_ c, span s
),

month_ends as (
    select last_day(m::date) as date
    from bounds b,
         unnest(generate_series(date_trunc('month', b.first_day), b.last_day, interval 1 month)) as t(m)
    where b.first_day is not null and b.last_day is not null
),

dates as (
    select date from month_ends
    union
    select as_of as date from history
),

planned as (
    select
        d.date,
        sum(l.amount * least(greatest(datediff('day', l.period, d.date) + 1, 0)
                             / day(last_day(l.period)), 1)) as budget_to_date
    from dates d
    left join lines l on true
    group by d.date
),

final as (
    select
        p.date,
        case
            when c.bac is null then null
            when c.pv_method = 'time-phased ledger budget, scaled to BAC'
                then c.bac * least(greatest(p.budget_to_date, 0) / s.budget_total, 1)
            when s.budget_total > 0 and p.date > last_day(s.last_period)
                 and coalesce(c.baseline_finish_date, c.forecast_finish_date) > last_day(s.last_period)
                then least(greatest(s.budget_total, 0) + greatest(c.bac - greatest(s.budget_total, 0), 0)
                     * least(datediff('day', last_day(s.last_period), p.date)
                             / datediff('day', last_day(s.last_period),
                                        coalesce(c.baseline_finish_date, c.forecast_finish_date)), 1), c.bac)
            when s.budget_total > 0
                then least(greatest(coalesce(p.budget_to_date, 0), 0), c.bac)
            when c.pv_method is not null
                then case
                    when datediff('day', c.baseline_start_date, c.baseline_finish_date) > 0
                        then c.bac * least(greatest(datediff('day', c.baseline_start_date, p.date)
                            / datediff('day', c.baseline_start_date, c.baseline_finish_date), 0), 1)
                    else case when p.date >= c.baseline_finish_date then c.bac else 0 end
                end
        end as pv,
        h.ev,
        h.ac,
        h.as_of is not null as is_status_date
    from planned p
    cross join current_ c
    cross join span s
    left join history h on h.as_of = p.date
)

select * from final
order by date
