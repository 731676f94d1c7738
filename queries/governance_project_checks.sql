-- governance_project_checks
-- The Governance page's findings: every check of every project the filters select that is judged
-- on the status date (the newest status date with findings on or before $as_of), each check with
-- its newest finding on or before that date, offending task ids also by their task names
-- (governance_checks_at). The date does not depend on the filters, so a filter change cuts the
-- same rows.
-- cache: per project
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all), $as_of DATE (NULL = latest)
-- reads: governance_checks_at
-- grain: project_id, check_id
-- columns: project_id, project_name, portfolio, program, department, manager, stage, as_of, check_id, check_group, check_name, measurable, passed, numerator, denominator, value, threshold, rule, export, note, offending, offending_names, finding_date, check_order
select *
from governance_checks_at($as_of, $portfolio, $program, $department, $manager, $stage)
order by portfolio nulls last, project_id, check_order
