-- projects_to_match
-- The Data page's "Projects to match": the unmatched_projects view, for the analyst to link each
-- project to a register project or keep it as its own.
-- params: (none)
-- reads: unmatched_projects
-- grain: project_id
-- columns: project_id, project_name, sources, kinds, as_of, suggestions
select project_id, project_name, sources, kinds, as_of, suggestions
from unmatched_projects
order by project_id
