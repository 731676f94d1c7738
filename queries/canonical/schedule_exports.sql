-- schedule_exports
-- Which schedule fields each plan export carried, per project (the canonical table), the project
-- resolved through project aliases. A schedule check whose fields an export lacks is "not
-- measurable from <export>" (the governance checks).
-- params: (none)
-- reads: _project_alias, seg_schedule_exports
-- grain: project_id, source
-- columns: project_id, export, fields, task_count, source, as_of
select
    coalesce(a.project_id, e.project_id) as project_id,
    e.export,
    e.fields,
    e.task_count,
    e.source,
    e.as_of
from seg_schedule_exports e
left join _project_alias a on a.alias = e.project_id
