-- dependency_cycles
-- Blocking links that go round in a circle (a data error: no item of the cycle can start).
-- reads: projects, raid_dependency_cycles
-- grain: cycle
-- columns: item, detail
select
    'dependency cycle ' || cycle_id as item,
    cycle_text || ' (' || member_count || ' items; projects ' || array_to_string(projects, ', ') || ')' as detail
from raid_dependency_cycles
order by cycle_id
