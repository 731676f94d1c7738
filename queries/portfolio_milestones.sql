-- portfolio_milestones
-- Milestones of the selected projects with their status at the selected date: done (by then),
-- late (not done and the committed date has passed) or upcoming.
-- cache: saved, per project (the date cutoff comes from every project, the rest is per milestone)
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all), $as_of DATE (NULL = latest)
-- reads: filtered_projects, project_milestones, status_dates
-- grain: project_id, task_id
-- columns: project_id, project_name, portfolio, task_id, milestone, committed_date, forecast_date, done_date, milestone_status, slip_days, days_late
with
selected as (
    select project_id, project_name, portfolio
    from filtered_projects($portfolio, $program, $department, $manager, $stage)
),

cutoff as (
    select coalesce($as_of::date, (select max(as_of) from status_dates), current_date) as as_of_date
),

statused as (
    select
        m.*,
        c.as_of_date,
        m.is_done and coalesce(m.done_date, c.as_of_date) <= c.as_of_date as done_then
    from project_milestones m
    cross join cutoff c
),

final as (
    select
        s.project_id,
        s.project_name,
        s.portfolio,
        m.task_id,
        m.task_name as milestone,
        m.committed_date,
        m.forecast_date,
        case when m.done_then then m.done_date end as done_date,
        case when m.done_then then 'done'
             when m.committed_date < m.as_of_date then 'late'
             else 'upcoming' end as milestone_status,
        m.slip_days,
        case when not m.done_then and m.committed_date < m.as_of_date
             then datediff('day', m.committed_date, m.as_of_date) end as days_late
    from statused m
    join selected s on s.project_id = m.project_id
)

select * from final
order by coalesce(forecast_date, committed_date), project_id, task_id
