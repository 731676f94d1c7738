-- portfolio_health_table
-- One page of the sortable project table on the Portfolio health page: health per dimension,
-- earned value (EAC by the chosen method), slip, and the health history up to the selected date.
-- Sorted by an allowlisted key ($sort, mapped here to fixed expressions), paginated on the server.
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all), $as_of DATE (NULL = latest), $eac_method VARCHAR ('cpi' | 'plan' | 'cpi_spi'; NULL = configured), $include_closed BOOLEAN, $sort VARCHAR (a key of pmo.health.SORT_OPTIONS), $descending BOOLEAN, $limit INTEGER, $offset INTEGER
-- reads: filtered_projects, project_health, status_dates
-- grain: project_id
-- columns: project_id, project_name, portfolio, manager, stage, status_date, overall_health, schedule_health, cost_health, work_health, reported_health, health_history, percent_complete, bac, pv, ev, ac, cpi, spi, eac, etc, vac, tcpi, schedule_slip_days, forecast_finish_date, health_reason, total_rows, position
with
selected as (
    select project_id, project_name, portfolio, program, department, manager, stage, actual_finish_date
    from filtered_projects($portfolio, $program, $department, $manager, $stage)
),

cutoff as (
    select coalesce($as_of::date, (select max(as_of) from status_dates)) as as_of_date
),

history as (
    select h.*
    from project_health h
    join selected s on s.project_id = h.project_id
    where $as_of::date is null or h.as_of <= $as_of::date
),

trend as (
    select project_id, list(overall_health order by as_of) as health_history
    from history
    group by project_id
),

at_date as (
    select *
    from history
    qualify row_number() over (partition by project_id order by as_of desc) = 1
),

rows_ as (
    select
        s.project_id,
        s.project_name,
        s.portfolio,
        s.manager,
        s.stage,
        a.as_of as status_date,
        a.overall_health,
        a.schedule_health,
        a.cost_health,
        a.work_health,
        a.reported_health,
        t.health_history,
        a.percent_complete,
        a.bac,
        a.pv,
        a.ev,
        a.ac,
        a.cpi,
        a.spi,
        case $eac_method when 'cpi' then a.eac_cpi when 'plan' then a.eac_plan
                         when 'cpi_spi' then a.eac_cpi_spi else a.eac end as eac,
        a.tcpi,
        a.schedule_slip_days,
        a.forecast_finish_date,
        a.health_reason,
        case when s.actual_finish_date is not null then s.actual_finish_date > c.as_of_date
             else coalesce(s.stage, '') not ilike 'clos%' end as is_active
    from at_date a
    join selected s on s.project_id = a.project_id
    left join trend t on t.project_id = a.project_id
    cross join cutoff c
),

filtered as (
    select
        project_id, project_name, portfolio, manager, stage, status_date, overall_health,
        schedule_health, cost_health, work_health, reported_health, health_history,
        percent_complete, bac, pv, ev, ac, cpi, spi, eac, eac - ac as etc, bac - eac as vac, tcpi,
        schedule_slip_days, forecast_finish_date, health_reason,
        count(*) over () as total_rows
    from rows_
    where is_active or $include_closed
),

sorted as (
    select
        *,
        case $sort
            when 'health' then case overall_health when 'red' then 3 when 'amber' then 2
                                                   when 'green' then 1 else 0 end
            when 'bac' then bac
            when 'cpi' then cpi
            when 'spi' then spi
            when 'eac' then eac
            when 'vac' then vac
            when 'schedule_slip_days' then schedule_slip_days
            when 'percent_complete' then percent_complete
            when 'finish_date' then epoch(forecast_finish_date)
        end as sort_number,
        case $sort
            when 'project_id' then project_id
            when 'project_name' then lower(project_name)
            when 'portfolio' then lower(portfolio)
            when 'manager' then lower(manager)
        end as sort_text
    from filtered
),

ordered as (
    select
        * exclude (sort_number, sort_text),
        row_number() over (order by
            case when not $descending then sort_number end asc nulls last,
            case when $descending then sort_number end desc nulls last,
            case when not $descending then sort_text end asc nulls last,
            case when $descending then sort_text end desc nulls last,
            project_id) as position
    from sorted
),

final as (
    select *
    from ordered
    where position > $offset and position <= $offset + $limit
)

select * from final
order by position
