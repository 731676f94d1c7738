-- status_dates
-- The status dates of the store: the dates at which some project has a status (its status reports,
-- or for a project without any, the date its own row describes). The as-of picker offers these,
-- and "the latest status date" everywhere is the latest of them.
-- params: (none)
-- reads: project_health, projects
-- grain: as_of
-- columns: as_of
select distinct h.as_of
from project_health h
where h.as_of is not null
  and h.project_id in (select project_id from projects)
order by h.as_of
