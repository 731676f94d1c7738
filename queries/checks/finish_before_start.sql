-- finish_before_start
-- Projects and tasks whose finish date is earlier than their start date.
-- reads: projects, tasks
-- grain: one row per project or task
-- columns: item, detail
select 'project ' || project_id as item,
       'finish ' || finish_date || ' is before start ' || start_date as detail
from projects where finish_date < start_date
union all
select 'task ' || task_id || ' (' || project_id || ')' as item,
       'finish ' || finish_date || ' is before start ' || start_date as detail
from tasks where finish_date < start_date
order by item
