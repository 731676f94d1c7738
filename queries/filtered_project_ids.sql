-- filtered_project_ids
-- The ids of the projects the shared filters select: how the dashboard cuts a query that is
-- computed per project (header "filters: per project") out of its cached unfiltered result.
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all)
-- reads: filtered_projects
-- grain: project_id
-- columns: project_id
select project_id
from filtered_projects($portfolio, $program, $department, $manager, $stage)
order by project_id
