-- portfolio_health_history
-- Computed health per project at every status date up to the selected one, each project with its
-- latest status on or before that date (is_stale when that status is older), active projects only.
-- Feeds "RAG counts by status date" and the per-project health strip.
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all), $as_of DATE (NULL = latest)
-- grain: as_of, project_id
-- columns: as_of, project_id, project_name, portfolio, overall_health, schedule_health, cost_health, reported_health, health_reason, cpi, spi, is_stale
with
selected as (
    select project_id, project_name, portfolio, stage, actual_finish_date
    from filtered_projects($portfolio, $program, $department, $manager, $stage)
),

status_dates as (
    select distinct as_of
    from status_snapshots
    where $as_of::date is null or as_of <= $as_of::date
),

grid as (
    select
        d.as_of as status_date,
        h.*
    from status_dates d
    join project_health h on h.as_of <= d.as_of
    join selected s on s.project_id = h.project_id
    qualify row_number() over (partition by d.as_of, h.project_id order by h.as_of desc) = 1
),

final as (
    select
        g.status_date as as_of,
        g.project_id,
        s.project_name,
        s.portfolio,
        g.overall_health,
        g.schedule_health,
        g.cost_health,
        g.reported_health,
        g.health_reason,
        g.cpi,
        g.spi,
        g.as_of < g.status_date as is_stale
    from grid g
    join selected s on s.project_id = g.project_id
    where case when s.actual_finish_date is not null then s.actual_finish_date > g.status_date
               else coalesce(s.stage, '') not ilike 'clos%' end
)

select * from final
order by as_of, project_id
