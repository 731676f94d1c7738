-- portfolio_health_kpis
-- Headline figures of the Portfolio health page at the selected status date and at the status
-- date before it (for the change): active projects, computed RAG counts, earned value roll-up,
-- late projects, milestones due in the next 30 days and missed in the last 30.
-- Each project counts with its latest status on or before the date; active = not finished by then.
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all), $as_of DATE (NULL = latest)
-- reads: filtered_projects, project_health, project_milestones, status_dates
-- grain: period ('current', 'previous')
-- columns: period, as_of_date, active_projects, red_count, amber_count, green_count, grey_count, red_share, amber_share, green_share, grey_share, bac, pv, ev, ac, cpi, spi, late_projects, milestones_due_30_count, milestones_missed_30_count
with
selected as (
    select project_id, stage, actual_finish_date
    from filtered_projects($portfolio, $program, $department, $manager, $stage)
),

dates as (
    select as_of from status_dates
),

current_date_ as (
    select coalesce($as_of::date, (select max(as_of) from status_dates)) as as_of_date
),

periods as (
    select 'current' as period, as_of_date from current_date_
    union all
    select 'previous' as period, max(d.as_of) as as_of_date
    from dates d, current_date_ c
    where d.as_of < c.as_of_date
    having max(d.as_of) is not null
),

at_date as (
    select
        per.period,
        per.as_of_date,
        h.*,
        case when s.actual_finish_date is not null then s.actual_finish_date > per.as_of_date
             else coalesce(s.stage, '') not ilike 'clos%' end as active_then
    from periods per
    join project_health h
      on h.as_of <= per.as_of_date or (per.period = 'current' and $as_of::date is null)
    join selected s on s.project_id = h.project_id
    qualify row_number() over (partition by per.period, h.project_id order by h.as_of desc) = 1
),

health as (
    select
        period,
        count(*) as active_projects,
        count(*) filter (where overall_health = 'red') as red_count,
        count(*) filter (where overall_health = 'amber') as amber_count,
        count(*) filter (where overall_health = 'green') as green_count,
        count(*) filter (where overall_health = 'grey') as grey_count,
        sum(bac) as bac,
        sum(pv) as pv,
        sum(ev) as ev,
        sum(ac) as ac,
        sum(ev) filter (where ac is not null) / nullif(sum(ac) filter (where ev is not null), 0) as cpi,
        sum(ev) filter (where pv is not null) / nullif(sum(pv) filter (where ev is not null), 0) as spi,
        count(*) filter (where schedule_slip_days > 0
                            or (forecast_finish_date < as_of_date and coalesce(percent_complete, 0) < 1))
            as late_projects
    from at_date
    where active_then
    group by period
),

active_ids as (
    select period, project_id from at_date where active_then
),

milestones as (
    select
        per.period,
        count(*) filter (
            where not (m.is_done and coalesce(m.done_date, per.as_of_date) <= per.as_of_date)
              and m.forecast_date between per.as_of_date and per.as_of_date + interval 30 day
        ) as milestones_due_30_count,
        count(*) filter (
            where m.committed_date >= per.as_of_date - interval 30 day
              and m.committed_date < per.as_of_date
              and not (m.is_done and m.done_date <= m.committed_date)
        ) as milestones_missed_30_count
    from periods per
    join active_ids a on a.period = per.period
    join project_milestones m on m.project_id = a.project_id
    group by per.period
),

final as (
    select
        per.period,
        per.as_of_date,
        coalesce(h.active_projects, 0) as active_projects,
        coalesce(h.red_count, 0) as red_count,
        coalesce(h.amber_count, 0) as amber_count,
        coalesce(h.green_count, 0) as green_count,
        coalesce(h.grey_count, 0) as grey_count,
        h.red_count / nullif(h.active_projects, 0) as red_share,
        h.amber_count / nullif(h.active_projects, 0) as amber_share,
        h.green_count / nullif(h.active_projects, 0) as green_share,
        h.grey_count / nullif(h.active_projects, 0) as grey_share,
        h.bac,
        h.pv,
        h.ev,
        h.ac,
        h.cpi,
        h.spi,
        coalesce(h.late_projects, 0) as late_projects,
        coalesce(m.milestones_due_30_count, 0) as milestones_due_30_count,
        coalesce(m.milestones_missed_30_count, 0) as milestones_missed_30_count
    from periods per
    left join health h on h.period = per.period
    left join milestones m on m.period = per.period
)

select * from final
order by period
