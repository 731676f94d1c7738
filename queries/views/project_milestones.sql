-- project_milestones
-- Milestones from plans and trackers with their committed date (baseline finish, else due date,
-- else finish), forecast date (current finish, else due date) and when they were done.
-- A milestone is late at a date when it is not done by then and its committed date has passed;
-- page queries apply that rule for the selected as-of date.
-- params: (none)
-- cache: summary
-- reads: tasks
-- grain: project_id, task_id
-- columns: project_id, task_id, task_name, committed_date, forecast_date, baseline_date, done_date, is_done, slip_days, source, tasks_as_of
with
milestones as (
    select *
    from tasks
    where coalesce(is_milestone, false) and project_id is not null
),

final as (
    select
        project_id,
        task_id,
        task_name,
        coalesce(baseline_finish_date, due_date, finish_date) as committed_date,
        coalesce(finish_date, due_date) as forecast_date,
        baseline_finish_date as baseline_date,
        case when status_category = 'done' or percent_complete >= 1
             then coalesce(completed_date, finish_date, due_date) end as done_date,
        coalesce(status_category = 'done' or percent_complete >= 1, false) as is_done,
        datediff('day', coalesce(baseline_finish_date, due_date, finish_date),
                 coalesce(case when status_category = 'done' or percent_complete >= 1
                               then coalesce(completed_date, finish_date) end,
                          finish_date, due_date)) as slip_days,
        source,
        as_of as tasks_as_of
    from milestones
)

select * from final
