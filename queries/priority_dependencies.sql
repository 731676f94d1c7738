-- priority_dependencies
-- Project-level dependencies for selection: a project may be selected only with every project
-- it depends on (a RAID log's "Depends on", Jira "Blocks" links across projects).
-- params: (none)
-- reads: dependencies
-- grain: project_id, blocker_project_id
-- columns: project_id, blocker_project_id, link_count
select project_id, blocker_project_id, count(*) as link_count
from dependencies
where project_id is not null and blocker_project_id is not null and project_id <> blocker_project_id
group by project_id, blocker_project_id
order by project_id, blocker_project_id
