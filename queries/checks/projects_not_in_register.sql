-- projects_not_in_register
-- Projects only other tools know (no register project matches their id, alias or name).
-- An export names a project that matches no register project: it shows on every page as a
-- project of its own; link it to a register project or keep it on the Data page ("Projects to
-- match").
-- reads: unmatched_projects
-- grain: project_id
-- columns: item, detail
select project_id as item,
       'known only from ' || array_to_string(sources, ', ')
       || '; link it to a register project or keep it on the Data page' as detail
from unmatched_projects
order by project_id
