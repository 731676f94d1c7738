-- priority_saved_scenarios
-- The saved prioritisation scenarios, one row per scenario and candidate project;
-- respect_capacity is false for lists saved before the option existed.
-- params: (none)
-- reads: priority_scenarios
-- grain: scenario, project_id
-- columns: scenario, project_id, selected, forced, cost, score, budget, weights, currency, saved_by, saved_at, note, respect_capacity
select scenario, project_id, selected, forced, cost, score, budget, weights, currency, saved_by, saved_at, note,
       coalesce(respect_capacity, false) as respect_capacity
from priority_scenarios
order by saved_at desc, scenario, project_id
