-- register_projects
-- The projects a register export lists (MS Project / Project Online, ServiceNow pm_project,
-- Clarity, a mapped register ...), id and name: what an analyst links another tool's project to on
-- the Data page ("Projects to match").
-- params: (none)
-- reads: _project_rows, projects
-- grain: project_id
-- columns: project_id, project_name
select distinct p.project_id, p.project_name
from projects p
where p.project_id in (select project_id from _project_rows where role = 'register')
order by p.project_id
