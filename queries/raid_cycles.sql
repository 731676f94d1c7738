-- raid_cycles
-- Dependency cycles (raid_dependency_cycles: data errors, no item of a cycle can start) with a
-- member in a selected project.
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all)
-- reads: filtered_projects, raid_dependency_cycles
-- grain: cycle_id
-- columns: cycle_id, cycle_text, member_count, cycle_projects
with
selected as (
    select project_id from filtered_projects($portfolio, $program, $department, $manager, $stage)
),

cycles as (
    -- the projects of a cycle from its members ('PRJ-1/R-2', 'PRJ-3/*')
    select cycle_id, cycle_text, member_count,
           list_sort(list_distinct(list_transform(members, lambda m: split_part(m, '/', 1)))) as member_projects
    from raid_dependency_cycles
)

select c.cycle_id, c.cycle_text, c.member_count, array_to_string(c.member_projects, ', ') as cycle_projects
from cycles c
where exists (select 1 from selected s where list_contains(c.member_projects, s.project_id))
order by c.cycle_id
