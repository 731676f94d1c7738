-- priority_saved_scenarios
-- The saved prioritisation scenarios, one row per scenario and candidate project.
-- params: (none)
-- reads: priority_scenarios
-- grain: scenario, project_id
-- columns: scenario, project_id, selected, forced, cost, score, budget, weights, currency, saved_by, saved_at, note
select scenario, project_id, selected, forced, cost, score, budget, weights, currency, saved_by, saved_at, note
from priority_scenarios
order by saved_at desc, scenario, project_id
