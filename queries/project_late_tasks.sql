-- project_late_tasks
-- One project's work tasks (not summaries, not milestones) that were not done by the selected
-- date although their committed date (baseline finish, else due date, else finish) had passed.
-- params: $project_id VARCHAR, $as_of DATE (NULL = latest)
-- reads: status_dates, tasks
-- grain: task_id
-- columns: task_id, task_name, assignee, status, percent_complete, committed_date, forecast_date, days_late
with
cutoff as (
    select coalesce($as_of::date, (select max(as_of) from status_dates), current_date) as as_of_date
),

work as (
    select
        t.*,
        coalesce(t.baseline_finish_date, t.due_date, t.finish_date) as committed_date,
        coalesce(t.finish_date, t.due_date) as forecast_date,
        (t.status_category = 'done' or t.percent_complete >= 1)
            and coalesce(t.completed_date, t.finish_date, c.as_of_date) <= c.as_of_date as done_then,
        c.as_of_date
    from tasks t
    cross join cutoff c
    where t.project_id = $project_id
      and not coalesce(t.is_summary, false)
      and not coalesce(t.is_milestone, false)
),

final as (
    select
        task_id,
        task_name,
        assignee,
        status,
        percent_complete,
        committed_date,
        forecast_date,
        datediff('day', committed_date, as_of_date) as days_late
    from work
    where not coalesce(done_then, false) and committed_date < as_of_date
)

select * from final
order by days_late desc, task_id
