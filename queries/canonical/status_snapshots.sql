-- status_snapshots
-- Status reports (one per project, source and status date) with the project id resolved.
-- params: (none)
-- cache: summary
-- reads: _project_alias, seg_status_snapshots
-- grain: project_id, as_of, source
-- columns: as_of, percent_complete, reported_health, schedule_health, cost_health, scope_health, finish_date, budget, actual_cost, comment, source, project_id
select s.* exclude (project_id, _ingest_id), coalesce(a.project_id, s.project_id) as project_id
from seg_status_snapshots s
left join _project_alias a on a.alias = s.project_id
