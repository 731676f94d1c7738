-- tasks
-- Tasks, issues and work items of every tool with the project id resolved.
-- params: (none)
-- cache: summary
-- reads: _project_alias, seg_tasks
-- grain: project_id, task_id, source
-- columns: task_id, task_name, task_type, status, status_category, assignee, start_date, finish_date, baseline_start_date, baseline_finish_date, due_date, completed_date, percent_complete, is_milestone, is_summary, estimate_hours, actual_hours, remaining_hours, story_points, cost, baseline_cost, actual_cost, parent_id, labels, sprints, source, as_of, project_id
select t.* exclude (project_id, _ingest_id), coalesce(a.project_id, t.project_id) as project_id
from seg_tasks t
left join _project_alias a on a.alias = t.project_id
