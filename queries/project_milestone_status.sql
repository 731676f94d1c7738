-- project_milestone_status
-- One project's milestones with their status at the selected date: done (by then), late (not
-- done and the committed date has passed) or upcoming.
-- params: $project_id VARCHAR, $as_of DATE (NULL = latest)
-- reads: project_milestones, status_dates
-- grain: task_id
-- columns: task_id, milestone, committed_date, forecast_date, done_date, milestone_status, slip_days, days_late
with
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
    where m.project_id = $project_id
),

final as (
    select
        task_id,
        task_name as milestone,
        committed_date,
        forecast_date,
        case when done_then then done_date end as done_date,
        case when done_then then 'done'
             when committed_date < as_of_date then 'late'
             else 'upcoming' end as milestone_status,
        slip_days,
        case when not done_then and committed_date < as_of_date
             then datediff('day', committed_date, as_of_date) end as days_late
    from statused
)

select * from final
order by coalesce(committed_date, forecast_date), task_id
