-- duplicate_keys
-- Natural keys that appear more than once across sources (each ingest already drops its own duplicates).
-- reads: salaries, tasks
-- grain: table, key
-- columns: item, detail
select 'task ' || task_id || ' (' || project_id || ')' as item,
       count(*) || ' rows from ' || string_agg(distinct source, ', ') as detail
from tasks group by task_id, project_id having count(*) > 1
union all
select 'employee ' || employee_id as item,
       count(*) || ' rows from ' || string_agg(distinct source, ', ') as detail
from salaries group by employee_id having count(*) > 1
order by item
