-- raid_dependency_cycles
-- Blocking links that go round in a circle (A blocks B blocks ... blocks A): data errors, since
-- no item of a cycle can ever start. One row per cycle, its members in link order starting from
-- the smallest; `pmo check` lists them (queries/checks/dependency_cycles.sql) and the dependency
-- graph view marks their links. A node is an item (`project/item`) or a whole project (`project/*`). Nodes
-- without an incoming or an outgoing link are pruned first (they cannot be on a cycle); paths are
-- followed up to 50 links.
-- params: (none)
-- cache: summary
-- reads: dependencies, projects
-- grain: cycle_id
-- columns: cycle_id, members, member_count, projects, cycle_text
with recursive
links as (
    select distinct
        coalesce(blocker_project_id, '?') || '/' || coalesce(blocker_id, '*') as src,
        project_id || '/' || coalesce(item_id, '*') as dst
    from dependencies
    where project_id is not null
),

pruned_1 as (
    select * from links l
    where exists (select 1 from links i where i.dst = l.src)
      and exists (select 1 from links o where o.src = l.dst)
),

pruned as (
    select * from pruned_1 l
    where exists (select 1 from pruned_1 i where i.dst = l.src)
      and exists (select 1 from pruned_1 o where o.src = l.dst)
),

walk(start_node, node, path) as (
    select src, dst, [src, dst] from pruned
    union all
    select w.start_node, e.dst, list_append(w.path, e.dst)
    from walk w
    join pruned e on e.src = w.node
    where w.node <> w.start_node
      and not list_contains(w.path[2:], e.dst)
      and len(w.path) <= 50
),

closed as (
    -- a cycle is found once from each member: keep the walk that starts at its smallest member
    select path[1:len(path) - 1] as members
    from walk
    where node = start_node and start_node = list_min(path)
),

final as (
    select distinct
        members,
        len(members) as member_count,
        list_sort(list_distinct(list_transform(members, lambda m: split_part(m, '/', 1)))) as projects,
        array_to_string(list_append(members, members[1]), ' -> ') as cycle_text
    from closed
)

select row_number() over (order by cycle_text)::bigint as cycle_id, *
from final
