-- priority_scenarios
-- Saved prioritisation scenarios (the canonical table): one row per scenario and candidate
-- project, with the scenario's budget, weights and forced choices on each row.
-- params: (none)
-- reads: seg_priority_scenarios
-- grain: scenario, project_id
-- columns: scenario, project_id, selected, forced, cost, score, budget, weights, currency, saved_by, saved_at, note, respect_capacity
select scenario, project_id, selected, forced, cost, score, budget, weights, currency, saved_by, saved_at, note,
       respect_capacity
from seg_priority_scenarios
