-- risks
-- Risks and issues with the project id resolved.
-- params: (none)
-- reads: _project_alias, seg_risks
-- grain: project_id, item_id, source
-- columns: item_id, kind, title, category, owner, status, probability, impact, exposure, due_date, created_date, closed_date, source, project_id
select r.* exclude (project_id, _ingest_id), coalesce(a.project_id, r.project_id) as project_id
from seg_risks r
left join _project_alias a on a.alias = r.project_id
