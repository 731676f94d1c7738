-- governance_offenders
-- The offending items of every failed governance finding, one row each (a task id, a missing
-- field, an overdue gate, a report date), with the task's name where the item is a task: what a
-- page lists under a finding and links to the Project page.
-- params: (none)
-- reads: governance_findings, tasks
-- grain: project_id, as_of, check_id, item
-- columns: project_id, as_of, check_id, check_name, item, task_name, portfolio
select
    f.project_id,
    f.as_of,
    f.check_id,
    f.check_name,
    o.item,
    t.task_name,
    f.portfolio
from governance_findings f
cross join unnest(f.offending) as o(item)
left join (select distinct project_id, task_id, task_name from tasks) t
    on t.project_id = f.project_id and t.task_id = o.item and f.check_group in ('plan', 'schedule')
where f.passed = false
