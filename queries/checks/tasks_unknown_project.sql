-- tasks_unknown_project
-- Tasks whose project is not in `projects` (a missing register row or an unmapped Jira key).
-- grain: project_id
-- columns: item, detail
select project_id as item,
       count(*) || ' tasks from ' || string_agg(distinct source, ', ') || ' reference it' as detail
from tasks
where project_id not in (select project_id from projects)
group by project_id
order by project_id
