-- filter_combinations
-- The combinations of shared-filter values the projects carry (one row per distinct portfolio,
-- program, department, manager and stage), so each filter can offer only the values that still
-- select a project under the others (pmo/filter_choices.py).
-- params: (none)
-- reads: projects
-- grain: portfolio, program, department, manager, stage
-- columns: portfolio, program, department, manager, stage
select distinct portfolio, program, department, manager, stage
from projects
order by all
