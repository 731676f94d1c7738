-- portfolio_health_history
-- Computed health per project at every status date up to the selected one, each project with its
-- latest status on or before that date (is_stale when that status is older), active projects only.
-- Feeds "RAG counts by status date" and the per-project health strip.
-- cache: saved, per project (the status dates come from every project, the rest is per project)
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all), $as_of DATE (NULL = latest)
-- reads: filtered_projects, project_health, status_dates
-- grain: as_of, project_id
-- columns: as_of, project_id, project_name, portfolio, overall_health, schedule_health, cost_health, reported_health, health_reason, cpi, spi, is_stale
with
selected as (
    select project_id, project_name, portfolio, stage, actual_finish_date
    from filtered_projects($portfolio, $program, $department, $manager, $stage)
),

dates as (
    select as_of
    from status_dates
    where $as_of::date is null or as_of <= $as_of::date
),

grid as (
    -- each project's latest health on or before each status date (an asof join: 24 dates x 5,000
    -- projects are 120,000 lookups, not an inequality join of every pair)
    select
        d.as_of as status_date,
        h.*
    from dates d
    cross join selected s
    asof join project_health h on h.project_id = s.project_id and d.as_of >= h.as_of
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
