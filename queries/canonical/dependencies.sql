-- dependencies
-- Blocking links between items, tasks and projects (the canonical table: Jira "Blocks" links, a
-- RAID log's "Depends on"), one row per link from the blocker to the blocked, with both sides
-- resolved to project codes. A blocker written without its project is looked up: first as a task
-- or RAID item id of the blocked item's own project, then as an id only one project has, then as
-- a project code or alias (the whole project blocks: blocker_id NULL). A blocker none of these
-- find keeps a NULL blocker_project_id (shown as unresolved in the dependency graph).
-- params: (none)
-- reads: _project_alias, projects, risks, seg_dependencies, tasks
-- grain: project_id, item_id, blocker_id, source
-- columns: project_id, item_id, blocker_project_id, blocker_id, link_type, source, as_of
with
items as (
    select distinct task_id as id, project_id from tasks where task_id is not null
    union
    select distinct item_id as id, project_id from risks where item_id is not null
),

unique_items as (
    select id, any_value(project_id) as project_id from items group by id having count(distinct project_id) = 1
),

project_refs as (
    select ref, project_id from (
        select project_id as ref, project_id, 0 as pref from projects
        union all
        select alias as ref, project_id, 1 as pref from _project_alias)
    qualify row_number() over (partition by ref order by pref, project_id) = 1
),

links as (
    select
        coalesce(a.project_id, d.project_id) as project_id,
        d.item_id,
        coalesce(ab.project_id, d.blocker_project_id) as given_blocker_project,
        d.blocker_id,
        d.link_type,
        d.source,
        d.as_of
    from seg_dependencies d
    left join _project_alias a on a.alias = d.project_id
    left join _project_alias ab on ab.alias = d.blocker_project_id
),

resolved as (
    select
        l.*,
        own.project_id as own_project,
        u.project_id as only_project,
        pr.project_id as project_ref
    from links l
    left join items own on own.id = l.blocker_id and own.project_id = l.project_id
    left join unique_items u on u.id = l.blocker_id
    left join project_refs pr on pr.ref = l.blocker_id
)

select
    project_id,
    item_id,
    coalesce(given_blocker_project, own_project, only_project, project_ref) as blocker_project_id,
    case when given_blocker_project is null and own_project is null and only_project is null
              and project_ref is not null then null else blocker_id end as blocker_id,
    link_type,
    source,
    as_of
from resolved
